"""The session rules a user can break, each as a ListenError with one clear line."""

from __future__ import annotations

from pathlib import Path

from listen.errors import InputError, ListenError


class PackError(InputError):
    """A prompt pack cannot be used. ``str()`` is ``"PATH: line N: problem"``."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(path, f"line {line}: {problem}")


class SessionError(ListenError):
    """A session rule was broken (e.g. an action without an owner, a closed session changed)."""


class VoteBudgetError(SessionError):
    """An attendee tried to cast more dots than their budget allows."""


class OrphanError(SessionError):
    """Picked ideas would be left without an action (owner + due date)."""


class OpenSessionError(SessionError):
    """A session is already open in this workspace: a second one would split the meeting in two."""

    def __init__(self, session_id: str, message: str) -> None:
        self.session_id = session_id
        super().__init__(message)
