"""Typed messages that thread workers post back to the UI (never touch widgets from a thread)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message


class Loaded(Message):
    """A screen's data, read from the store in a thread worker."""

    def __init__(self, data: Any) -> None:
        super().__init__()
        self.data = data


class TranscriptionProgress(Message):
    """Progress of the transcription batch. Coalesced: only the newest one waiting counts."""

    def __init__(
        self,
        done: float,
        total: float,
        clip_id: str | None,
        label: str,
        clip_index: int = 0,
        clip_count: int = 0,
    ) -> None:
        super().__init__()
        self.done = done  # seconds of audio, over the whole batch
        self.total = total
        self.clip_id = clip_id
        self.label = label
        self.clip_index = clip_index  # 1-based; 0 while the model loads
        self.clip_count = clip_count

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TranscriptionProgress)


class TranscriptionFinished(Message):
    """The transcription batch ended (all done, some failed, or cancelled)."""

    def __init__(self, done: int, failed: int, cancelled: bool, clip_ids: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.done = done
        self.failed = failed
        self.cancelled = cancelled
        self.clip_ids = clip_ids  # every clip the batch took up (their rows may have changed)


class DataChanged(Message):
    """Something was written to the store: the screen on show that shows it reloads now, the
    others when they are next shown.

    ``tables`` names what changed ("clips", "sessions", "gaps", "ideas", "actions", "meta",
    "settings"; None: anything); ``outside`` says another process wrote it (the app's own writes
    update their screen through their results)."""

    def __init__(
        self,
        what: str,
        *,
        shown_is_current: bool = False,
        tables: frozenset[str] | None = None,
        outside: bool = False,
    ) -> None:
        super().__init__()
        self.what = what
        self.shown_is_current = shown_is_current  # the screen that wrote it already shows it
        self.tables = tables
        self.outside = outside


class WorkspaceChanged(Message):
    """The watcher saw another process write to the workspace (read in its thread: the new
    settings when listen.toml changed, or why they could not be read; the picks when meta did)."""

    def __init__(
        self,
        tables: frozenset[str],
        *,
        settings: Any = None,
        settings_error: str | None = None,
        picks: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.tables = tables
        self.settings = settings
        self.settings_error = settings_error
        self.picks = picks


@dataclass
class Write:
    """One change to save in the background, in order, and what to do on the UI thread after."""

    label: str
    run: Callable[[], Any]
    done: Callable[[Any], None] | None = None
    failed: Callable[[BaseException], None] | None = None  # after the failure is shown
    applied: bool = False  # the screen that asked already shows the change: no reload for it


class WriteDone(Message):
    def __init__(self, write: Write, result: Any) -> None:
        super().__init__()
        self.write = write
        self.result = result


class WriteFailed(Message):
    def __init__(self, write: Write, error: BaseException) -> None:
        super().__init__()
        self.write = write
        self.error = error


class AudioLoaded(Message):
    """A clip's audio is decoded and ready to play (or could not be)."""

    def __init__(
        self, clip_id: str, error: str | None = None, player: Any = None, autoplay: bool = False
    ) -> None:
        super().__init__()
        self.clip_id = clip_id
        self.error = error
        self.player = player
        self.autoplay = autoplay


class RecordingLevel(Message):
    """The microphone's level (0..1) and the seconds recorded so far."""

    def __init__(self, level: float, elapsed: float) -> None:
        super().__init__()
        self.level = level
        self.elapsed = elapsed

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RecordingLevel)


class ClipsSubmitted(Message):
    """Files were imported as clips (``added``), with one line per file that was not."""

    def __init__(self, added: int, problems: list[str], first_added: str | None = None) -> None:
        super().__init__()
        self.added = added
        self.problems = problems
        self.first_added = first_added  # the id of the first new clip, to show it


class StartReady(Message):
    """Starting a session: either an open session to resume, or what the setup dialog offers."""

    def __init__(self, session_id: str | None, data: Any) -> None:
        super().__init__()
        self.session_id = session_id
        self.data = data


class SessionChanged(Message):
    """A step saved a change and got the newer session back: the session screen keeps it (the
    steps never call the screen by name; the screen decides what to redraw)."""

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session


class GoToStep(Message):
    """A step asks the session screen to move to the first step of a kind (e.g. 'commit')."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind


class CloseSession(Message):
    """The Close step's confirmation: the session screen saves the time spent, then closes it."""

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id


class SessionClosed(Message):
    """A session was closed (here, or in another window): the session screen lets go of it and
    the app shows its minutes."""

    def __init__(self, session_id: str, *, elsewhere: bool = False) -> None:
        super().__init__()
        self.session_id = session_id
        self.elsewhere = elsewhere
