"""The gap ledger's figures: times seen, weeks recurring, first and last seen, from the sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from listen.domain import Gap, Session


@dataclass(frozen=True)
class GapStats:
    gap: Gap
    times_seen: int  # links: each clip/moment the gap showed up in
    sessions: int  # distinct sessions it was tagged in
    weeks_recurring: int  # distinct ISO weeks of those sessions
    first_seen: str | None  # ISO date of the earliest session (else of the gap's creation)
    last_seen: str | None


def gap_stats(gap: Gap, session_dates: dict[str, str]) -> GapStats:
    """``session_dates`` maps session id -> ISO date (``{s.id: s.date for s in store.sessions()}``)."""
    dates = sorted({session_dates[sid] for sid in gap.session_ids if sid in session_dates})
    weeks = {dt.date.fromisoformat(d[:10]).isocalendar()[:2] for d in dates}
    created = gap.created_at[:10] if gap.created_at else None
    return GapStats(
        gap=gap,
        times_seen=gap.times_seen,
        sessions=len(gap.session_ids),
        weeks_recurring=len(weeks),
        first_seen=dates[0] if dates else created,
        last_seen=dates[-1] if dates else created,
    )


def ledger(gaps: Iterable[Gap], sessions: Iterable[Session]) -> list[GapStats]:
    """Every gap with its figures, the most recurring first (weeks, then times seen, then severity)."""
    dates = {s.id: s.date for s in sessions}
    stats = [gap_stats(g, dates) for g in gaps if g.merged_into is None]
    stats.sort(key=lambda s: (-s.weeks_recurring, -s.times_seen, -s.gap.severity, s.gap.id))
    return stats


def recurring_gaps(gaps: Iterable[Gap], sessions: Iterable[Session], limit: int = 5) -> list[GapStats]:
    """The gaps that recur most (seen in two weeks or more), for Home."""
    return [s for s in ledger(gaps, sessions) if s.weeks_recurring >= 2 or s.times_seen >= 2][:limit]
