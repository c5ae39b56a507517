"""A PCM WAV file that is valid after every write, so a crash keeps everything written so far.

Each ``write`` appends the samples and then rewrites the two size fields of the header (two
8-byte ``pwrite`` calls into the page cache: cheap). A process killed between the two steps
leaves at most one block after the size the header states; ``repair_wav`` folds it back in.
"""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

HEADER_BYTES = 44
_RIFF_SIZE_AT = 4
_DATA_SIZE_AT = 40
_FSYNC_EVERY_SECONDS = 5.0  # also survive a power cut, losing at most this much


def pcm_header(rate: int, channels: int, sample_bytes: int, data_bytes: int) -> bytes:
    """The canonical 44-byte RIFF/WAVE header for integer PCM."""
    block = channels * sample_bytes
    return (
        b"RIFF"
        + struct.pack("<I", min(36 + data_bytes, 0xFFFFFFFF))
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, 8 * sample_bytes)
        + b"data"
        + struct.pack("<I", min(data_bytes, 0xFFFFFFFF))
    )


class WavWriter:
    """Append-only 16-bit (or other integer width) PCM WAV writer with an always-valid header."""

    def __init__(self, path: Path, *, rate: int, channels: int, sample_bytes: int = 2) -> None:
        self.path = Path(path)
        self.rate = rate
        self.channels = channels
        self.sample_bytes = sample_bytes
        self.data_bytes = 0
        self._last_sync = time.monotonic()
        # O_EXCL: never overwrite someone's recording; no O_APPEND (pwrite must honour offsets)
        self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(self._fd, pcm_header(rate, channels, sample_bytes, 0))

    @property
    def frames(self) -> int:
        return self.data_bytes // (self.channels * self.sample_bytes)

    @property
    def seconds(self) -> float:
        return self.frames / self.rate

    def write(self, pcm: bytes) -> None:
        """Append interleaved samples (whole frames), then make the header state them."""
        if self._fd is None:
            raise ValueError("the WAV file is closed")
        if not pcm:
            return
        os.pwrite(self._fd, pcm, HEADER_BYTES + self.data_bytes)
        self.data_bytes += len(pcm)
        self._write_sizes()
        now = time.monotonic()
        if now - self._last_sync >= _FSYNC_EVERY_SECONDS:
            os.fsync(self._fd)
            self._last_sync = now

    def _write_sizes(self) -> None:
        assert self._fd is not None
        size = self.data_bytes + (self.data_bytes & 1)
        os.pwrite(self._fd, struct.pack("<I", min(36 + size, 0xFFFFFFFF)), _RIFF_SIZE_AT)
        os.pwrite(self._fd, struct.pack("<I", min(self.data_bytes, 0xFFFFFFFF)), _DATA_SIZE_AT)

    def close(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if self.data_bytes & 1:  # RIFF chunks are word-aligned
                os.pwrite(fd, b"\x00", HEADER_BYTES + self.data_bytes)
            os.fsync(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def repair_wav(path: Path) -> float | None:
    """Make a crashed recording's header state every whole frame in the file.

    Only for files this module wrote (canonical 44-byte header). Returns the seconds of audio,
    or None when the file is not such a WAV.
    """
    with open(path, "r+b") as handle:
        header = handle.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or header[:4] != b"RIFF" or header[36:40] != b"data":
            return None
        channels, rate, _, block = struct.unpack("<HIIH", header[22:34])
        if not channels or not rate or not block:
            return None
        size = os.fstat(handle.fileno()).st_size
        data = (size - HEADER_BYTES) // block * block
        handle.seek(_RIFF_SIZE_AT)
        handle.write(struct.pack("<I", min(36 + data + (data & 1), 0xFFFFFFFF)))
        handle.seek(_DATA_SIZE_AT)
        handle.write(struct.pack("<I", min(data, 0xFFFFFFFF)))
        handle.truncate(HEADER_BYTES + data + (data & 1))
    return data / block / rate
