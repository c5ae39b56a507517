"""What keeps coming back: per gap, where and when it was seen, and whether it recurs.

Plain data, no Markdown: the minutes, the report and the TUI's Gaps screen all read it.

"Consecutive" counts the team's sessions, not calendar weeks: a gap linked in three sessions in a
row is recurring even when a holiday week fell between two of them. A gap seen in
``RECURRING_RUN`` (3) or more consecutive sessions is flagged recurring.

Everything can be computed *as of* a session (``upto``): later sessions and links made after that
session's date are left out, so the minutes of an old session read the same whenever they are
exported.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from listen.domain import Gap, Session

RECURRING_RUN = 3


@functools.lru_cache(maxsize=4096)
def week_label(iso_date: str) -> str:
    """'2026-11-23' -> '2026-W48' (ISO 8601 week)."""
    year, week, _ = dt.date.fromisoformat(iso_date[:10]).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class GapRecurrence:
    gap_id: str
    times_seen: int  # links counted (each clip moment where the gap was tagged)
    session_ids: tuple[str, ...]  # sessions it was tagged in, oldest first
    clip_ids: tuple[str, ...]  # clips it was tagged on, in order of first tagging
    first_seen: str  # ISO date
    last_seen: str  # ISO date
    weeks: tuple[str, ...]  # ISO weeks it was seen in ("2026-W48"), oldest first
    longest_run: int  # most consecutive sessions it was tagged in
    current_run: int  # consecutive sessions it was tagged in, ending with the latest session

    @property
    def sessions_seen(self) -> int:
        return len(self.session_ids)

    @property
    def clips_seen(self) -> int:
        return len(self.clip_ids)

    @property
    def recurring(self) -> bool:
        return self.longest_run >= RECURRING_RUN


class Timeline:
    """The team's sessions in meeting order, optionally cut after one session."""

    def __init__(self, sessions: Iterable[Session], upto: str | None = None) -> None:
        ordered = sorted(sessions, key=lambda s: (s.date, s.started_at, s.id))
        if upto is not None:
            ids = [s.id for s in ordered]
            if upto in ids:
                ordered = ordered[: ids.index(upto) + 1]
        self.sessions: list[Session] = ordered
        self._position = {s.id: i for i, s in enumerate(ordered)}
        self._date = {s.id: s.date for s in ordered}
        self.cutoff: str | None = ordered[-1].date if (upto is not None and ordered) else None

    def __len__(self) -> int:
        return len(self.sessions)

    @property
    def key(self) -> tuple[object, ...]:
        """All a gap's recurrence reads of the timeline: equal keys give equal recurrences."""
        return (tuple((s.id, s.date) for s in self.sessions), self.cutoff)

    def position(self, session_id: str) -> int | None:
        return self._position.get(session_id)

    def date(self, session_id: str) -> str | None:
        return self._date.get(session_id)

    @property
    def last_position(self) -> int:
        return len(self.sessions) - 1


def gap_recurrence(gap: Gap, timeline: Timeline) -> GapRecurrence:
    """The recurrence of one gap over the sessions of ``timeline``."""
    times = 0
    clip_ids: dict[str, None] = {}
    positions: set[int] = set()
    dates: set[str] = set()
    for link in gap.links:
        if link.session_id:
            position = timeline.position(link.session_id)
            if position is None:  # a later session (as-of view) or one that no longer exists
                continue
            positions.add(position)
            dates.add(timeline.sessions[position].date)
        else:
            day = (link.linked_at or gap.created_at)[:10]
            if timeline.cutoff is not None and day > timeline.cutoff:
                continue
            dates.add(day)
        times += 1
        if link.clip_id:
            clip_ids.setdefault(link.clip_id, None)
    ordered = sorted(positions)
    longest, current = _runs(ordered, timeline.last_position)
    if not dates:
        dates.add(gap.created_at[:10])
    days = sorted(dates)
    weeks = tuple(dict.fromkeys(week_label(day) for day in days))
    return GapRecurrence(
        gap_id=gap.id,
        times_seen=times,
        session_ids=tuple(timeline.sessions[p].id for p in ordered),
        clip_ids=tuple(clip_ids),
        first_seen=days[0],
        last_seen=days[-1],
        weeks=weeks,
        longest_run=longest,
        current_run=current,
    )


def _runs(positions: list[int], last: int) -> tuple[int, int]:
    """The longest run of consecutive positions, and the run ending at ``last``."""
    longest = run = 0
    previous: int | None = None
    for position in positions:
        run = run + 1 if previous is not None and position == previous + 1 else 1
        longest = max(longest, run)
        previous = position
    current = run if previous is not None and previous == last else 0
    return longest, current


class RecurrenceMemo:
    """For a reader that computes the recurrence of the same gaps again and again (the Gaps
    screen, refreshed after every outside write): the recurrence of each gap object of the last
    call, kept while the timeline is the same. A gap that is the same object as last time (an
    unchanged document read with ``Reuse``, never changed by the reader) keeps its recurrence;
    any other gap, or any change to the sessions' order or dates, computes it again."""

    def __init__(self) -> None:
        self.timeline_key: tuple[object, ...] | None = None
        self.seen: dict[str, tuple[Gap, GapRecurrence]] = {}


def recurrence_index(
    gaps: Iterable[Gap],
    sessions: Iterable[Session] | Timeline,
    *,
    upto: str | None = None,
    memo: RecurrenceMemo | None = None,
) -> dict[str, GapRecurrence]:
    """Recurrence of every gap, by gap id (as of session ``upto`` when given); with ``memo``,
    what did not change since its last call is not computed again (see RecurrenceMemo)."""
    timeline = sessions if isinstance(sessions, Timeline) else Timeline(sessions, upto)
    if memo is None:
        return {gap.id: gap_recurrence(gap, timeline) for gap in gaps}
    key = timeline.key
    before = memo.seen if key == memo.timeline_key else {}
    seen: dict[str, tuple[Gap, GapRecurrence]] = {}
    for gap in gaps:
        last = before.get(gap.id)
        same = last is not None and last[0] is gap
        seen[gap.id] = (gap, last[1] if last is not None and same else gap_recurrence(gap, timeline))
    memo.timeline_key, memo.seen = key, seen
    return {gap_id: recurrence for gap_id, (_, recurrence) in seen.items()}


def compact_weeks(weeks: Iterable[str]) -> str:
    """'2026-W51, 2026-W52, 2027-W01' -> '2026-W51, W52, 2027-W01' (the year once per year)."""
    parts: list[str] = []
    year = ""
    for label in weeks:
        label_year, _, week = label.partition("-")
        parts.append(week if label_year == year else label)
        year = label_year
    return ", ".join(parts)
