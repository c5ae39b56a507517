"""Quotes: moments of a clip marked in a session.

Part of the session service (``listen.session.service``): each function is one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listen.domain import (
    Now,
    Quote,
    Session,
    stamp,
)
from listen.errors import NotFoundError
from listen.session.checks import (
    _open,
    _required,
)
from listen.session.errors import SessionError

if TYPE_CHECKING:
    from listen.store import Store


def mark_quote(
    store: Store,
    session_id: str,
    clip_id: str,
    start: float | None,
    end: float | None,
    text: str,
    speaker: str | None = None,
    *,
    sender: str | None = None,
    now: Now | None = None,
) -> Quote:
    """Mark a moment of a clip (seconds; None for text clips). The clip joins the session's list.
    ``speaker`` is the role (or name) of who said it; ``sender`` a text clip's sender's name."""
    words = _required(text, "the quote's text")
    if (start is not None and start < 0) or (end is not None and end < 0):
        raise SessionError(f"{clip_id}: a quote cannot start or end before 0 s")
    if start is not None and end is not None and end < start:
        start, end = end, start
    with store.transaction() as tx:
        session = _open(tx, session_id)
        clip = tx.clip(clip_id)
        quote = Quote(
            clip_id=clip.id,
            start=start,
            end=end,
            text=words,
            speaker=speaker or None,
            marked_at=stamp(now),
            sender=sender or None,
        )
        session.quotes.append(quote)
        if clip.id not in session.clip_ids:
            session.clip_ids.append(clip.id)
        tx.put(session)
    return quote


def delete_quote(store: Store, session_id: str, index: int, *, quote: Quote | None = None) -> Session:
    """Remove the session's quote number ``index`` (0-based, as in ``session.quotes``), or, with
    ``quote``, that quote wherever it now is (found under the lock: another window may have
    marked or deleted quotes since the caller read the list)."""
    with store.transaction() as tx:
        session = _open(tx, session_id)
        if quote is not None:
            index = next((n for n, q in enumerate(session.quotes) if q == quote), -1)
        if not 0 <= index < len(session.quotes):
            raise NotFoundError(f"{session_id}: no quote number {index + 1}")
        del session.quotes[index]
        tx.put(session)
    return session
