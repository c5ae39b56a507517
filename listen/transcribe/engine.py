"""The one small interface every transcription engine implements.

Engines take decoded audio (16 kHz mono float32 numpy arrays), never file paths, and return
domain Segments with start/end seconds, text and words. Heavy libraries are imported inside
``load()`` so that importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

    from listen.domain import Segment

SAMPLE_RATE = 16_000

ProgressCallback = Callable[[float], None]  # seconds of audio done so far
CancelCheck = Callable[[], bool]  # True when the caller wants the work to stop


class Cancelled(Exception):
    """Raised by an engine when the cancel check said stop between two chunks."""


@dataclass(frozen=True)
class EngineOptions:
    model: str = "bundled"  # "bundled", a model name, or a path to a model directory/file
    language: str | None = "en"
    vocabulary: tuple[str, ...] = ()  # company words, passed as initial prompt / hotwords
    vad: bool = True
    beam_size: int = 1
    compute_type: str = "int8"
    threads: int = 0  # 0: let the engine choose (the TUI passes cpu_count - 1)
    word_timestamps: bool = True
    temperature_fallback: bool = False  # decode a window again, hotter, when it looks repetitive
    extra: dict[str, object] = field(default_factory=dict)


class Engine(Protocol):
    name: str

    def load(self) -> None:
        """Load the model (once). Raises ListenError with a clear message when it cannot."""

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelCheck | None = None,
    ) -> list[Segment]:
        """Transcribe 16 kHz mono float32 audio. Segment times are seconds from the start."""
        ...
