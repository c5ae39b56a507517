"""The story check: each attendee's one-line story and its cohesion.

Part of the session service (``listen.session.service``): each function is one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from listen.domain import (
    StoryCheck,
)
from listen.session.checks import (
    _open,
)
from listen.session.story import cohesion_trend, story_cohesion

if TYPE_CHECKING:
    from listen.session.reads import SessionReuse
    from listen.store import Store
    from listen.store.store import View


def save_story_check(store: Store, session_id: str, answers: Mapping[str, str]) -> StoryCheck:
    """Keep each attendee's answer (empty answers are left out) and the cohesion computed from
    them (``story.story_cohesion``; None with fewer than two answers)."""
    kept = {name.strip(): text.strip() for name, text in answers.items() if name.strip() and text.strip()}
    result = story_cohesion(kept)
    check = StoryCheck(
        answers=kept,
        cohesion=result.cohesion,
        shared_words=list(result.shared_words),
        furthest=result.furthest,
    )
    with store.transaction() as tx:
        session = _open(tx, session_id)
        session.story_check = check
        tx.put(session)
    return check


def story_trend(
    store: View, until: str | None = None, *, reuse: SessionReuse | None = None
) -> list[tuple[str, float]]:
    """(session date, cohesion) of every session with a story check, oldest first."""
    sessions = store.sessions(reuse=reuse.sessions if reuse is not None else None)
    return cohesion_trend(s for s in sessions if until is None or s.date <= until)
