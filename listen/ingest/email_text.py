"""E-mails (.eml) as text clips: subject, sender and the plain body (HTML bodies reduced to text)."""

from __future__ import annotations

import email
import email.policy
import re
from html.parser import HTMLParser
from pathlib import Path

from listen.errors import InputError
from listen.ingest.text import TextContent


def read_email(path: Path, data: bytes) -> TextContent:
    """An e-mail's subject, sender and plain body (or its HTML body as text)."""
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
