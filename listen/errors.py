"""Errors a user can foresee. Each one is shown as a single line, never a traceback."""

from __future__ import annotations


class ListenError(Exception):
    """A foreseeable failure. ``str(error)`` is the one line shown to the user."""

    exit_code = 1


class UsageError(ListenError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


class InputError(ListenError):
    """A file given by the user cannot be used. The message names the file and the reason."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class StoreError(ListenError):
    """The workspace database cannot be read or written safely."""


class SettingsError(ListenError):
    """listen.toml has a key that is unknown or of the wrong type."""


class NotFoundError(ListenError):
    """A clip, gap, session or action id that does not exist."""
