"""The one gate people's text passes on its way into a document.

Minutes (Markdown, HTML, the app's Minutes preview, the close step) and the report are built by
``build_minutes`` / ``build_report``, and both send every piece of text that came from people
(customers, reps, the team: titles, notes, quotes, ideas, names, roles...) through one
``Privacy``: personal data redacted (``redact.find_spans``) for the workspace's region, then names
replaced by roles when anonymising. Renderers only format what they are given.
"""

from __future__ import annotations

from listen.minutes.anonymise import People


class Privacy:
    """Redaction, then names replaced by roles: applied to every text a document shows."""

    def __init__(self, people: People, *, redacting: bool, region: str) -> None:
        self.people = people
        self.redacting = redacting
        self.region = region

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        if self.redacting:
            text = _redact(text, self.region)
        return self.people.text(text)

    def name(self, name: str | None) -> str:
        """A person as the document shows them: their name or their role, redacted too (a name
        field may hold an e-mail address)."""
        shown = self.people.name(name)
        return _redact(shown, self.region) if self.redacting and shown else shown


def _redact(text: str, region: str) -> str:
    # imported on the first text redacted: its patterns cost ~60 ms to compile, which a reader
    # that redacts nothing (redaction off, or no text shown) should not pay
    from listen.minutes.redact import redact

    return redact(text, region)
