"""Record from a microphone into a WAV file written as the audio arrives.

``Recorder`` opens a sounddevice ``InputStream``; PortAudio's callback only measures the level
and queues the block; a writer thread appends blocks to a ``WavWriter`` whose header is valid
after every block. A crash, Ctrl-C or SIGKILL therefore keeps a playable file with everything
recorded so far (``repair_wav`` folds in the at most one block a kill can leave unstated).

States: ``idle -> recording <-> paused -> stopped``. The recording stops by itself when it reaches
``max_seconds``, or when the device fails (unplugged, audio server gone): ``error`` then holds a
``ListenError`` naming the device, and the file keeps what came before. No Textual in here: the
TUI's record panel polls ``level`` / ``elapsed`` / ``state`` and calls ``pause``/``resume``/``stop``.

Where a recording lives until it becomes a clip, and finding those a crash left behind, is in
listen/audio/recordings.py (light enough for the app's UI thread: no numpy, no PortAudio).
"""

from __future__ import annotations

import contextlib
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from listen.audio.devices import Device, find_device, sounddevice_module
from listen.audio.wavwriter import WavWriter
from listen.errors import ListenError

RecorderState = Literal["idle", "recording", "paused", "stopped"]

PREFERRED_RATE = 16000  # what transcription uses; taken when the device offers it
BLOCK_SECONDS = 0.05
# No audio from the device for this long while recording: it has gone. PortAudio usually says so
# at once (the stream finishes); this watchdog is for drivers that just go quiet. A busy machine
# can delay the very first block by a couple of seconds, so that one gets three times as long.
STALL_SECONDS = 5.0


@dataclass(frozen=True)
class Level:
    """Loudness of the last block, 0..1 of full scale (for a live meter)."""

    rms: float = 0.0
    peak: float = 0.0

    @property
    def dbfs(self) -> float:
        """RMS in dB relative to full scale, -120 for silence."""
        return 20 * math.log10(self.rms) if self.rms > 1e-6 else -120.0


class Recorder:
    """Capture from an input device into ``path`` (a new WAV file; never overwrites)."""

    def __init__(
        self,
        path: Path,
        *,
        device: int | str | None = None,
        sample_rate: int | None = None,
        channels: int = 1,
        max_seconds: float | None = None,
        block_seconds: float = BLOCK_SECONDS,
        stall_seconds: float = STALL_SECONDS,
        on_stop: Callable[[Recorder], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.max_seconds = max_seconds
        self._device_spec = device
        self._wanted_rate = sample_rate
        self._wanted_channels = channels
        self._block_seconds = block_seconds
        self._stall_seconds = stall_seconds
        self._on_stop = on_stop
        self._state: RecorderState = "idle"
        self._level = Level()
        self._error: ListenError | None = None
        self._overflows = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._lock = threading.Lock()
        self._finished = threading.Event()
        self._last_callback = 0.0
        self._blocks_seen = 0
        self._stream: Any = None
        self._writer: WavWriter | None = None
        self._thread: threading.Thread | None = None
        self.device: Device | None = None
        self.sample_rate = 0
        self.channels = 0

    # ------------------------------------------------------------------ what the UI reads

    @property
    def state(self) -> RecorderState:
        return self._state

    @property
    def level(self) -> Level:
        return self._level

    @property
    def elapsed(self) -> float:
        """Seconds of audio in the file (pauses excluded)."""
        writer = self._writer
        return writer.seconds if writer is not None else 0.0

    @property
    def error(self) -> ListenError | None:
        """Why the recording stopped by itself, when a device failed."""
        return self._error

    @property
    def overflows(self) -> int:
        """How many times the device delivered faster than we read (a gap in the audio)."""
        return self._overflows

    # ------------------------------------------------------------------ control

    def start(self) -> None:
        """Open the device and the file and begin recording. ListenError if it cannot."""
        if self._state != "idle":
            raise ListenError("this recorder has already been started")
        sd = sounddevice_module()
        device = find_device(self._device_spec, "input")
        channels = max(1, min(self._wanted_channels, device.inputs))
        rate = self._choose_rate(sd, device, channels)
        try:
            stream = sd.InputStream(
                device=device.index,
                samplerate=rate,
                channels=channels,
                dtype="int16",
                blocksize=max(1, int(rate * self._block_seconds)),
                latency="low",  # "high" delays the first block by ~1 s on PulseAudio
                callback=self._callback,
                finished_callback=self._stream_finished,
            )
        except (sd.PortAudioError, ValueError) as error:
            raise ListenError(f"cannot open input device {device.label}: {error}") from None
        try:
            self._writer = WavWriter(self.path, rate=rate, channels=channels)
        except OSError as error:
            stream.close()
            raise ListenError(f"{self.path}: cannot create the recording ({error.strerror})") from None
        self.device, self.sample_rate, self.channels = device, rate, channels
        self._stream = stream
        self._state = "recording"
        self._last_callback = time.monotonic()
        self._thread = threading.Thread(target=self._write_loop, name="listen-recorder", daemon=True)
        self._thread.start()
        try:
            stream.start()
        except sd.PortAudioError as error:
            self._fail(f"cannot start input device {device.label}: {error}")
            self.stop()
            if self.elapsed == 0.0:
                self.path.unlink(missing_ok=True)
            raise self._error or ListenError(str(error)) from None

    def pause(self) -> None:
        if self._state == "recording":
            self._state = "paused"

    def resume(self) -> None:
        if self._state == "paused":
            self._last_callback = time.monotonic()
            self._state = "recording"

    def toggle_pause(self) -> None:
        if self._state == "paused":
            self.resume()
        else:
            self.pause()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the recording has stopped (limit, device failure or ``stop``)."""
        return self._finished.wait(timeout)

    def stop(self) -> Path:
        """Stop, write everything received, close the file. Safe to call more than once."""
        with self._lock:
            if self._state == "idle":
                self._state = "stopped"
                self._finished.set()
                return self.path
            stream, self._stream = self._stream, None
        if stream is not None:
            self._close_stream(stream)
            self._queue.put(None)  # after the last block the callback could have queued
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        return self.path

    def __enter__(self) -> Recorder:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ internals

    def _choose_rate(self, sd: Any, device: Device, channels: int) -> int:
        for rate in (self._wanted_rate or PREFERRED_RATE, int(device.default_rate)):
            try:
                sd.check_input_settings(
                    device=device.index, channels=channels, dtype="int16", samplerate=rate
                )
                return rate
            except (sd.PortAudioError, ValueError):
                continue
        raise ListenError(f"input device {device.label} takes neither 16 kHz nor its own rate")

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's thread: measure, queue, return fast (no I/O, no locks)."""
        self._last_callback = time.monotonic()
        self._blocks_seen += 1
        if status.input_overflow:
            self._overflows += 1
        samples = indata.astype(np.float32)
        samples *= 1.0 / 32768.0
        self._level = Level(
            rms=float(np.sqrt(np.mean(samples * samples))) if frames else 0.0,
            peak=float(np.max(np.abs(samples))) if frames else 0.0,
        )
        if self._state == "recording":
            self._queue.put(indata.tobytes())

    def _stream_finished(self) -> None:
        """PortAudio's thread: the stream ended, by ``stop`` or because the device failed."""
        if self._stream is not None and self._state in ("recording", "paused"):
            self._fail(self._vanished_message())
        self._queue.put(None)

    def _write_loop(self) -> None:
        writer = self._writer
        assert writer is not None
        limit = None
        if self.max_seconds is not None:
            limit = max(0, round(self.max_seconds * self.sample_rate)) * self.channels * 2
        try:
            while True:
                try:
                    block = self._queue.get(timeout=0.25)
                except queue.Empty:
                    if self._stalled():
                        self._fail(self._vanished_message())
                        break
                    continue
                if block is None:
                    if self._stream is None or self._error is not None:
                        break
                    continue
                if limit is not None:
                    block = block[: max(0, limit - writer.data_bytes)]
                writer.write(block)
                if limit is not None and writer.data_bytes >= limit:
                    break
        except OSError as error:
            self._fail(f"{self.path}: cannot write the recording ({error.strerror})")
        finally:
            self._finish()

    def _stalled(self) -> bool:
        if self._state != "recording" or self._stream is None:
            return False
        allowed = self._stall_seconds * (1 if self._blocks_seen else 3)
        return time.monotonic() - self._last_callback > allowed

    def _finish(self) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
            self._state = "stopped"
        if stream is not None:
            self._close_stream(stream)
        if self._writer is not None:
            try:
                self._writer.close()
            except OSError as error:
                self._fail(f"{self.path}: cannot finish the recording ({error.strerror})")
        self._finished.set()
        if self._on_stop is not None:
            self._on_stop(self)

    def _close_stream(self, stream: Any) -> None:
        sd = sounddevice_module()
        with contextlib.suppress(sd.PortAudioError):
            if self._error is not None:
                stream.abort()  # a failed device may never drain its buffers
            else:
                stream.stop()  # lets the blocks already captured reach the callback
        with contextlib.suppress(sd.PortAudioError):
            stream.close()

    def _fail(self, message: str) -> None:
        if self._error is None:
            self._error = ListenError(message)

    def _vanished_message(self) -> str:
        label = self.device.label if self.device else "?"
        return (
            f"input device {label} stopped delivering audio (unplugged or its sound server "
            f"stopped); the {self.elapsed:.1f} s recorded before are kept in {self.path}"
        )
