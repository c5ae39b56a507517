"""Sessions: start (one open at a time), resume, people and clips, progress, notes, close and reopen.

Part of the session service (``listen.session.service``): each function is one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from listen.domain import (
    Attendee,
    Clip,
    MinutesRecord,
    Now,
    Session,
    stamp,
    today_iso,
)
from listen.session import voting
from listen.session.checks import (
    AttendeeLike,
    _add_person,
    _attendee,
    _iso_date,
    _member_role,
    _open,
    _required,
    _settings,
    _unassigned,
)
from listen.session.errors import OpenSessionError, OrphanError, SessionError
from listen.timefmt import short_time

if TYPE_CHECKING:
    from listen.store import Store
    from listen.store.store import View


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
    now: Now | None = None,
) -> Session:
    """Create and save a new open session.

    ``attendees`` are ``Attendee`` objects, names, or ``(name, role)`` pairs; the facilitator is
    added to them (role "facilitator") when missing, so they can vote too. Duplicate names
    (ignoring case) are kept once. ``pack_name`` defaults to ``listen.toml``'s ``prompt_pack`` and
    must load (a malformed pack raises PackError now, not mid-meeting). ``clip_ids`` may be unique
    prefixes; they are stored in full. ``date`` is an ISO date (default: today). ``now`` is the
    caller's clock (default: the wall clock): it stamps the start and gives today's date.
    """
    from listen.session.packs import load_pack

    facilitator = _required(facilitator, "the facilitator's name")
    if pack_name is None:
        pack_name = _settings(store).prompt_pack
    load_pack(pack_name, store.workspace)
    day = _iso_date(date) if date else (now().date().isoformat() if now else today_iso())
    people: list[Attendee] = []
    for item in attendees:
        _add_person(people, _attendee(item))
    if not any(voting.name_key(p.name) == voting.name_key(facilitator) for p in people):
        people.insert(0, Attendee(name=facilitator, role=_member_role(store, facilitator) or "facilitator"))
    with store.transaction() as tx:
        _refuse_second_open(tx)
        full_ids = _full_clip_ids(tx, clip_ids)
        session = Session(
            id=tx.new_session_id(day),
            date=day,
            facilitator=facilitator,
            attendees=people,
            prompt_pack=pack_name,
            clip_ids=full_ids,
            started_at=stamp(now),
        )
        tx.put(session)
        if tx.meta(NEXT_SESSION_PICKS):  # the picks went into this session
            tx.put_meta(NEXT_SESSION_PICKS, {"clip_ids": []})
    return session


def _refuse_second_open(tx: View) -> None:
    """At most one open session per workspace, checked in the transaction that would add one (so
    two apps or processes starting at the same moment cannot both succeed)."""
    current = tx.latest_session(status="open")
    if current is not None:
        who = f" by {current.facilitator}" if current.facilitator else ""
        when = short_time(current.started_at)
        raise OpenSessionError(
            current.id,
            f"session {current.id} is still open (started{who} on {when}); "
            "resume it or close it before starting another",
        )


def heard_in(sessions: Iterable[Session]) -> dict[str, str]:
    """Clip id -> the first session (in the order given) that played it."""
    heard: dict[str, str] = {}
    for session in sessions:
        for clip_id in session.clip_ids:
            heard.setdefault(clip_id, session.id)
    return heard


def waits_to_be_heard(clip: Clip, heard: Mapping[str, str] | set[str]) -> bool:
    """The one rule for an unheard clip: no session played it, and it did not fail."""
    return clip.id not in heard and clip.status != "failed"


def unheard_clips(store: View) -> list[Clip]:
    """Clips no session has played yet, failed ones left out (oldest first, as store.clips)."""
    heard = heard_in(store.sessions())
    return [clip for clip in store.clips() if waits_to_be_heard(clip, heard)]


def open_session(store: View) -> Session | None:
    """The most recent unfinished session (to offer for resume), or None."""
    return store.latest_session(status="open")


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


def add_note(store: Store, session_id: str, text: str) -> Session:
    """A free note for the minutes."""
    note = _required(text, "the note")
    with store.transaction() as tx:
        session = _open(tx, session_id)
        session.notes.append(note)
        tx.put(session)
    return session


def close_session(store: Store, session_id: str, *, force: bool = False, now: Now | None = None) -> Session:
    """Mark the session finished and freeze the record its minutes are built from
    (``minutes.record``). Refuses (OrphanError) while picked ideas have no action, unless
    ``force``. Closing twice is harmless."""
    from listen.minutes.record import freeze

    settings = _settings(store)
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
        session.ended_at = stamp(now)
        tx.put(session)
        freeze(tx, settings, session, now=now)
    return session


def reopen_session(store: Store, session_id: str) -> Session:
    """Open a closed session again to correct it (its frozen minutes are dropped and made anew at
    the next close). Refused while another session is open. Reopening an open one is harmless."""
    with store.transaction() as tx:
        session = tx.session(session_id)
        if session.status == "open":
            return session
        _refuse_second_open(tx)
        session.status = "open"
        session.ended_at = None
        tx.put(session)
        tx.delete(MinutesRecord, session.id)
    return session
