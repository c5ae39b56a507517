"""Fix ideas and the dot vote.

Part of the session service (``listen.session.service``): each function is one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from listen.domain import (
    FixIdea,
    Gap,
    Now,
    stamp,
)
from listen.errors import NotFoundError
from listen.session import voting
from listen.session.checks import (
    _action_for_idea,
    _attendee_name,
    _idea_in_open_session,
    _open,
    _required,
    _resolve_gap,
    _unique,
)
from listen.session.errors import SessionError

if TYPE_CHECKING:
    from listen.session.reads import SessionReuse
    from listen.store import Store
    from listen.store.store import View


def add_idea(
    store: Store,
    *,
    session_id: str,
    text: str,
    gap_ids: Sequence[str] = (),
    author: str | None = None,
    now: Now | None = None,
) -> FixIdea:
    """A fix idea for one or more gaps ("what would make it EASY for the customer?")."""
    words = _required(text, "the idea")
    with store.transaction() as tx:
        _open(tx, session_id)
        gaps = _unique(_resolve_gap(tx, g).id for g in gap_ids)
        idea = FixIdea(
            id=tx.next_id(FixIdea),
            text=words,
            gap_ids=gaps,
            author=(author or "").strip() or None,
            session_id=session_id,
            created_at=stamp(now),
        )
        tx.put(idea)
    return idea


def edit_idea(
    store: Store, idea_id: str, *, text: str | None = None, gap_ids: Sequence[str] | None = None
) -> FixIdea:
    with store.transaction() as tx:
        idea = _idea_in_open_session(tx, idea_id)
        if text is not None:
            idea.text = _required(text, "the idea")
        if gap_ids is not None:
            idea.gap_ids = _unique(_resolve_gap(tx, g).id for g in gap_ids)
        tx.put(idea)
    return idea


def delete_idea(store: Store, idea_id: str) -> None:
    """Remove an idea (its dots go back to their owners). Refused once it has an action."""
    with store.transaction() as tx:
        idea = _idea_in_open_session(tx, idea_id)
        action = _action_for_idea(tx, idea.id)
        if action is not None:
            raise SessionError(f"{idea_id}: already committed as {action.id}; drop the action instead")
        tx.delete(FixIdea, idea.id)


def vote_budget(n_ideas: int) -> int:
    """Dots per attendee for a session with ``n_ideas`` ideas: about a quarter, at least 1."""
    return voting.vote_budget(n_ideas)


def votes_left(store: View, session_id: str, attendee: str) -> int:
    ideas = store.ideas(session_id)
    return voting.votes_left(ideas, attendee, on_the_table=ideas_on_the_table(store, session_id, ideas))


def ideas_on_the_table(store: View, session_id: str, ideas: Sequence[FixIdea]) -> int:
    """How many ideas a vote is over: the session's ``ideas`` and the earlier open ideas on its
    gaps (shown beside them in Decide, with no dots), so the budget is the one the room sees."""
    return len(ideas) + len(earlier_ideas(store, session_id))


def cast_vote(store: Store, idea_id: str, attendee: str, delta: int = 1) -> FixIdea:
    """Add ``delta`` dots from ``attendee`` (a session attendee) to the idea; a negative delta takes
    dots back. Raises VoteBudgetError past the attendee's budget across the session's ideas."""
    with store.transaction() as tx:
        idea = _idea_in_open_session(tx, idea_id)
        assert idea.session_id is not None
        session = tx.session(idea.session_id)
        name = _attendee_name(session, attendee)
        ideas = tx.ideas(session.id)
        target = next(i for i in ideas if i.id == idea.id)
        pool = ideas_on_the_table(tx, session.id, ideas) if delta > 0 else None
        voting.apply_vote(ideas, target, name, int(delta), on_the_table=pool)
        tx.put(target)
    return target


def set_impact_effort(store: Store, idea_id: str, impact: int | None, effort: int | None) -> FixIdea:
    """Impact and effort, each 1 (low) to 3 (high), or None to clear."""
    impact = voting.check_score("impact", impact)
    effort = voting.check_score("effort", effort)
    with store.transaction() as tx:
        idea = _idea_in_open_session(tx, idea_id)
        idea.impact, idea.effort = impact, effort
        tx.put(idea)
    return idea


def pick_idea(store: Store, idea_id: str, picked: bool = True) -> FixIdea:
    """Pick (or unpick) an idea to commit. Unpicking is refused once it has an action."""
    with store.transaction() as tx:
        idea = _idea_in_open_session(tx, idea_id)
        if not picked:
            action = _action_for_idea(tx, idea.id)
            if action is not None:
                raise SessionError(f"{idea_id}: already committed as {action.id}; drop the action instead")
        idea.picked = picked
        tx.put(idea)
    return idea


def ranked_ideas(store: View, session_id: str, *, reuse: SessionReuse | None = None) -> list[FixIdea]:
    """The session's ideas, most dots first (then impact high, effort low)."""
    return voting.ranked(store.ideas(session_id, reuse=reuse.ideas if reuse is not None else None))


# --------------------------------------------------------------------------- earlier ideas (issue 12)


def earlier_ideas(
    store: View,
    session_id: str,
    *,
    reuse: SessionReuse | None = None,
    gaps_here: Sequence[Gap] | None = None,
) -> list[FixIdea]:
    """Open ideas from earlier sessions on the gaps this session tagged: not picked, no action
    made from them. Oldest first. They can be brought into this session (``bring_forward_idea``).
    With ``reuse``, unchanged documents are the objects of the reader's last read; ``gaps_here``
    is ``gaps_in_session`` when the caller has just read it (not read twice). Without it, only the
    gaps the earlier ideas name are read (each dot counts these ideas: reading all 2,000 gaps in
    the write was ~160 ms of the ~170 a dot took)."""
    session = store.session(session_id)
    sessions = store.sessions(reuse=reuse.sessions if reuse is not None else None)
    dates = {s.id: s.date for s in sessions}
    actions = store.actions(reuse=reuse.actions if reuse is not None else None)
    committed = {a.origin_id for a in actions if a.origin_kind == "idea"}
    open_earlier = [
        idea
        for idea in store.ideas(reuse=reuse.ideas if reuse is not None else None)
        if idea.session_id != session_id
        and dates.get(idea.session_id or "", "") < session.date
        and not idea.picked
        and idea.id not in committed
    ]
    if gaps_here is not None:
        here = {gap.id for gap in gaps_here}
    else:
        named = {gap_id for idea in open_earlier for gap_id in idea.gap_ids}
        here = {gap_id for gap_id in named if _tagged_in(store, gap_id, session_id)}
    found = [idea for idea in open_earlier if here.intersection(idea.gap_ids)]
    return sorted(found, key=lambda idea: (idea.created_at, idea.id))


def _tagged_in(store: View, gap_id: str, session_id: str) -> bool:
    """Whether the gap (not merged away) was tagged or linked in the session (gaps_in_session's rule)."""
    try:
        gap = store.gap(gap_id)
    except NotFoundError:
        return False
    return gap.merged_into is None and any(link.session_id == session_id for link in gap.links)


def bring_forward_idea(store: Store, idea_id: str, session_id: str) -> FixIdea:
    """Make an earlier idea one of this session's, to vote on and commit like a new one: its old
    dots belonged to an earlier vote and are cleared; ``first_session_id`` remembers where it came
    from. Already here: unchanged."""
    with store.transaction() as tx:
        _open(tx, session_id)
        idea = tx.idea(idea_id)
        if idea.session_id == session_id:
            return idea
        idea.first_session_id = idea.first_session_id or idea.session_id
        idea.session_id = session_id
        idea.votes = {}
        tx.put(idea)
    return idea
