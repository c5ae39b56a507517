"""Play a clip: play, pause, seek, speed 0.75-2x (pitch kept), and a position others can follow.

``Player`` holds the clip's samples (mono float32, decoded once) and a sounddevice
``OutputStream`` opened by ``open`` (or the first ``play``) and kept running until ``close``: while paused it
sends silence, so pause and resume are instant (what the device has already buffered, about
0.1 s, still plays out). PortAudio's callback reads from a ``TimeStretcher`` (WSOLA) under a short
lock and notes when each block will reach the speaker, so ``position`` is the moment being
*heard*, not the one being computed, and ``on_end`` fires once the last sample has been heard.
``position`` can be read from any thread; ``on_position(seconds)`` is called from a small ticker
thread about ten times a second while playing (never from the audio thread, so a slow listener
cannot make the sound stutter).

Failures are ``ListenError`` with one line: no output device, a device that cannot be opened; a
device that fails while playing sets ``error``, stops playback and calls ``on_error``. The TUI
shows the line as a notice and the session goes on. No Textual in here.

Known limit: on PortAudio's ALSA host API through the PulseAudio plugin, an input stream open in
the same process at the same time makes output run ahead of real time; record in one process and
play in another (the TUI never does both at once).
"""

from __future__ import annotations

import collections
import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from listen.audio.devices import Device, find_device, sounddevice_module
from listen.audio.stretch import MAX_SPEED, MIN_SPEED, TimeStretcher, clamp_speed
from listen.errors import ListenError

PLAY_RATE = 16000  # clips are decoded to this; a device that refuses it gets its own rate
BLOCK_SECONDS = 0.05
TICK_SECONDS = 0.1
_BLOCKS_KEPT = 128  # block timings remembered to interpolate the heard position (~6 s)


class Player:
    def __init__(
        self,
        *,
        device: int | str | None = None,
        on_position: Callable[[float], None] | None = None,
        on_end: Callable[[], None] | None = None,
        on_error: Callable[[ListenError], None] | None = None,
    ) -> None:
        self._device_spec = device
        self.on_position = on_position
        self.on_end = on_end
        self.on_error = on_error
        self._lock = threading.Lock()
        self._samples = np.zeros(0, dtype=np.float32)
        self._rate = PLAY_RATE
        self._stretcher = TimeStretcher(self._samples, self._rate)
        # (heard at, input index at block start, input index at block end, heard until)
        self._blocks: collections.deque[tuple[float, float, float, float]] = collections.deque(
            maxlen=_BLOCKS_KEPT
        )
        self._producing = False  # the callback reads from the stretcher
        self._end_at: float | None = None  # monotonic time the last sample will have been heard
        self._speed = 1.0
        self._stream: Any = None
        self._failed_stream: Any = None  # closed later: PortAudio forbids it in its callback
        self._stream_rate = 0
        self._error: ListenError | None = None
        self._closed = False
        self._wake = threading.Event()
        self._ticker: threading.Thread | None = None
        self.device: Device | None = None

    # ------------------------------------------------------------------ state anyone can read

    @property
    def duration(self) -> float:
        return len(self._samples) / self._rate if self._rate else 0.0

    @property
    def position(self) -> float:
        """Seconds into the clip of the audio reaching the speaker now."""
        now = time.monotonic()
        with self._lock:
            rate = self._rate
            if not self._blocks:
                return self._stretcher.position / rate
            for heard_at, start, end, until in reversed(self._blocks):
                if heard_at <= now:
                    done = min(1.0, (now - heard_at) / max(until - heard_at, 1e-9))
                    return (start + (end - start) * done) / rate
            return self._blocks[0][1] / rate

    @property
    def playing(self) -> bool:
        """True from ``play`` until paused, or until the end of the clip has been heard."""
        return self._producing or self._end_at is not None

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        """0.75 to 2.0 (values outside are clamped); the pitch stays the same."""
        self._speed = clamp_speed(value)

    @property
    def error(self) -> ListenError | None:
        return self._error

    # ------------------------------------------------------------------ control

    def load(self, source: Path | np.ndarray, *, sample_rate: int = PLAY_RATE) -> None:
        """Take a clip: a file (decoded to mono here) or mono float samples at ``sample_rate``.

        Playback pauses and the position goes back to 0. InputError for a bad file.
        """
        if isinstance(source, np.ndarray):
            samples = np.asarray(source, dtype=np.float32)
            if samples.ndim == 2:
                samples = samples.mean(axis=0, dtype=np.float32)
            rate = sample_rate
        else:
            from listen.audio.decode import decode_audio

            samples, rate = decode_audio(Path(source), sample_rate=PLAY_RATE), PLAY_RATE
        if self._stream is not None and rate != self._stream_rate:
            from listen.audio.decode import resample_audio

            samples, rate = resample_audio(samples, rate, self._stream_rate), self._stream_rate
        with self._lock:
            self._producing = False
            self._end_at = None
            self._samples = samples
            self._rate = rate
            self._stretcher = TimeStretcher(samples, rate)
            self._blocks.clear()

    def open(self) -> None:
        """Open and start the output device now, silent until ``play``. Opening a device can take a
        second and may resample the clip to the device's rate: call this from a worker thread, so
        that ``play`` (from a key press) only flips a flag. ListenError when there is no usable
        output device. ``play`` opens the device itself when this was not called."""
        if self._closed:
            raise ListenError("this player has been closed")
        self._ensure_stream()

    def play(self) -> None:
        """Start or resume (from the start once the end was reached). ListenError when there is
        no usable output device."""
        if self._closed:
            raise ListenError("this player has been closed")
        self._ensure_stream()
        with self._lock:
            if self._stretcher.finished:
                self._stretcher.seek(0)
                self._blocks.clear()
            self._end_at = None
            self._producing = True
        self._error = None
        self._wake.set()

    def pause(self) -> None:
        with self._lock:
            self._producing = False
            self._end_at = None

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        """Jump to ``seconds`` (clamped to the clip)."""
        with self._lock:
            self._seek_locked(seconds * self._rate)
        self._wake.set()

    def seek_by(self, delta: float) -> None:
        """Jump forward (or back, negative) by ``delta`` seconds from what is heard now."""
        here = self.position
        self.seek(here + delta)

    def _seek_locked(self, index: float) -> None:
        self._stretcher.seek(index)
        self._blocks.clear()
        self._end_at = None
        if self._stretcher.finished:
            self._producing = False

    def close(self) -> None:
        """Stop and release the output device. Safe to call more than once."""
        self._closed = True
        self._producing = False
        self._end_at = None
        self._wake.set()
        stream, self._stream = self._stream, None
        if stream is not None or self._failed_stream is not None:
            sd = sounddevice_module()
            self._close_failed_stream(sd)
            if stream is not None:
                with contextlib.suppress(sd.PortAudioError):
                    stream.abort()
                with contextlib.suppress(sd.PortAudioError):
                    stream.close()
        if self._ticker is not None and self._ticker is not threading.current_thread():
            self._ticker.join(timeout=2)

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the stream

    def _ensure_stream(self) -> None:
        if self._stream is not None:
            return
        sd = sounddevice_module()
        self._close_failed_stream(sd)
        device = find_device(self._device_spec, "output")
        rate = self._choose_rate(sd, device)
        try:
            stream = sd.OutputStream(
                device=device.index,
                samplerate=rate,
                channels=1,
                dtype="float32",
                blocksize=max(1, int(rate * BLOCK_SECONDS)),
                callback=self._callback,
                finished_callback=self._stream_finished,
            )
        except (sd.PortAudioError, ValueError) as error:
            raise ListenError(f"cannot play on output device {device.label}: {error}") from None
        self.device = device
        if rate != self._rate:
            from listen.audio.decode import resample_audio

            with self._lock:
                seconds = self._stretcher.position / self._rate
                self._samples = resample_audio(self._samples, self._rate, rate)
                self._rate = rate
                self._stretcher = TimeStretcher(self._samples, rate)
                self._stretcher.seek(seconds * rate)
                self._blocks.clear()
        self._stream_rate = rate
        try:
            stream.start()
        except sd.PortAudioError as error:
            with contextlib.suppress(sd.PortAudioError):
                stream.close()
            raise ListenError(f"cannot play on output device {device.label}: {error}") from None
        self._stream = stream
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="listen-player", daemon=True)
            self._ticker.start()

    def _choose_rate(self, sd: Any, device: Device) -> int:
        for rate in (self._rate, int(device.default_rate)):
            try:
                sd.check_output_settings(device=device.index, channels=1, dtype="float32", samplerate=rate)
                return rate
            except (sd.PortAudioError, ValueError):
                continue
        raise ListenError(f"output device {device.label} takes neither {self._rate} Hz nor its own rate")

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's thread: fill the block from the stretcher (or silence), note its timing."""
        ahead = time_info.outputBufferDacTime - time_info.currentTime
        if not 0.0 <= ahead < 5.0:  # some host APIs give no timing: assume the stream latency
            ahead = BLOCK_SECONDS
        heard_at = time.monotonic() + ahead
        with self._lock:
            start = self._stretcher.position
            if self._producing:
                outdata[:, 0] = self._stretcher.read(frames, self._speed)
                if self._stretcher.finished:
                    self._producing = False
                    self._end_at = heard_at + frames / self._rate
            else:
                outdata.fill(0)
            end = self._stretcher.position
            if self._blocks or end != start:
                self._blocks.append((heard_at, start, end, heard_at + frames / self._rate))

    def _stream_finished(self) -> None:
        """PortAudio's thread: the stream ended; if we did not close it, the device failed."""
        if self._closed:
            return
        label = self.device.label if self.device else "?"
        self._error = ListenError(f"output device {label} stopped (unplugged or its sound server stopped)")
        with self._lock:
            self._producing = False
            self._end_at = None
            self._blocks.clear()
        self._failed_stream, self._stream = self._stream, None
        self._wake.set()

    def _close_failed_stream(self, sd: Any) -> None:
        stream, self._failed_stream = self._failed_stream, None
        if stream is not None:
            with contextlib.suppress(sd.PortAudioError):
                stream.close()

    # ------------------------------------------------------------------ the ticker

    def _tick(self) -> None:
        """Publish the position while playing; report the end and device failures."""
        last: float | None = None
        reported: ListenError | None = None
        while not self._closed:
            self._wake.wait(TICK_SECONDS if self.playing else 1.0)
            self._wake.clear()
            if self._closed:
                return
            ended = False
            with self._lock:
                if self._end_at is not None and time.monotonic() >= self._end_at:
                    self._end_at = None
                    ended = True
            position = self.position
            if position != last:
                last = position
                self._call(self.on_position, position)
            if ended:
                self._call(self.on_end)
            if self._error is not None and self._error is not reported:
                reported = self._error
                self._call(self.on_error, self._error)

    @staticmethod
    def _call(callback: Callable[..., None] | None, *args: object) -> None:
        if callback is None:
            return
        with contextlib.suppress(Exception):  # a listener's bug must not stop playback
            callback(*args)


__all__ = ["MAX_SPEED", "MIN_SPEED", "PLAY_RATE", "Player"]
