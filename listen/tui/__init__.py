"""The Textual app: a thin layer over the core (store, session service, audio, transcription, minutes).

Nothing here is imported by the core. Heavy libraries (whisper, ctranslate2, torch, PyAV) are imported
only inside the thread workers that need them, so the app starts fast.
"""
