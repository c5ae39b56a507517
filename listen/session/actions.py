"""Actions: commit a picked idea or a decision, edit, close; one due-date rule.

Part of the session service (``listen.session.service``): each function is one transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from listen.domain import (
    Action,
    FixIdea,
    Now,
    Session,
    stamp,
)
from listen.errors import NotFoundError
from listen.session.checks import (
    _action_for_idea,
    _open,
    _required,
    _unassigned,
)
from listen.session.dates import parse_due
from listen.session.errors import SessionError

if TYPE_CHECKING:
    from listen.session.reads import SessionReuse
    from listen.store import Store
    from listen.store.store import View


def commit_action(
    store: Store,
    *,
    session_id: str,
    idea_id: str | None,
    title: str,
    owner: str,
    due: str,
    today: dt.date | None = None,
    now: Now | None = None,
) -> Action:
    """Turn a picked idea (or, with ``idea_id=None``, a plain decision) into an action.

    Owner and due date are required (no orphans). ``due`` is an ISO date or a form ``parse_due``
    reads (``+7d``, ``friday``...), counted from today (or from the session's date when that is
    later); it cannot be before the session. An empty title takes the idea's text. One action per idea.
    """
    who = _required(owner, "the action's owner")
    with store.transaction() as tx:
        session = _open(tx, session_id)
        due_iso = _due_date(due, session, today or (now().date() if now else None))
        idea: FixIdea | None = None
        if idea_id is not None:
            idea = tx.idea(idea_id)
            if idea.session_id != session_id:
                raise SessionError(f"{idea_id}: an idea of session {idea.session_id}, not {session_id}")
            existing = _action_for_idea(tx, idea.id)
            if existing is not None:
                raise SessionError(f"{idea_id}: already committed as {existing.id}; edit that action")
        name = (title or "").strip() or (idea.text if idea else "")
        action = Action(
            id=tx.next_id(Action),
            title=_required(name, "the action's title"),
            owner=who,
            due=due_iso,
            origin_kind="idea" if idea else "session",
            origin_id=idea.id if idea else session_id,
            session_id=session_id,
            created_at=stamp(now),
        )
        tx.put(action)
        if idea is not None and not idea.picked:
            idea.picked = True
            tx.put(idea)
    return action


def update_action(
    store: Store,
    action_id: str,
    *,
    title: str | None = None,
    owner: str | None = None,
    due: str | None = None,
    today: dt.date | None = None,
) -> Action:
    """Edit an action's title, owner or due date (each stays required; the due date follows the
    same rule as ``commit_action``: not before the session that committed the action)."""
    with store.transaction() as tx:
        action = tx.action(action_id)
        if title is not None:
            action.title = _required(title, "the action's title")
        if owner is not None:
            action.owner = _required(owner, "the action's owner")
        if due is not None:
            action.due = _due_date(due, _committing_session(tx, action), today)
        tx.put(action)
    return action


def _due_date(due: str, session: Session | None, today: dt.date | None) -> str:
    """The one due-date rule for committing and editing an action: ``due`` as ``parse_due`` reads
    it, counted from ``today`` (default: today, or the session's date when that is later), never
    before the session's date."""
    session_day = dt.date.fromisoformat(session.date[:10]) if session is not None else None
    if today is None:
        today = max(session_day, dt.date.today()) if session_day else dt.date.today()
    due_iso = parse_due(due, today)
    if session is not None and due_iso < session.date[:10]:
        raise SessionError(f"due date {due_iso} is before the session ({session.date})")
    return due_iso


def action_due(store: View, action: Action, due: str, today: dt.date | None = None) -> str:
    """The due date ``update_action`` would save for ``action`` (SessionError if refused): for a
    form to check what was typed before saving."""
    return _due_date(due, _committing_session(store, action), today)


def _committing_session(tx: View, action: Action) -> Session | None:
    if not action.session_id:
        return None
    try:
        return tx.session(action.session_id)
    except NotFoundError:
        return None


def set_action_status(store: Store, action_id: str, status: str, *, now: Now | None = None) -> Action:
    """Close or reopen an action outside a session (the Actions screen): open | done | dropped."""
    if status not in ("open", "done", "dropped"):
        raise SessionError(f"{action_id}: status must be open, done or dropped, not '{status}'")
    with store.transaction() as tx:
        action = tx.action(action_id)
        action.status = status  # type: ignore[assignment]
        action.closed_at = None if status == "open" else stamp(now)
        tx.put(action)
    return action


def unassigned_picks(store: View, session_id: str) -> list[FixIdea]:
    """Picked ideas of the session that have no action yet (the orphans to fix before closing)."""
    return _unassigned(store, session_id)


def session_actions(store: View, session_id: str, *, reuse: SessionReuse | None = None) -> list[Action]:
    """The actions this session committed."""
    return [
        a
        for a in store.actions(reuse=reuse.actions if reuse is not None else None)
        if a.session_id == session_id
    ]
