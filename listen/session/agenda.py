"""The running agenda: where the session is in its prompt pack and how long each step has taken.

A plain state machine, no UI and no storage: the pack's steps are laid out as *entries*, the
listen step repeated once per clip (``listen:<clip id>``), and a clock (``now``, injectable for
tests) measures the time spent on the current entry. ``snapshot()`` gives what
``service.save_progress`` stores, and ``Agenda.for_session`` resumes from a saved session.

Entry keys (used in ``Session.step_seconds`` and ``Session.step_extensions``) are the step id, or
``"<step id>:<clip id>"`` for each clip of the listen step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from listen.domain import Session
from listen.session.errors import SessionError
from listen.session.packs import PromptPack, Step

Clock = Callable[[], float]
DEFAULT_EXTENSION_MINUTES = 2.0


@dataclass(frozen=True)
class AgendaEntry:
    """One place on the agenda: a step, and for the listen step one of the clips."""

    index: int
    step: Step
    clip_id: str | None = None
    clip_number: int = 0  # 1-based among the clips (listen entries only)
    clip_count: int = 0

    @property
    def key(self) -> str:
        return self.step.id if self.clip_id is None else f"{self.step.id}:{self.clip_id}"

    @property
    def title(self) -> str:
        if self.step.per_clip and self.clip_count:
            return f"{self.step.title} ({self.clip_number} of {self.clip_count})"
        return self.step.title

    @property
    def kind(self) -> str:
        return self.step.kind


def lay_out(pack: PromptPack, clip_ids: Sequence[str]) -> tuple[AgendaEntry, ...]:
    """The pack's steps as agenda entries; the listen step once per clip (once, clip-less, when no
    clip was picked)."""
    entries: list[AgendaEntry] = []
    for step in pack.steps:
        if step.per_clip and clip_ids:
            for n, clip_id in enumerate(clip_ids, start=1):
                entries.append(AgendaEntry(len(entries), step, clip_id, n, len(clip_ids)))
        else:
            entries.append(AgendaEntry(len(entries), step))
    return tuple(entries)


class Agenda:
    """Current entry, next/back/skip/go_to, extend, and elapsed time per entry."""

    def __init__(
        self,
        pack: PromptPack,
        clip_ids: Sequence[str] = (),
        *,
        index: int = 0,
        step_seconds: Mapping[str, float] | None = None,
        step_extensions: Mapping[str, float] | None = None,
        now: Clock = time.monotonic,
        running: bool = True,
    ) -> None:
        self.pack = pack
        self._now = now
        self.entries = lay_out(pack, list(clip_ids))
        self._index = max(0, min(int(index), len(self.entries) - 1))
        self._banked: dict[str, float] = {k: float(v) for k, v in (step_seconds or {}).items()}
        self._extensions: dict[str, float] = {k: float(v) for k, v in (step_extensions or {}).items()}
        self._since: float | None = now() if running else None
        self.skipped: set[str] = set()

    @classmethod
    def for_session(cls, pack: PromptPack, session: Session, *, now: Clock = time.monotonic) -> Agenda:
        """Resume where the session stopped (its step index, time spent and extensions)."""
        return cls(
            pack,
            session.clip_ids,
            index=session.step_index,
            step_seconds=session.step_seconds,
            step_extensions=session.step_extensions,
            now=now,
        )

    # ---- where we are
    @property
    def index(self) -> int:
        return self._index

    @property
    def current(self) -> AgendaEntry:
        return self.entries[self._index]

    @property
    def is_first(self) -> bool:
        return self._index == 0

    @property
    def is_last(self) -> bool:
        return self._index == len(self.entries) - 1

    @property
    def clip_ids(self) -> list[str]:
        return [e.clip_id for e in self.entries if e.clip_id is not None]

    def entry(self, key: str) -> AgendaEntry:
        for entry in self.entries:
            if entry.key == key:
                return entry
        raise SessionError(f"{key}: not on this agenda")

    # ---- moving
    def go_to(self, index: int) -> AgendaEntry:
        """Jump to an entry (clamped to the agenda); the time so far stays with the entry left."""
        target = max(0, min(int(index), len(self.entries) - 1))
        if target != self._index:
            self._bank()
            self._index = target
        return self.current

    def next(self) -> AgendaEntry:
        """The following entry (at the last one, stays there)."""
        self.skipped.discard(self.current.key)
        return self.go_to(self._index + 1)

    def back(self) -> AgendaEntry:
        return self.go_to(self._index - 1)

    def skip(self) -> AgendaEntry:
        """Move on, noting the entry as skipped (until it is visited and left with ``next``)."""
        if not self.is_last:
            self.skipped.add(self.current.key)
        return self.go_to(self._index + 1)

    def next_of_kind(self, kind: str) -> AgendaEntry | None:
        """The first entry of ``kind`` after the current one, if any (e.g. to jump to 'close')."""
        return next((e for e in self.entries[self._index + 1 :] if e.step.kind == kind), None)

    # ---- the clock
    @property
    def running(self) -> bool:
        return self._since is not None

    def pause(self) -> None:
        self._bank()
        self._since = None

    def resume(self) -> None:
        if self._since is None:
            self._since = self._now()

    def _bank(self) -> None:
        if self._since is not None:
            now = self._now()
            key = self.current.key
            self._banked[key] = self._banked.get(key, 0.0) + max(0.0, now - self._since)
            self._since = now

    def elapsed(self, entry: AgendaEntry | None = None) -> float:
        """Seconds spent on ``entry`` (default: the current one), including the running clock."""
        entry = entry or self.current
        spent = self._banked.get(entry.key, 0.0)
        if entry.index == self._index and self._since is not None:
            spent += max(0.0, self._now() - self._since)
        return spent

    def total_elapsed(self) -> float:
        return sum(self.elapsed(e) for e in self.entries) + sum(
            v for k, v in self._banked.items() if k not in {e.key for e in self.entries}
        )

    def timebox(self, entry: AgendaEntry | None = None) -> float:
        """The entry's timebox in seconds, with its extensions (0: no timebox)."""
        entry = entry or self.current
        return entry.step.timebox_seconds + self._extensions.get(entry.key, 0.0)

    def remaining(self, entry: AgendaEntry | None = None) -> float | None:
        """Seconds left in the timebox (negative once over), None without a timebox."""
        box = self.timebox(entry)
        return None if box <= 0 else box - self.elapsed(entry)

    def over_time(self, entry: AgendaEntry | None = None) -> bool:
        left = self.remaining(entry)
        return left is not None and left < 0

    def extend(self, minutes: float = DEFAULT_EXTENSION_MINUTES, entry: AgendaEntry | None = None) -> float:
        """Give the entry (default: current) more time; returns its new timebox in seconds."""
        if minutes <= 0:
            raise SessionError("extend by a positive number of minutes")
        key = (entry or self.current).key
        self._extensions[key] = self._extensions.get(key, 0.0) + minutes * 60.0
        return self.timebox(entry)

    def planned_seconds(self) -> float:
        return sum(self.timebox(e) for e in self.entries)

    # ---- clips
    def set_clips(self, clip_ids: Sequence[str]) -> None:
        """Lay the agenda out again for a new list of clips, staying on the same entry (or, if its
        clip was removed, on the same step)."""
        self._bank()
        key, step_id = self.current.key, self.current.step.id
        self.entries = lay_out(self.pack, list(clip_ids))
        for entry in self.entries:
            if entry.key == key:
                self._index = entry.index
                return
        self._index = next((e.index for e in self.entries if e.step.id == step_id), 0)

    # ---- saving
    def step_seconds(self) -> dict[str, float]:
        """Time spent per entry key, the running clock included."""
        self._bank()
        return {k: round(v, 3) for k, v in self._banked.items() if v > 0}

    def step_extensions(self) -> dict[str, float]:
        return dict(self._extensions)

    def snapshot(self) -> tuple[int, dict[str, float], dict[str, float]]:
        """(step_index, step_seconds, step_extensions): what ``service.save_progress`` stores."""
        return self._index, self.step_seconds(), self.step_extensions()
