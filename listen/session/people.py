"""Names typed into a person field (owner, facilitator, submitted by) against the people the team
knows (listen.toml members and the session's attendees): complete them, or say none matches.
Names compare as ``voting.name_key`` does (case and spacing ignored)."""

from __future__ import annotations

from collections.abc import Iterable

from listen.session.voting import name_key


def known_person(text: str, people: Iterable[str]) -> str | None:
    """The person ``text`` names exactly, in the team's spelling; None if no one."""
    wanted = name_key(text)
    if not wanted:
        return None
    return next((p for p in people if name_key(p) == wanted), None)


def complete_person(text: str, people: Iterable[str]) -> str | None:
    """The person a field shows as the completion of ``text``: the exact one, else the first whose
    name begins with it (as the field's ghost text does); None when no one matches."""
    people = list(people)
    exact = known_person(text, people)
    if exact is not None:
        return exact
    typed = name_key(text)
    if not typed:
        return None
    return next((p for p in people if name_key(p).startswith(typed)), None)
