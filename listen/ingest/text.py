"""Text clips: pasted chat threads (.txt, .md) and e-mails (.eml), checked and turned into a transcript."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from listen.domain import Segment, Transcript, now_iso
from listen.errors import InputError

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".eml"})
MAX_TEXT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class TextContent:
    title: str  # the e-mail's subject, or the file's stem
    text: str
    channel: str  # "email" for .eml, otherwise "chat"


def read_text_clip(path: Path, data: bytes) -> TextContent:
    """Check and parse the bytes of a text clip. Raises InputError naming the file and the reason."""
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(path, f"too large for a text clip ({len(data):,} bytes; the limit is 5 MB)")
    if not data.strip():
        raise InputError(path, "the file is empty")
    if b"\x00" in data:
        raise InputError(path, "binary data, not text")
    if path.suffix.lower() == ".eml":
        return _read_email(path, data)
    text = _decode_utf8(path, data).replace("\r\n", "\n").strip()
    if not text:
        raise InputError(path, "the file holds no text")
    return TextContent(title=path.stem, text=text, channel="chat")


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


def _read_email(path: Path, data: bytes) -> TextContent:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not message.keys():
        raise InputError(path, "not an e-mail: no headers (save the thread as .txt instead)")
    subject = str(message.get("subject", "") or "").strip()
    sender = str(message.get("from", "") or "").strip()
    body_part = message.get_body(preferencelist=("plain", "html"))
    if body_part is None:
        raise InputError(path, "the e-mail has no text body")
    try:
        body = body_part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeDecodeError) as error:
        raise InputError(path, f"the e-mail body cannot be decoded ({error})") from None
    if body_part.get_content_type() == "text/html":
        body = html_to_text(body)
    body = str(body).replace("\r\n", "\n").strip()
    if not body and not subject:
        raise InputError(path, "the e-mail is empty")
    header = "\n".join(line for line in (f"From: {sender}" if sender else "", f"Subject: {subject}") if line)
    return TextContent(title=subject or path.stem, text=f"{header}\n\n{body}".strip(), channel="email")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    return re.sub(r"\n{3,}", "\n\n", "".join(extractor.parts))


def text_transcript(text: str) -> Transcript:
    """A text clip's transcript: one segment per paragraph, speaker taken from "Name: ..." lines."""
    segments = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if paragraph:
            segments.append(Segment(start=0.0, end=0.0, text=paragraph, speaker=_speaker_of(paragraph)))
    return Transcript(text=text, segments=segments, engine="text", created_at=now_iso())


_SPEAKER = re.compile(r"^\s*(customer|agent|rep|support|client)\s*:", re.IGNORECASE)


def _speaker_of(paragraph: str) -> str | None:
    match = _SPEAKER.match(paragraph)
    if not match:
        return None
    word = match.group(1).lower()
    return "customer" if word in ("customer", "client") else "agent"
