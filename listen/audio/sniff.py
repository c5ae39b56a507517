"""Small, byte-level looks at a file that the decoder alone cannot give.

- ``describe_non_audio``: name a file that is plainly not audio (an image, a PDF, text...) from its
  first bytes, so the user reads "a PNG image" rather than "invalid data".
- ``read_wav_layout``: where a WAV file's data chunk starts and how long its header says it is,
  to tell a truncated WAV and trailing garbage apart.
- ``read_ogg_tail``: whether an Ogg file ends with a complete end-of-stream page.
- ``mp3_declared_seconds``: the frame count an MP3 encoder wrote into its Xing/Info/VBRI header.
- ``zero_prefix``: a file that starts with 64 KB of zero bytes (a sparse or placeholder file), to
  refuse it before FFmpeg scans all of it.

Everything here reads at most a few tens of kilobytes and never raises on odd input: it returns
``None`` when the bytes are not what it looks for.
"""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass
from pathlib import Path

_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"%PDF-", "a PDF document"),
    (0, b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x7fELF", "a program (ELF executable)"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (8, b"WEBP", "a WebP image"),
)


def describe_non_audio(head: bytes) -> str | None:
    """Name what ``head`` (the first few KB of a file) is when it is plainly not audio."""
    for offset, magic, name in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if magic == b"WEBP" and not head.startswith(b"RIFF"):
                continue
            return name
    if _looks_like_text(head):
        return "a text file"
    return None


ZERO_PREFIX_BYTES = 64 * 1024  # no audio container starts with this many zero bytes


def zero_prefix(path: Path, size: int) -> int | None:
    """How many bytes were checked when the file's first ``ZERO_PREFIX_BYTES`` (all of it when
    shorter) are zero bytes: an empty placeholder or a sparse file, not audio. FFmpeg would scan
    all of it for a frame (~30 s and more for a 3 GB sparse ``.flac``). None otherwise."""
    wanted = min(size, ZERO_PREFIX_BYTES)
    try:
        with open(path, "rb") as handle:
            head = handle.read(wanted)
    except OSError:
        return None
    return len(head) if head and len(head) == wanted and not head.strip(b"\0") else None


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        # final=False: a multi-byte character cut at the end of ``head`` is not an error
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    printable = sum(ch.isprintable() or ch in "\t\n\r\f" for ch in text)
    return printable >= 0.95 * max(len(text), 1)


# --------------------------------------------------------------------------- WAV


@dataclass(frozen=True)
class WavLayout:
    """What a RIFF/WAVE header promises, next to what the file holds."""

    file_size: int
    riff_end: int | None  # offset just past the RIFF chunk, None when the size is a placeholder
    data_offset: int
    data_size: int | None  # None when the header leaves it open (0 or 0xFFFFFFFF: still recording)
    byte_rate: int  # average bytes per second from the fmt chunk

    @property
    def data_present(self) -> int:
        """Bytes of the data chunk that the file actually holds."""
        available = self.file_size - self.data_offset
        return available if self.data_size is None else min(self.data_size, available)

    @property
    def missing_bytes(self) -> int:
        """Bytes the header promises that are not in the file (0 when complete or open-ended)."""
        if self.data_size is None:
            return 0
        return max(0, self.data_size - (self.file_size - self.data_offset))

    @property
    def trailing_bytes(self) -> int:
        """Bytes after everything the header accounts for (garbage appended to the file)."""
        ends = [self.data_offset + self.data_present + (self.data_present & 1)]
        if self.riff_end is not None:
            ends.append(self.riff_end)
        return max(0, self.file_size - max(ends))


def read_wav_layout(path: Path, file_size: int) -> WavLayout | None:
    """Walk the chunks of a RIFF/WAVE file up to its data chunk. None if it is not one."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(12)
            if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
                return None
            (riff_size,) = struct.unpack("<I", header[4:8])
            riff_end = None if riff_size in (0, 0xFFFFFFFF) else 8 + riff_size
            byte_rate = 0
            offset = 12
            for _ in range(64):  # a real file has a handful of chunks before its data
                chunk = handle.read(8)
                if len(chunk) < 8:
                    return None
                chunk_id, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                body_offset = offset + 8
                if chunk_id == b"fmt ":
                    fmt = handle.read(min(size, 40))
                    if len(fmt) >= 12:
                        byte_rate = struct.unpack("<I", fmt[8:12])[0]
                elif chunk_id == b"data":
                    data_size = None if size in (0, 0xFFFFFFFF) else size
                    return WavLayout(file_size, riff_end, body_offset, data_size, byte_rate)
                offset = body_offset + size + (size & 1)
                handle.seek(offset)
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------- Ogg

_OGG_MAX_PAGE = 27 + 255 + 255 * 255


@dataclass(frozen=True)
class OggTail:
    complete: bool  # the last page is whole and carries the end-of-stream flag
    trailing_bytes: int  # bytes after the last whole page


def read_ogg_tail(path: Path, file_size: int) -> OggTail | None:
    """Find the last Ogg page and check it ends the stream. None if no page is found."""
    start = max(0, file_size - 2 * _OGG_MAX_PAGE)
    try:
        with open(path, "rb") as handle:
            handle.seek(start)
            tail = handle.read()
    except OSError:
        return None
    position = len(tail)
    saw_partial_page = False
    while True:
        position = tail.rfind(b"OggS", 0, position)
        if position < 0:
            return OggTail(False, 0) if saw_partial_page else None
        page = tail[position : position + 27]
        if len(page) == 27 and page[4] == 0:
            segments = page[26]
            lacing = tail[position + 27 : position + 27 + segments]
            end = position + 27 + segments + sum(lacing)
            if len(lacing) == segments and end <= len(tail):
                is_last = bool(page[5] & 0x04)
                return OggTail(is_last and not saw_partial_page, len(tail) - end)
            saw_partial_page = True
        # not a page (or a cut one): look further back


# --------------------------------------------------------------------------- MP3

_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_declared_seconds(path: Path) -> float | None:
    """Seconds promised by the Xing/Info or VBRI header of an MP3, None when it has none."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(10)
            skip = 0
            if len(head) == 10 and head[:3] == b"ID3":
                size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
                skip = 10 + size + (10 if head[5] & 0x10 else 0)
            handle.seek(skip)
            data = handle.read(4096)
    except OSError:
        return None
    for index in range(len(data) - 4):
        if data[index] == 0xFF and data[index + 1] & 0xE0 == 0xE0:
            break
    else:
        return None
    b1, b2, b3 = data[index + 1], data[index + 2], data[index + 3]
    version, layer, rate_index = (b1 >> 3) & 3, (b1 >> 1) & 3, (b2 >> 2) & 3
    if version == 1 or layer != 1 or rate_index == 3:  # reserved version, not Layer III
        return None
    rate = _MP3_RATES[version][rate_index]
    mono = (b3 >> 6) & 3 == 3
    samples_per_frame = 1152 if version == 3 else 576
    side_info = (17 if mono else 32) if version == 3 else (9 if mono else 17)
    frames: int | None = None
    xing = index + 4 + side_info
    if data[xing : xing + 4] in (b"Xing", b"Info"):
        (flags,) = struct.unpack(">I", data[xing + 4 : xing + 8])
        if flags & 1:
            (frames,) = struct.unpack(">I", data[xing + 8 : xing + 12])
    vbri = index + 4 + 32
    if frames is None and data[vbri : vbri + 4] == b"VBRI":
        (frames,) = struct.unpack(">I", data[vbri + 14 : vbri + 18])
    if not frames:
        return None
    # the Xing frame itself is counted by some encoders and not by others: it is one frame
    return frames * samples_per_frame / rate
