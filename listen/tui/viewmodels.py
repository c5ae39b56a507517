"""What each screen shows, read from the store in one go (called in thread workers; no Textual).

These are views, not logic: counts and orderings for display. The rules themselves (recurrence,
follow-ups, votes, cohesion) live in the core and are called from here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from listen.domain import Action, Clip, Gap, Session
from listen.store import Store
from listen.store.layout import shard_of
from listen.store.store import Reuses
from listen.timefmt import clock

if TYPE_CHECKING:
    from listen.session.recurrence import GapRecurrence, RecurrenceMemo
    from listen.store.validate import InvalidDocumentError


@dataclass(frozen=True)
class ClipCounts:
    total: int
    waiting_by_channel: dict[str, int]  # clips not yet heard in any session (failed ones left out)
    queued: int
    transcribing: int
    failed: int
    tally: ClipTally | None = field(default=None, compare=False, repr=False)  # what they were counted from

    @property
    def waiting_total(self) -> int:
        return sum(self.waiting_by_channel.values())


@dataclass(frozen=True)
class HomeSummary:
    clips: ClipCounts | None  # None while the clips are still being counted
    open_actions: list[Action]
    overdue: int
    top_gaps: list[GapRow]
    open_session: Session | None
    last_session: Session | None
    sessions_total: int = 0
    gaps_total: int = 0
    today: dt.date = field(default_factory=dt.date.today)
    last_counts: dict[str, int] = field(default_factory=dict)  # what the last session produced


@dataclass(frozen=True)
class GapRow:
    """A gap with its recurrence across sessions (the same figures the minutes show)."""

    gap: Gap
    rec: GapRecurrence

    @property
    def times_seen(self) -> int:
        return self.rec.times_seen

    @property
    def sessions_seen(self) -> int:
        return self.rec.sessions_seen

    @property
    def weeks_recurring(self) -> int:
        return len(self.rec.weeks)

    @property
    def recurring(self) -> bool:
        return self.rec.recurring


def gap_rows(
    store: Store,
    gaps: list[Gap] | None = None,
    sessions: list[Session] | None = None,
    memo: RecurrenceMemo | None = None,
) -> list[GapRow]:
    """Every gap (merged ones left out) with its recurrence, the most recurring first (``memo``:
    see RecurrenceMemo)."""
    from listen.session.recurrence import recurrence_index  # the minutes' own rules

    gaps = store.gaps() if gaps is None else gaps
    sessions = store.sessions() if sessions is None else sessions
    index = recurrence_index(gaps, sessions, memo=memo)
    rows = [GapRow(gap, index[gap.id]) for gap in gaps if gap.merged_into is None]
    rows.sort(key=lambda r: (not r.recurring, -r.weeks_recurring, -r.times_seen, -r.gap.severity, r.gap.id))
    return rows


class ClipTally:
    """What the clip counts are made of: the clips, and which clips a session heard. Counting
    again after a few clips changed elsewhere replaces the clips of the shards that changed
    (``with_shards``) instead of reading all of them."""

    def __init__(self, clips: dict[str, Clip], heard: dict[str, str]) -> None:
        self.clips = clips  # clip id: clip
        self.heard = heard

    @classmethod
    def of(cls, clips: Iterable[Clip], sessions: list[Session]) -> ClipTally:
        return cls({clip.id: clip for clip in clips}, heard_in(sessions))

    def with_shards(self, shards: frozenset[str], clips: Iterable[Clip]) -> ClipTally:
        """The tally once ``clips`` are all the clips those shards now hold (the sessions, and
        so what was heard, unchanged)."""
        kept = {clip_id: clip for clip_id, clip in self.clips.items() if shard_of(clip_id) not in shards}
        kept.update((clip.id, clip) for clip in clips)
        return ClipTally(kept, self.heard)

    def counts(self) -> ClipCounts:
        from listen.session.service import waits_to_be_heard

        statuses = Counter(clip.status for clip in self.clips.values())
        waiting = Counter(clip.channel for clip in self.clips.values() if waits_to_be_heard(clip, self.heard))
        return ClipCounts(
            total=len(self.clips),
            waiting_by_channel=dict(waiting.most_common()),
            queued=statuses.get("queued", 0),
            transcribing=statuses.get("transcribing", 0),
            failed=statuses.get("failed", 0),
            tally=self,
        )


def clip_counts(store: Store, sessions: list[Session], reuses: Reuses | None = None) -> ClipCounts:
    return ClipTally.of(store.clips(reuse=reuses.clips if reuses else None), sessions).counts()


def home_summary(
    store: Store, today: dt.date, *, with_clips: bool = True, reuses: Reuses | None = None
) -> HomeSummary:
    """Everything Home shows; ``with_clips=False`` leaves out the clip counts (the slow part with
    thousands of clips), so Home can show the rest first. ``reuses``: the app's (Reuses), which
    Home only reads from."""
    sessions = store.sessions(reuse=reuses.sessions if reuses else None)
    actions = [a for a in store.actions(status="open", reuse=reuses.actions if reuses else None)]
    actions.sort(key=lambda a: (a.due or "9999", a.id))
    gaps = store.gaps(reuse=reuses.gaps if reuses else None)
    rows = gap_rows(store, gaps, sessions)
    open_sessions = [s for s in sessions if s.status == "open"]
    closed = [s for s in sessions if s.status == "closed"]
    last = closed[-1] if closed else None
    counts: dict[str, int] = {}
    if last is not None:
        counts = {
            "clips": len(last.clip_ids),
            "quotes": len(last.quotes),
            "gaps": sum(1 for g in gaps if last.id in g.session_ids),
            "ideas": sum(1 for i in store.ideas(last.id)),
            "actions": sum(
                1 for a in store.actions(reuse=reuses.actions if reuses else None) if a.session_id == last.id
            ),
        }
    return HomeSummary(
        clips=clip_counts(store, sessions) if with_clips else None,
        open_actions=actions,
        overdue=sum(1 for a in actions if a.is_overdue(today)),
        top_gaps=rows[:8],
        open_session=open_sessions[-1] if open_sessions else None,
        last_session=last,
        sessions_total=len(sessions),
        gaps_total=len(gaps),
        today=today,
        last_counts=counts,
    )


@dataclass(frozen=True)
class InboxRow:
    clip: Clip
    heard_in: str | None  # the session a clip was played in, if any


def heard_in(sessions: list[Session]) -> dict[str, str]:
    """Each heard clip's id: the first session it was played in (the service's one rule)."""
    from listen.session.service import heard_in as first_session_that_played

    return first_session_that_played(sessions)


def _inbox_order(row: InboxRow) -> tuple[str, str]:
    return (row.clip.submitted_at, row.clip.id)


def inbox_rows(
    store: Store, heard: dict[str, str] | None = None, *, skipped: list[InvalidDocumentError] | None = None
) -> list[InboxRow]:
    """Every clip, newest first, with the session it was heard in; with ``skipped``, unreadable
    clips and sessions go there (see ``Store.clips``) and the rest is listed."""
    heard = heard_in(store.sessions(skipped=skipped)) if heard is None else heard
    rows = [InboxRow(clip, heard.get(clip.id)) for clip in store.clips(skipped=skipped)]
    rows.sort(key=_inbox_order, reverse=True)
    return rows


@dataclass(frozen=True)
class InboxDelta:
    """The Inbox's rows once some shards were read again: the new list, and what differs."""

    rows: list[InboxRow]
    changed: list[InboxRow]  # new clips and clips whose stored document changed
    removed: set[str]  # ids no longer stored


def inbox_delta(
    rows: list[InboxRow], heard: dict[str, str], shards: frozenset[str], clips: Iterable[Clip]
) -> InboxDelta:
    """Apply what ``shards`` now hold (``clips``: all of their clips) to the rows shown."""
    now = {clip.id: clip for clip in clips}
    kept, before = [], {}
    for row in rows:
        if shard_of(row.clip.id) in shards:
            before[row.clip.id] = row
        else:
            kept.append(row)
    fresh, changed = [], []
    for clip in now.values():
        old = before.get(clip.id)
        row = old if old is not None and old.clip == clip else InboxRow(clip, heard.get(clip.id))
        if row is not old:
            changed.append(row)
        fresh.append(row)
    removed = before.keys() - now.keys()
    for row in sorted(fresh, key=_inbox_order, reverse=True):
        _insert_newest_first(kept, row)
    return InboxDelta(kept, changed, set(removed))


def _insert_newest_first(rows: list[InboxRow], row: InboxRow) -> None:
    """Insert into rows ordered newest first, after those that sort the same (a few new rows
    into 10,000: sorting them all again costs more)."""
    key, low, high = _inbox_order(row), 0, len(rows)
    while low < high:
        middle = (low + high) // 2
        if _inbox_order(rows[middle]) >= key:
            low = middle + 1
        else:
            high = middle
    rows.insert(low, row)


def format_duration(seconds: float | None) -> str:
    """A clip's length: 3:12, or 'text' for a text clip."""
    return clock(seconds) or "text"


def one_person_placeholder(names: list[str], lead: str) -> str:
    """A name field's hint: one example, not a list (a list of names reads like a filled-in value)."""
    return f"{lead}, e.g. {names[0]}" if names else lead


def format_clock(seconds: float) -> str:
    """A timer: 3:07, or 1:02:03 past an hour."""
    return clock(seconds)


def short_date(iso: str | None) -> str:
    """The date part of an ISO timestamp (2026-11-23T10:00:00+01:00 -> 2026-11-23)."""
    return (iso or "")[:10]


def with_clip_counts(summary: HomeSummary, store: Store, reuses: Reuses | None = None) -> HomeSummary:
    import dataclasses

    sessions = store.sessions(reuse=reuses.sessions if reuses else None)
    return dataclasses.replace(summary, clips=clip_counts(store, sessions, reuses))


def with_changed_shards(summary: HomeSummary, shards: frozenset[str], clips: Iterable[Clip]) -> HomeSummary:
    """Home's summary once the clips of ``shards`` are ``clips`` (only clips changed); None
    counts stay None (they are being counted in full)."""
    import dataclasses

    if summary.clips is None or summary.clips.tally is None:
        return summary
    return dataclasses.replace(summary, clips=summary.clips.tally.with_shards(shards, clips).counts())
