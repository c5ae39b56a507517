"""Cut long audio into windows at quiet moments, so memory stays bounded and work can stop between.

Whisper itself works in 30 s windows, but faster-whisper computes the spectrogram of the whole
array it is given at once (about 1 GB of temporaries for an hour of audio), and a decoded two-hour
stereo call is itself close to a gigabyte. So long audio goes through in windows of at most
``max_seconds``, each cut at the quietest 100 ms within the last ``search_seconds`` of the window
(quiet on every channel), so a cut rarely falls inside a word.

``windows`` cuts an array already in memory; ``stream_windows`` re-cuts a stream of decoded blocks
(``listen.audio.decode.iter_audio_chunks``) so that only about one window is held at a time.
Arrays are 1-D (mono) or 2-D ``(channels, samples)``; windows keep the shape they were given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from listen.transcribe.engine import SAMPLE_RATE

MAX_WINDOW_SECONDS = 300.0
SEARCH_SECONDS = 30.0
FRAME_SECONDS = 0.1


@dataclass(frozen=True)
class Window:
    start: int  # first sample
    end: int  # one past the last sample

    @property
    def offset_seconds(self) -> float:
        return self.start / SAMPLE_RATE


def windows(
    audio: np.ndarray,
    *,
    max_seconds: float = MAX_WINDOW_SECONDS,
    search_seconds: float = SEARCH_SECONDS,
) -> Iterator[Window]:
    """Consecutive windows covering ``audio`` (16 kHz), each at most ``max_seconds`` long."""
    total = int(audio.shape[-1])
    limit, search = _limits(max_seconds, search_seconds)
    start = 0
    while start < total:
        if total - start <= limit:
            yield Window(start, total)
            return
        end = start + quietest_cut(audio[..., start : start + limit], limit - search)
        yield Window(start, end)
        start = end


def stream_windows(
    blocks: Iterable[np.ndarray],
    *,
    max_seconds: float = MAX_WINDOW_SECONDS,
    search_seconds: float = SEARCH_SECONDS,
) -> Iterator[tuple[int, np.ndarray]]:
    """Re-cut consecutive blocks into ``(first sample, window)`` pairs ending at quiet moments."""
    limit, search = _limits(max_seconds, search_seconds)
    pending: list[np.ndarray] = []
    held = 0
    start = 0
    for block in blocks:
        if block.shape[-1] == 0:
            continue
        pending.append(block)
        held += block.shape[-1]
        while held > limit:
            joined = np.concatenate(pending, axis=-1) if len(pending) > 1 else pending[0]
            cut = quietest_cut(joined[..., :limit], limit - search)
            yield start, np.ascontiguousarray(joined[..., :cut])
            start += cut
            rest = joined[..., cut:]
            pending, held = [rest], rest.shape[-1]
    if held:
        joined = np.concatenate(pending, axis=-1) if len(pending) > 1 else pending[0]
        yield start, np.ascontiguousarray(joined)


def quietest_cut(audio: np.ndarray, search_from: int) -> int:
    """The sample index, at or after ``search_from``, in the middle of the quietest 100 ms frame."""
    frame = max(1, int(FRAME_SECONDS * SAMPLE_RATE))
    length = int(audio.shape[-1])
    count = (length - search_from) // frame
    if count < 1:
        return length
    region = np.asarray(audio[..., search_from : search_from + count * frame], dtype=np.float32)
    rows = region.reshape(-1, count, frame)  # (channels, frames, samples)
    energy = np.einsum("cfs,cfs->f", rows, rows)
    return search_from + int(np.argmin(energy)) * frame + frame // 2


def _limits(max_seconds: float, search_seconds: float) -> tuple[int, int]:
    limit = max(2, int(max_seconds * SAMPLE_RATE))
    search = max(1, min(int(search_seconds * SAMPLE_RATE), limit // 2))
    return limit, search
