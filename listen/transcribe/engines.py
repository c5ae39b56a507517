"""The engine registry: an engine name (``--engine`` / ``listen.toml``) to a ready-to-load Engine.

Engine modules are imported only when asked for, so naming an engine costs nothing until it runs.
"""

from __future__ import annotations

from listen.errors import UsageError
from listen.transcribe.engine import Engine, EngineOptions

DEFAULT_ENGINE = "faster-whisper"
ENGINE_NAMES: tuple[str, ...] = ("faster-whisper", "openai-whisper")


def make_engine(name: str, options: EngineOptions) -> Engine:
    """A new, not yet loaded engine. UsageError for an unknown name."""
    if name == "faster-whisper":
        from listen.transcribe.faster_engine import FasterWhisperEngine

        return FasterWhisperEngine(options)
    if name == "openai-whisper":
        from listen.transcribe.openai_engine import OpenAIWhisperEngine

        return OpenAIWhisperEngine(options)
    raise UsageError(f"unknown engine '{name}' (choose from {', '.join(ENGINE_NAMES)})")


def model_label(engine: Engine, options: EngineOptions) -> str:
    """How the engine names its model on a transcript (after ``load()``)."""
    label = getattr(engine, "model_label", None)
    return str(label) if label else options.model
