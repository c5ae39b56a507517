"""Play faster or slower without chipmunk voices: streaming WSOLA over a mono signal, in numpy.

WSOLA (waveform-similarity overlap-add) cuts the input into Hann-windowed frames of ~30 ms taken
``speed`` times further apart than they are laid down (50 % overlap), and nudges each frame by up
to ±10 ms to where it best continues the previous one (cross-correlation), so pitch is kept and
the joins do not click. Cost at 16 kHz: ~0.2 ms of CPU per 10 ms of audio. At speed 1.0 the
samples are copied through untouched.
"""

from __future__ import annotations

import numpy as np

MIN_SPEED = 0.75
MAX_SPEED = 2.0
FRAME_SECONDS = 0.03
SEARCH_SECONDS = 0.01


def clamp_speed(speed: float) -> float:
    return float(min(MAX_SPEED, max(MIN_SPEED, speed)))


class TimeStretcher:
    """Reads a fixed signal from a movable position at a variable speed."""

    def __init__(self, signal: np.ndarray, rate: int) -> None:
        self.signal = np.ascontiguousarray(signal, dtype=np.float32)
        self.rate = rate
        hop = max(8, round(FRAME_SECONDS * rate / 2))
        self._hop = hop  # synthesis hop Hs; frames are 2 * Hs long
        self._frame = 2 * hop
        n = np.arange(self._frame)
        self._window = (0.5 - 0.5 * np.cos(2 * np.pi * n / self._frame)).astype(np.float32)
        self._search = max(1, round(SEARCH_SECONDS * rate))
        self._position = 0.0  # input sample index of the next audio to come out
        self._wsola = False  # the overlap state below is valid
        self._tail = np.zeros(hop, dtype=np.float32)
        self._previous = 0  # input start of the last frame laid down
        self._pending = np.zeros(0, dtype=np.float32)  # produced, not yet read

    @property
    def length(self) -> int:
        return len(self.signal)

    @property
    def position(self) -> float:
        """Input sample index of the audio being read now."""
        return min(float(self.length), self._position)

    @property
    def finished(self) -> bool:
        return self._position >= self.length and not len(self._pending)

    def seek(self, index: float) -> None:
        self._position = float(min(max(0.0, index), self.length))
        self._wsola = False
        self._pending = np.zeros(0, dtype=np.float32)

    def read(self, count: int, speed: float = 1.0) -> np.ndarray:
        """The next ``count`` output samples (zeros past the end)."""
        speed = clamp_speed(speed)
        out = np.zeros(count, dtype=np.float32)
        filled = 0
        if len(self._pending):
            take = min(count, len(self._pending))
            out[:take] = self._pending[:take]
            self._pending = self._pending[take:]
            filled = take
        if filled < count and speed == 1.0:
            filled += self._copy(out[filled:])
        while filled < count and self._position < self.length:
            chunk = self._step(speed)
            take = min(count - filled, len(chunk))
            out[filled : filled + take] = chunk[:take]
            self._pending = chunk[take:]
            filled += take
        return out

    def _copy(self, out: np.ndarray) -> int:
        """Speed 1.0: the samples themselves. Leaves the WSOLA state to restart cleanly."""
        # after WSOLA, the last frame's fading half plus the signal's rising half is the signal
        # itself: carry on from where that frame naturally continues, seamlessly
        start = self._previous + self._hop if self._wsola else round(self._position)
        piece = self.signal[start : start + len(out)]
        out[: len(piece)] = piece
        self._position = float(start + len(piece))
        self._wsola = False
        return len(piece)

    def _step(self, speed: float) -> np.ndarray:
        """Lay down one frame; return the ``hop`` samples that are now final."""
        hop, frame = self._hop, self._frame
        nominal = round(self._position)
        if not self._wsola:
            # start as if a frame ended here: its second half is exactly the signal, so the first
            # new frame (found at delta 0) completes it with no dip
            self._tail = self._window[hop:] * self._padded(nominal, hop)
            self._previous = nominal - hop
            self._wsola = True
        natural = self._previous + hop
        lo = max(0, nominal - self._search)
        hi = max(lo, min(nominal + self._search, self.length - frame))
        if hi > lo:
            template = self._padded(natural, frame)
            region = self.signal[lo : hi + frame]
            scores = np.correlate(region, template, mode="valid")
            start = lo + int(np.argmax(scores))
        else:
            start = nominal
        windowed = self._window * self._padded(start, frame)
        out = self._tail + windowed[:hop]
        self._tail = windowed[hop:]
        self._previous = start
        self._position += speed * hop
        return out

    def _padded(self, start: int, count: int) -> np.ndarray:
        piece = self.signal[max(0, start) : max(0, start + count)]
        if start >= 0 and len(piece) == count:
            return piece
        padded = np.zeros(count, dtype=np.float32)
        offset = max(0, -start)
        padded[offset : offset + len(piece)] = piece
        return padded
