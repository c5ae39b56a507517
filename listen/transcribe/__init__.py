"""Local speech-to-text. Nothing here imports whisper, ctranslate2 or torch at module level."""
