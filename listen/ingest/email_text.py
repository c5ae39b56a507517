"""E-mails (.eml) as text clips: subject, sender and the plain body (HTML bodies reduced to text)."""

from __future__ import annotations

import email
import email.policy
import re
from html.parser import HTMLParser
from pathlib import Path

from listen.errors import InputError
from listen.ingest.text import TextContent

# The parser nests a call per MIME level: 3000 levels ended in RecursionError. Counting the multipart
# headers before parsing bounds the depth (and the work); real mail has a handful.
MAX_MULTIPART_SECTIONS = 100
_MULTIPART = re.compile(rb"^content-type:\s*multipart/", re.IGNORECASE | re.MULTILINE)
# The header parser's time grows faster than the header (a 1 MB subject took a minute), so one
# header field is limited to 16 KB; real ones (long Received: or DKIM lines) stay far below.
MAX_HEADER_FIELD_BYTES = 16 * 1024
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def read_email(path: Path, data: bytes) -> TextContent:
    """An e-mail's subject, sender and plain body (or its HTML body as text)."""
    _check_header_fields(path, data)
    sections = len(_MULTIPART.findall(data))
    if sections > MAX_MULTIPART_SECTIONS:
        raise InputError(
            path,
            f"the e-mail nests too many MIME parts ({sections:,} multipart sections; "
            f"the limit is {MAX_MULTIPART_SECTIONS})",
        )
    try:
        return _read_email(path, data)
    except RecursionError:  # a structure the count above did not catch
        raise InputError(path, "the e-mail nests its MIME parts too deeply") from None


def _check_header_fields(path: Path, data: bytes) -> None:
    """Refuse a header field (with its folded lines) longer than MAX_HEADER_FIELD_BYTES."""
    end = _HEADER_END.search(data)
    header = data[: end.start()] if end else data
    name, size = b"", 0
    for line in header.splitlines():
        if line[:1] in (b" ", b"\t"):
            size += len(line)
        else:
            name, size = line.split(b":", 1)[0], len(line)
        if size > MAX_HEADER_FIELD_BYTES:
            field = name[:40].decode("ascii", "replace") or "a header"
            raise InputError(
                path,
                f"the e-mail's {field} header is longer than {MAX_HEADER_FIELD_BYTES // 1024} KB "
                "(a real one is far shorter)",
            )


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
