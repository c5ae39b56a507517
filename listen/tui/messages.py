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

    def __init__(self, done: float, total: float, clip_id: str | None, label: str) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.clip_id = clip_id
        self.label = label

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TranscriptionProgress)


class TranscriptionFinished(Message):
    """The transcription batch ended (all done, some failed, or cancelled)."""

    def __init__(self, done: int, failed: int, cancelled: bool) -> None:
        super().__init__()
        self.done = done
        self.failed = failed
        self.cancelled = cancelled


class DataChanged(Message):
    """Something was written to the store: screens showing it reload when they are shown."""

    def __init__(self, what: str, *, shown_is_current: bool = False) -> None:
        super().__init__()
        self.what = what
        self.shown_is_current = shown_is_current  # the screen that wrote it already shows it


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
