"""What a running session does to the workspace: plain functions over the Store.

Every function that changes data runs one transaction (the cross-process lock is held only for
that call), so a change is saved the moment it is made and nothing is lost if the terminal
closes. Each returns the updated domain object(s), read back inside the same transaction.

Rules kept here, whatever the UI does:
- a closed session is read-only (``SessionError``);
- gap categories come from ``listen.toml`` (``gap_categories``); only Policy gaps carry a verdict;
- a linked or merged-away gap resolves to the gap it was merged into;
- dot votes stay within each attendee's budget (``voting.vote_budget``), across the session;
- an action always has an owner and a due date; a session with picked ideas that have no action
  does not close (``OrphanError``) unless forced;
- follow-ups: ``done`` and ``dropped`` close an action, ``carried`` keeps it open so the next session
  follows it up again. Deciding again in the same session replaces the earlier decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from listen.domain import (
    FOLLOW_UP_OUTCOMES,
    GAP_STATUSES,
    POLICY_VERDICTS,
    Action,
    Attendee,
    Clip,
    FixIdea,
    FollowUp,
    Gap,
    GapLink,
    Quote,
    Session,
    StoryCheck,
    now_iso,
    today_iso,
)
from listen.errors import NotFoundError
from listen.session import voting
from listen.session.dates import parse_due
from listen.session.errors import OrphanError, SessionError
from listen.session.story import story_cohesion
from listen.settings import Settings, load_settings

if TYPE_CHECKING:
    from listen.session.agenda import Agenda
    from listen.store import Store
    from listen.store.store import View

POLICY_CATEGORY = "policy"
MAX_TITLE = 200

AttendeeLike = Attendee | str | tuple[str, str]


# --------------------------------------------------------------------------- sessions


NEXT_SESSION_PICKS = "next_session_picks"


def next_session_picks(store: View) -> list[str]:
    """Clips picked in the Inbox for the next session (saved, so a closed app keeps them)."""
    return [str(clip_id) for clip_id in store.meta(NEXT_SESSION_PICKS).get("clip_ids", [])]


def set_next_session_picks(store: Store, clip_ids: Sequence[str]) -> list[str]:
    """Save the Inbox picks for the next session (full ids, each once, in the order given)."""
    with store.transaction() as tx:
        full = _full_clip_ids(tx, clip_ids)
        tx.put_meta(NEXT_SESSION_PICKS, {"clip_ids": full})
    return full


def _full_clip_ids(view: View, clip_ids: Iterable[str]) -> list[str]:
    """Clip ids or unique prefixes as full ids, each once, in the order given (NotFoundError if not)."""
    full: list[str] = []
    for clip_id in clip_ids:
        clip = view.clip(clip_id)
        if clip.id not in full:
            full.append(clip.id)
    return full


def start_session(
    store: Store,
    *,
    facilitator: str,
    attendees: Iterable[AttendeeLike] = (),
    pack_name: str | None = None,
    clip_ids: Sequence[str] = (),
    date: str | None = None,
) -> Session:
    """Create and save a new open session.

    ``attendees`` are ``Attendee`` objects, names, or ``(name, role)`` pairs; the facilitator is
    added to them (role "facilitator") when missing, so they can vote too. Duplicate names
    (ignoring case) are kept once. ``pack_name`` defaults to ``listen.toml``'s ``prompt_pack`` and
    must load (a malformed pack raises PackError now, not mid-meeting). ``clip_ids`` may be unique
    prefixes; they are stored in full. ``date`` is an ISO date (default: today).
    """
    from listen.session.packs import load_pack

    facilitator = _required(facilitator, "the facilitator's name")
    if pack_name is None:
        pack_name = _settings(store).prompt_pack
    load_pack(pack_name, store.workspace)
    day = _iso_date(date) if date else today_iso()
    people: list[Attendee] = []
    for item in attendees:
        _add_person(people, _attendee(item))
    if not any(voting.name_key(p.name) == voting.name_key(facilitator) for p in people):
        people.insert(0, Attendee(name=facilitator, role=_member_role(store, facilitator) or "facilitator"))
    with store.transaction() as tx:
        full_ids = _full_clip_ids(tx, clip_ids)
        session = Session(
            id=tx.new_session_id(day),
            date=day,
            facilitator=facilitator,
            attendees=people,
            prompt_pack=pack_name,
            clip_ids=full_ids,
        )
        tx.put(session)
        if tx.meta(NEXT_SESSION_PICKS):  # the picks went into this session
            tx.put_meta(NEXT_SESSION_PICKS, {"clip_ids": []})
    return session


def unheard_clips(store: Store) -> list[Clip]:
    """Clips no session has played yet, failed ones left out (oldest first, as store.clips)."""
    heard = {clip_id for session in store.sessions() for clip_id in session.clip_ids}
    return [clip for clip in store.clips() if clip.id not in heard and clip.status != "failed"]


def open_session(store: View) -> Session | None:
    """The most recent unfinished session (to offer for resume), or None."""
    return store.latest_session(status="open")


def last_closed_session(store: View, before: Session | None = None) -> Session | None:
    """The latest closed session (dated on or before ``before``, when given)."""
    sessions = [s for s in store.sessions() if s.status == "closed"]
    if before is not None:
        sessions = [s for s in sessions if s.id != before.id and s.date <= before.date]
    return sessions[-1] if sessions else None


def add_attendee(store: Store, session_id: str, name: str, role: str = "") -> Session:
    """Add someone mid-way (a name already there, ignoring case, only updates the role if given)."""
    person = Attendee(name=_required(name, "the attendee's name"), role=role.strip())
    with store.transaction() as tx:
        session = _open(tx, session_id)
        _add_person(session.attendees, person)
        tx.put(session)
    return session


def add_clip(store: Store, session_id: str, clip_id: str) -> Session:
    """Add a clip to the session's list (played clips, in order). Already there: unchanged."""
    with store.transaction() as tx:
        session = _open(tx, session_id)
        clip = tx.clip(clip_id)
        if clip.id not in session.clip_ids:
            session.clip_ids.append(clip.id)
            tx.put(session)
    return session


def remove_clip(store: Store, session_id: str, clip_id: str) -> Session:
    """Take a clip off the session's list (its quotes and gap links stay)."""
    with store.transaction() as tx:
        session = _open(tx, session_id)
        clip = tx.clip(clip_id)
        if clip.id in session.clip_ids:
            session.clip_ids.remove(clip.id)
            tx.put(session)
    return session


def save_progress(
    store: Store,
    session_id: str,
    step_index: int,
    step_seconds: Mapping[str, float],
    step_extensions: Mapping[str, float] | None = None,
) -> Session:
    """Remember where the agenda is and the time spent per step (keys as in ``Agenda``)."""
    if step_index < 0:
        raise SessionError(f"{session_id}: the step index cannot be negative")
    with store.transaction() as tx:
        session = _open(tx, session_id)
        session.step_index = int(step_index)
        session.step_seconds = {key: round(float(value), 3) for key, value in step_seconds.items()}
        if step_extensions is not None:
            session.step_extensions = {k: float(v) for k, v in step_extensions.items()}
        tx.put(session)
    return session


def save_agenda(store: Store, session_id: str, agenda: Agenda) -> Session:
    """``save_progress`` with the agenda's current index, times and extensions."""
    index, seconds, extensions = agenda.snapshot()
    return save_progress(store, session_id, index, seconds, extensions)


def add_note(store: Store, session_id: str, text: str) -> Session:
    """A free note for the minutes."""
    note = _required(text, "the note")
    with store.transaction() as tx:
        session = _open(tx, session_id)
        session.notes.append(note)
        tx.put(session)
    return session


def close_session(store: Store, session_id: str, *, force: bool = False) -> Session:
    """Mark the session finished. Refuses (OrphanError) while picked ideas have no action, unless
    ``force``. Closing twice is harmless."""
    with store.transaction() as tx:
        session = tx.session(session_id)
        if session.status == "closed":
            return session
        orphans = _unassigned(tx, session_id)
        if orphans and not force:
            ids = ", ".join(idea.id for idea in orphans)
            raise OrphanError(
                f"{session_id}: picked idea(s) {ids} have no action yet; commit each with an owner "
                "and a due date, or unpick it"
            )
        session.status = "closed"
        session.ended_at = now_iso()
        tx.put(session)
    return session


# --------------------------------------------------------------------------- follow-up


def actions_to_follow_up(store: View, session_id: str) -> list[Action]:
    """Actions committed before this session that were open when it started: every open action
    not committed in this session (or in a later-dated one), plus those this session has already
    closed with a follow-up, so the step can show its own decisions. Oldest first."""
    session = store.session(session_id)
    dates = {s.id: s.date for s in store.sessions()}
    result = []
    for action in store.actions():
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
    store: Store, session_id: str, action_id: str, outcome: str, note: str = "", due: str | None = None
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
        action.follow_ups.append(FollowUp(session_id=session_id, outcome=outcome, note=note.strip()))  # type: ignore[arg-type]
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
            action.closed_at = now_iso()
        tx.put(action)
    return action


# --------------------------------------------------------------------------- quotes


def mark_quote(
    store: Store,
    session_id: str,
    clip_id: str,
    start: float | None,
    end: float | None,
    text: str,
    speaker: str | None = None,
) -> Quote:
    """Mark a moment of a clip (seconds; None for text clips). The clip joins the session's list."""
    words = _required(text, "the quote's text")
    if (start is not None and start < 0) or (end is not None and end < 0):
        raise SessionError(f"{clip_id}: a quote cannot start or end before 0 s")
    if start is not None and end is not None and end < start:
        start, end = end, start
    with store.transaction() as tx:
        session = _open(tx, session_id)
        clip = tx.clip(clip_id)
        quote = Quote(clip_id=clip.id, start=start, end=end, text=words, speaker=speaker or None)
        session.quotes.append(quote)
        if clip.id not in session.clip_ids:
            session.clip_ids.append(clip.id)
        tx.put(session)
    return quote


def delete_quote(store: Store, session_id: str, index: int) -> Session:
    """Remove the session's quote number ``index`` (0-based, as in ``session.quotes``)."""
    with store.transaction() as tx:
        session = _open(tx, session_id)
        if not 0 <= index < len(session.quotes):
            raise NotFoundError(f"{session_id}: no quote number {index + 1}")
        del session.quotes[index]
        tx.put(session)
    return session


# --------------------------------------------------------------------------- gaps


def tag_new_gap(
    store: Store,
    *,
    session_id: str | None,
    clip_id: str | None,
    category: str,
    title: str,
    description: str = "",
    severity: int = 2,
    verdict: str | None = None,
    at: float | None = None,
    quote: str | None = None,
    by: str | None = None,
    settings: Settings | None = None,
) -> Gap:
    """Create a gap seen in ``clip_id`` (at ``at`` seconds / the ``quote``) during the session.

    ``category`` must be one of the workspace's ``gap_categories`` (matched ignoring case, stored as
    spelled there); ``verdict`` (eliminate | rephrase | initiate) is for Policy gaps only.
    """
    categories = (settings or _settings(store)).gap_categories
    canonical = _category(category, categories)
    gap_title = _required(title, "the gap's title")[:MAX_TITLE]
    with store.transaction() as tx:
        if session_id is not None:
            _open(tx, session_id)
        full_clip = tx.clip(clip_id).id if clip_id else None
        gap = Gap(
            id=tx.next_id(Gap),
            category=canonical,
            title=gap_title,
            description=description.strip(),
            severity=_severity(severity),
            verdict=_verdict(canonical, verdict),  # type: ignore[arg-type]
            created_by=(by or "").strip() or None,
        )
        if full_clip or session_id:
            gap.links.append(GapLink(clip_id=full_clip, session_id=session_id, at=at, quote=_opt(quote)))
        tx.put(gap)
    return gap


def link_gap(
    store: Store,
    gap_id: str,
    *,
    session_id: str | None,
    clip_id: str | None,
    at: float | None = None,
    quote: str | None = None,
) -> Gap:
    """Record that an existing gap showed up again (times seen + 1). A gap that was merged away
    resolves to the gap it was merged into. The same clip, session and moment is linked once."""
    with store.transaction() as tx:
        if session_id is not None:
            _open(tx, session_id)
        gap = _resolve_gap(tx, gap_id)
        full_clip = tx.clip(clip_id).id if clip_id else None
        link = GapLink(clip_id=full_clip, session_id=session_id, at=at, quote=_opt(quote))
        if not any(_same_link(link, old) for old in gap.links):
            gap.links.append(link)
            tx.put(gap)
    return gap


def unlink_gap(store: Store, gap_id: str, *, session_id: str, clip_id: str | None) -> Gap:
    """Undo this session's links of the gap to the clip (a mistaken tag)."""
    with store.transaction() as tx:
        _open(tx, session_id)
        gap = _resolve_gap(tx, gap_id)
        full_clip = tx.clip(clip_id).id if clip_id else None
        kept = [k for k in gap.links if not (k.session_id == session_id and k.clip_id == full_clip)]
        if len(kept) != len(gap.links):
            gap.links = kept
            tx.put(gap)
    return gap


def update_gap(
    store: Store,
    gap_id: str,
    *,
    title: str | None = None,
    description: str | None = None,
    category: str | None = None,
    severity: int | None = None,
    verdict: str | None = None,
    settings: Settings | None = None,
) -> Gap:
    """Edit a gap's fields (None leaves a field as it is; ``verdict=""`` clears the verdict)."""
    categories = (settings or _settings(store)).gap_categories
    with store.transaction() as tx:
        gap = _resolve_gap(tx, gap_id)
        if title is not None:
            gap.title = _required(title, "the gap's title")[:MAX_TITLE]
        if description is not None:
            gap.description = description.strip()
        if category is not None:
            gap.category = _category(category, categories)
        if severity is not None:
            gap.severity = _severity(severity)
        if verdict is not None:
            gap.verdict = _verdict(gap.category, verdict or None)  # type: ignore[assignment]
        elif gap.category.casefold() != POLICY_CATEGORY:
            gap.verdict = None
        tx.put(gap)
    return gap


def set_gap_status(store: Store, gap_id: str, status: str) -> Gap:
    """open | fixing | fixed | wont-fix."""
    if status not in GAP_STATUSES:
        raise SessionError(f"{gap_id}: status must be one of {', '.join(GAP_STATUSES)}, not '{status}'")
    with store.transaction() as tx:
        gap = _resolve_gap(tx, gap_id)
        gap.status = status  # type: ignore[assignment]
        tx.put(gap)
    return gap


def merge_gaps(store: Store, keep_id: str, merge_id: str) -> Gap:
    """Fold gap ``merge_id`` into ``keep_id``: its links move over (times seen add up), ideas and
    actions that pointed at it point at the kept gap, and it stays on record with ``merged_into``
    set (the ledger hides it). The kept gap takes the higher severity and, if it had none, the
    other's description."""
    with store.transaction() as tx:
        keep = _resolve_gap(tx, keep_id)
        gone = tx.gap(merge_id)
        if gone.merged_into is not None:
            raise SessionError(f"{merge_id}: already merged into {gone.merged_into}")
        if gone.id == keep.id:
            raise SessionError(f"{keep_id}: cannot merge a gap into itself")
        for link in gone.links:
            if not any(_same_link(link, old) for old in keep.links):
                keep.links.append(link)
        keep.links.sort(key=lambda link: link.linked_at)
        keep.severity = max(keep.severity, gone.severity)
        if not keep.description and gone.description:
            keep.description = gone.description
        if keep.verdict is None and keep.category == gone.category:
            keep.verdict = gone.verdict
        gone.merged_into = keep.id
        tx.put(keep)
        tx.put(gone)
        for idea in tx.ideas():
            if gone.id in idea.gap_ids:
                idea.gap_ids = _unique(keep.id if g == gone.id else g for g in idea.gap_ids)
                tx.put(idea)
        for action in tx.actions():
            if action.origin_kind == "gap" and action.origin_id == gone.id:
                action.origin_id = keep.id
                tx.put(action)
    return keep


def gaps_in_session(store: View, session_id: str) -> list[Gap]:
    """The gaps tagged or linked in this session, in the order first linked."""
    found = [g for g in store.gaps() if session_id in g.session_ids]
    return sorted(found, key=lambda g: min(k.linked_at for k in g.links if k.session_id == session_id))


def gaps_for_clip(store: View, clip_id: str, session_id: str | None = None) -> list[Gap]:
    """The gaps linked to a clip (in one session, when given)."""
    return [
        gap
        for gap in store.gaps()
        if any(k.clip_id == clip_id and session_id in (None, k.session_id) for k in gap.links)
    ]


# --------------------------------------------------------------------------- ideas and the vote


def add_idea(
    store: Store,
    *,
    session_id: str,
    text: str,
    gap_ids: Sequence[str] = (),
    author: str | None = None,
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
    return voting.votes_left(store.ideas(session_id), attendee)


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
        voting.apply_vote(ideas, target, name, int(delta))
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


def ranked_ideas(store: View, session_id: str) -> list[FixIdea]:
    """The session's ideas, most dots first (then impact high, effort low)."""
    return voting.ranked(store.ideas(session_id))


# --------------------------------------------------------------------------- actions


def commit_action(
    store: Store,
    *,
    session_id: str,
    idea_id: str | None,
    title: str,
    owner: str,
    due: str,
    today: dt.date | None = None,
) -> Action:
    """Turn a picked idea (or, with ``idea_id=None``, a plain decision) into an action.

    Owner and due date are required (no orphans). ``due`` is an ISO date or a form ``parse_due``
    reads (``+7d``, ``friday``...), counted from today (or from the session's date when that is
    later); it cannot be before the session. An empty title takes the idea's text. One action per idea.
    """
    who = _required(owner, "the action's owner")
    with store.transaction() as tx:
        session = _open(tx, session_id)
        session_day = dt.date.fromisoformat(session.date[:10])
        due_iso = parse_due(due, today or max(session_day, dt.date.today()))
        if due_iso < session.date[:10]:
            raise SessionError(f"due date {due_iso} is before the session ({session.date})")
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
    """Edit an action's title, owner or due date (each stays required)."""
    with store.transaction() as tx:
        action = tx.action(action_id)
        if title is not None:
            action.title = _required(title, "the action's title")
        if owner is not None:
            action.owner = _required(owner, "the action's owner")
        if due is not None:
            action.due = parse_due(due, today)
        tx.put(action)
    return action


def set_action_status(store: Store, action_id: str, status: str) -> Action:
    """Close or reopen an action outside a session (the Actions screen): open | done | dropped."""
    if status not in ("open", "done", "dropped"):
        raise SessionError(f"{action_id}: status must be open, done or dropped, not '{status}'")
    with store.transaction() as tx:
        action = tx.action(action_id)
        action.status = status  # type: ignore[assignment]
        action.closed_at = None if status == "open" else now_iso()
        tx.put(action)
    return action


def unassigned_picks(store: View, session_id: str) -> list[FixIdea]:
    """Picked ideas of the session that have no action yet (the orphans to fix before closing)."""
    return _unassigned(store, session_id)


def session_actions(store: View, session_id: str) -> list[Action]:
    """The actions this session committed."""
    return [a for a in store.actions() if a.session_id == session_id]


# --------------------------------------------------------------------------- story check


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


def story_trend(store: View, until: str | None = None) -> list[tuple[str, float]]:
    """(session date, cohesion) of every session with a story check, oldest first."""
    return [
        (s.date, s.story_check.cohesion)
        for s in store.sessions()
        if s.story_check is not None
        and s.story_check.cohesion is not None
        and (until is None or s.date <= until)
    ]


# --------------------------------------------------------------------------- helpers


def _settings(store: Store) -> Settings:
    return load_settings(store.workspace.settings_path)


def _member_role(store: Store, name: str) -> str:
    try:
        members = _settings(store).members
    except Exception:  # a broken listen.toml is reported elsewhere; the role is a nicety
        return ""
    for member in members:
        if voting.name_key(member.name) == voting.name_key(name):
            return member.role
    return ""


def _required(value: str | None, what: str) -> str:
    text = " ".join((value or "").split()) if what != "the idea" else (value or "").strip()
    if not text:
        raise SessionError(f"{what} is required")
    return text


def _opt(text: str | None) -> str | None:
    return (text or "").strip() or None


def _iso_date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise SessionError(f"'{text}' is not a date (write YYYY-MM-DD)") from None


def _attendee(item: AttendeeLike) -> Attendee:
    if isinstance(item, Attendee):
        return Attendee(name=_required(item.name, "the attendee's name"), role=item.role.strip())
    if isinstance(item, tuple):
        name, role = item
        return Attendee(name=_required(name, "the attendee's name"), role=role.strip())
    return Attendee(name=_required(item, "the attendee's name"))


def _add_person(people: list[Attendee], person: Attendee) -> None:
    for existing in people:
        if voting.name_key(existing.name) == voting.name_key(person.name):
            if person.role:
                existing.role = person.role
            return
    people.append(person)


def _attendee_name(session: Session, name: str) -> str:
    for person in session.attendees:
        if voting.name_key(person.name) == voting.name_key(name):
            return person.name
    raise SessionError(f"{name.strip() or '(no name)'} is not an attendee of {session.id}; add them first")


def _open(tx: View, session_id: str) -> Session:
    session = tx.session(session_id)
    if session.status != "open":
        raise SessionError(f"{session_id}: the session is closed")
    return session


def _idea_in_open_session(tx: View, idea_id: str) -> FixIdea:
    idea = tx.idea(idea_id)
    if idea.session_id is not None:
        _open(tx, idea.session_id)
    return idea


def _resolve_gap(tx: View, gap_id: str) -> Gap:
    gap = tx.gap(gap_id)
    seen = {gap.id}
    while gap.merged_into is not None:
        gap = tx.gap(gap.merged_into)
        if gap.id in seen:  # pragma: no cover - merge refuses cycles
            raise SessionError(f"{gap_id}: merged in a circle")
        seen.add(gap.id)
    return gap


def _category(category: str, categories: Sequence[str]) -> str:
    for known in categories:
        if known.casefold() == (category or "").strip().casefold():
            return known
    raise SessionError(f"unknown gap category '{category}' (choose from {', '.join(categories)})")


def _severity(severity: int) -> int:
    if isinstance(severity, bool) or not isinstance(severity, int) or not 1 <= severity <= 3:
        raise SessionError(f"severity must be 1, 2 or 3, not {severity!r}")
    return severity


def _verdict(category: str, verdict: str | None) -> str | None:
    if verdict is None or verdict == "":
        return None
    if category.casefold() != POLICY_CATEGORY:
        raise SessionError(f"a verdict is for Policy gaps only, not {category}")
    if verdict not in POLICY_VERDICTS:
        raise SessionError(f"verdict must be one of {', '.join(POLICY_VERDICTS)}, not '{verdict}'")
    return verdict


def _same_link(a: GapLink, b: GapLink) -> bool:
    return (a.clip_id, a.session_id, a.at, a.quote) == (b.clip_id, b.session_id, b.at, b.quote)


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _action_for_idea(tx: View, idea_id: str) -> Action | None:
    for action in tx.actions():
        if action.origin_kind == "idea" and action.origin_id == idea_id:
            return action
    return None


def _unassigned(tx: View, session_id: str) -> list[FixIdea]:
    committed = {a.origin_id for a in tx.actions() if a.origin_kind == "idea"}
    return [i for i in tx.ideas(session_id) if i.picked and i.id not in committed]


# --------------------------------------------------------------------------- earlier ideas (issue 12)


def earlier_ideas(store: View, session_id: str) -> list[FixIdea]:
    """Open ideas from earlier sessions on the gaps this session tagged: not picked, no action
    made from them. Oldest first. They can be brought into this session (``bring_forward_idea``)."""
    session = store.session(session_id)
    dates = {s.id: s.date for s in store.sessions()}
    here = {gap.id for gap in gaps_in_session(store, session_id)}
    committed = {a.origin_id for a in store.actions() if a.origin_kind == "idea"}
    found = [
        idea
        for idea in store.ideas()
        if idea.session_id != session_id
        and dates.get(idea.session_id or "", "") < session.date
        and not idea.picked
        and idea.id not in committed
        and here.intersection(idea.gap_ids)
    ]
    return sorted(found, key=lambda idea: (idea.created_at, idea.id))


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
