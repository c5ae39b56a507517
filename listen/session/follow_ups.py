"""Following up earlier actions: done, carried or dropped.

Part of the session service (``listen.session.service``): each function is one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listen.domain import (
    FOLLOW_UP_OUTCOMES,
    Action,
    FollowUp,
    Now,
    stamp,
)
from listen.session.checks import (
    _open,
)
from listen.session.errors import SessionError

if TYPE_CHECKING:
    from listen.session.reads import SessionReuse
    from listen.store import Store
    from listen.store.store import View


def actions_to_follow_up(store: View, session_id: str, *, reuse: SessionReuse | None = None) -> list[Action]:
    """Actions committed before this session that were open when it started: every open action
    not committed in this session (or in a later-dated one), plus those this session has already
    closed with a follow-up, so the step can show its own decisions. Oldest first."""
    session = store.session(session_id)
    dates = {s.id: s.date for s in store.sessions(reuse=reuse.sessions if reuse is not None else None)}
    result = []
    for action in store.actions(reuse=reuse.actions if reuse is not None else None):
        if action.session_id == session_id:
            continue
        if action.session_id in dates and dates[action.session_id] > session.date:
            continue
        if action.status == "open" or follow_up_in(action, session_id) is not None:
            result.append(action)
    return result


def follow_up_in(action: Action, session_id: str) -> FollowUp | None:
    """This session's decision about ``action``, if it made one."""
    for item in reversed(action.follow_ups):
        if item.session_id == session_id:
            return item
    return None


def follow_up(
    store: Store,
    session_id: str,
    action_id: str,
    outcome: str,
    note: str = "",
    due: str | None = None,
    *,
    now: Now | None = None,
) -> Action:
    """Record the session's decision about an earlier action: done | carried | dropped. A carried
    action gets ``due`` (ISO; not before the session) as its new due date when given."""
    if outcome not in FOLLOW_UP_OUTCOMES:
        choices = ", ".join(FOLLOW_UP_OUTCOMES)
        raise SessionError(f"{action_id}: outcome must be one of {choices}, not '{outcome}'")
    with store.transaction() as tx:
        _open(tx, session_id)
        action = tx.action(action_id)
        if action.session_id == session_id:
            raise SessionError(f"{action_id}: committed in this session; follow it up next time")
        action.follow_ups = [f for f in action.follow_ups if f.session_id != session_id]
        decided = FollowUp(session_id=session_id, outcome=outcome, note=note.strip(), at=stamp(now))  # type: ignore[arg-type]
        action.follow_ups.append(decided)
        if outcome == "carried":
            action.status = "open"
            action.closed_at = None
            if due is not None:
                session = tx.session(session_id)
                if due < session.date[:10]:
                    raise SessionError(
                        f"{action_id}: new due date {due} is before the session ({session.date})"
                    )
                action.due = due
        else:
            action.status = "done" if outcome == "done" else "dropped"
            action.closed_at = stamp(now)
        tx.put(action)
    return action
