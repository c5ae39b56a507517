"""Checks and lookups shared by the session service's modules (``listen.session.service``); they
run inside the caller's transaction and are not a public API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from listen.domain import (
    POLICY_VERDICTS,
    Action,
    Attendee,
    FixIdea,
    Gap,
    GapLink,
    Session,
    merged_target,
)
from listen.errors import NotFoundError
from listen.session import voting
from listen.session.errors import SessionError
from listen.settings import Settings, load_settings

if TYPE_CHECKING:
    from listen.store import Store
    from listen.store.store import View


MAX_TITLE = 200

AttendeeLike = Attendee | str | tuple[str, str]


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
    def lookup(found_id: str) -> Gap | None:
        try:
            return tx.gap(found_id)
        except NotFoundError:
            return None

    target = merged_target(tx.gap(gap_id), lookup)
    if target is None:
        raise SessionError(f"{gap_id}: merged into a gap that is missing or merged back into it")
    return target


def _category(category: str, categories: Sequence[str]) -> str:
    for known in categories:
        if known.casefold() == (category or "").strip().casefold():
            return known
    raise SessionError(f"unknown gap category '{category}' (choose from {', '.join(categories)})")


def _severity(severity: int) -> int:
    if isinstance(severity, bool) or not isinstance(severity, int) or not 1 <= severity <= 3:
        raise SessionError(f"severity must be 1, 2 or 3, not {severity!r}")
    return severity


def _verdict(category: str, verdict: str | None, settings: Settings) -> str | None:
    if verdict is None or verdict == "":
        return None
    if not settings.carries_verdict(category):
        only = f"{settings.verdict_category} gaps only" if settings.verdict_category else "no category here"
        raise SessionError(f"a verdict is for {only}, not {category}")
    if verdict not in POLICY_VERDICTS:
        raise SessionError(f"verdict must be one of {', '.join(POLICY_VERDICTS)}, not '{verdict}'")
    return verdict


def _same_link(a: GapLink, b: GapLink) -> bool:
    return a.key == b.key


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
