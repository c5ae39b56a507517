"""Text clips: pasted chat threads (.txt, .md) and e-mails (.eml), checked and read as text
(their transcript, one segment per message, is made by listen.ingest.thread)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from listen.errors import InputError
from listen.ingest.limits import MAX_TEXT_BYTES

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".eml"})


@dataclass(frozen=True)
class TextContent:
    """A text clip's title, text and channel, read from its file."""

    title: str  # the e-mail's subject, or the file's stem
    text: str
    channel: str  # "email" for .eml, otherwise "chat"


def read_text_clip(path: Path, data: bytes) -> TextContent:
    """Check and parse the bytes of a text clip. Raises InputError naming the file and the reason."""
    if len(data) > MAX_TEXT_BYTES:
        raise too_large_for_text(path, len(data))
    if not data.strip():
        raise InputError(path, "the file is empty")
    if b"\x00" in data:
        raise InputError(path, "binary data, not text")
    if path.suffix.lower() == ".eml":
        from listen.ingest.email_text import read_email  # the email package costs ~15 ms: only for .eml

        return read_email(path, data)
    text = _decode_utf8(path, data).replace("\r\n", "\n").strip()
    if not text:
        raise InputError(path, "the file holds no text")
    return TextContent(title=path.stem, text=text, channel="chat")


def too_large_for_text(path: Path, size: int) -> InputError:
    return InputError(path, f"too large for a text clip ({size:,} bytes; the limit is 5 MB)")


def read_text_file(path: Path) -> bytes:
    """The bytes of a text clip's file, read only when its size is within the limit (a 3 GB
    file is refused from its size, not after reading it)."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_TEXT_BYTES:
                raise too_large_for_text(path, size)
            data = handle.read(MAX_TEXT_BYTES + 1)  # the file may grow while it is read
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror})") from None
    if len(data) > MAX_TEXT_BYTES:
        raise too_large_for_text(path, len(data))
    return data


def _decode_utf8(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if _looks_binary(data):
            raise InputError(path, "binary data, not text") from None
        raise InputError(
            path, f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); save it as UTF-8"
        ) from None
    if _control_ratio(text) > 0.05:
        raise InputError(path, "binary data, not text")
    return text


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    odd = sum(1 for byte in sample if byte < 9 or 13 < byte < 32 or byte == 127)
    return odd / max(1, len(sample)) > 0.05


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / max(1, len(sample))
