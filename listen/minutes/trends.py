"""The trend over the team's weeks: gaps seen, actions committed / done / overdue, clips submitted
and heard, and the story-cohesion figure per session.

Plain data, no Textual and no drawing: the Trends screen, the HTML report's charts and the
Markdown sparklines all read the same ``Trends``.

Weeks are ISO 8601 weeks in the workspace's time zone (the ``timezone`` setting, the system's when
empty): a session counts in the week of its date (already the team's day); a clip submitted, a link
made or an action closed counts in the week its timestamp falls in, read in that zone. Every week
between the first and the last is shown, empty ones as zero.

The charts show the system, never a person: gap labels go through the report's privacy filter
(redaction, --anonymise), and no series is ever split by who submitted or who owns an action.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from listen.domain import CHANNELS, Action, Clip, Gap, Session

Week = tuple[int, int]  # (ISO year, ISO week)

MAX_GAP_LINES = 6  # gap lines drawn in one chart
RANGES: dict[str, int | None] = {"4w": 4, "12w": 12, "all": None}  # range key -> weeks shown
SPARK = "▁▂▃▄▅▆▇█"
SPARK_WEEKS = 12  # a Markdown sparkline shows the last 12 weeks of the period


def zone(name: str) -> dt.tzinfo:
    """The zone named in the settings ("Europe/Berlin"), or the system's when empty or unknown."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):  # checked when the settings load; never fatal here
            pass
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


def week_of_day(day: dt.date) -> Week:
    year, week, _ = day.isocalendar()
    return (year, week)


@functools.lru_cache(maxsize=65536)
def local_day(timestamp: str, where: dt.tzinfo) -> dt.date:
    """The team's calendar day of a stored timestamp (a timestamp without offset is taken as local)."""
    moment = dt.datetime.fromisoformat(timestamp)
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(where).date()


def week_of_timestamp(timestamp: str, where: dt.tzinfo) -> Week:
    return week_of_day(local_day(timestamp, where))


def week_label(week: Week) -> str:
    return f"{week[0]}-W{week[1]:02d}"


def week_monday(week: Week) -> dt.date:
    return dt.date.fromisocalendar(week[0], week[1], 1)


def week_span(first: Week, last: Week) -> list[Week]:
    """Every ISO week from ``first`` to ``last``, both included (across year ends, 53-week years)."""
    weeks: list[Week] = []
    day, end = week_monday(first), week_monday(last)
    while day <= end:
        weeks.append(week_of_day(day))
        day += dt.timedelta(days=7)
    return weeks


def range_start(key: str, today: dt.date) -> dt.date | None:
    """The first day (a Monday) of a range ending with today's week; None for "all"."""
    count = RANGES[key]
    if count is None:
        return None
    return week_monday(week_of_day(today)) - dt.timedelta(weeks=count - 1)


def sparkline(values: Sequence[float]) -> str:
    """'▁▃▅█' for the values, scaled to the largest; zero is the lowest bar."""
    top = max(values, default=0)
    if top <= 0:
        return SPARK[0] * len(values)
    return "".join(SPARK[round(v / top * (len(SPARK) - 1))] for v in values)


@dataclass(frozen=True)
class Series:
    key: str  # a gap id, a channel, or what is counted ("committed")
    label: str  # shown in a legend: already redacted and anonymised
    values: tuple[float, ...]  # one per week (or per session for the story)

    @property
    def total(self) -> float:
        return sum(self.values)


@dataclass(frozen=True)
class Chart:
    title: str
    x_labels: tuple[str, ...]  # weeks ("2026-W48"), or session dates for the story
    series: tuple[Series, ...]
    unit: str  # what the y axis counts
    y_max: float | None = None  # fixed top of the y axis (cohesion: 100)


@dataclass(frozen=True)
class Trends:
    weeks: tuple[str, ...]
    gaps: Chart
    actions: Chart
    clips: Chart
    story: Chart
    gap_weekly: tuple[Series, ...]  # every top gap (the chart draws the first MAX_GAP_LINES)

    @property
    def charts(self) -> tuple[Chart, ...]:
        return (self.gaps, self.actions, self.clips, self.story)

    def gap_sparkline(self, gap_id: str, weeks: int = SPARK_WEEKS) -> str:
        series = next((s for s in self.gap_weekly if s.key == gap_id), None)
        return sparkline(series.values[-weeks:]) if series else ""


@dataclass(frozen=True)
class TrendInput:
    """What the trend is drawn from (read once by the caller)."""

    sessions: Sequence[Session]  # every session up to today
    gaps: Sequence[tuple[Gap, str]]  # the top gaps, ranked, with their (private) label
    actions: Sequence[Action]  # every action
    clips: Sequence[Clip]  # every clip
    story: Sequence[tuple[str, float]]  # (session date, cohesion), oldest first


def build_trends(
    data: TrendInput,
    *,
    today: dt.date,
    where: dt.tzinfo,
    since: dt.date | None = None,
    gap_lines: int = MAX_GAP_LINES,
) -> Trends:
    """The charts from ``since`` (all history when None) to today's week."""
    session_date = {s.id: s.date for s in data.sessions}
    last = week_of_day(today)
    first = week_of_day(since) if since else _first_week(data, where, last)
    weeks = week_span(min(first, last), last)
    labels = tuple(week_label(w) for w in weeks)
    index = {w: i for i, w in enumerate(weeks)}

    def counts(found: Iterable[Week]) -> tuple[float, ...]:
        values = [0.0] * len(weeks)
        for week in found:
            position = index.get(week)
            if position is not None:
                values[position] += 1
        return tuple(values)

    gap_series = tuple(
        Series(gap.id, label, counts(gap_weeks(gap, session_date, where))) for gap, label in data.gaps
    )
    gaps = Chart("Gaps seen per week", labels, gap_series[:gap_lines], "times seen")
    actions = Chart(
        "Actions per week",
        labels,
        action_series(data.actions, session_date, where, weeks, today, counts),
        "actions",
    )
    clips = Chart("Clips per week", labels, clip_series(data.clips, data.sessions, where, counts), "clips")
    start = week_monday(weeks[0]).isoformat()
    shown = [(day, value) for day, value in data.story if start <= day <= today.isoformat()]
    story = Chart(
        "Story cohesion per session",
        tuple(day for day, _ in shown),
        (Series("cohesion", "cohesion", tuple(value for _, value in shown)),) if shown else (),
        "cohesion",
        y_max=100,
    )
    return Trends(labels, gaps, actions, clips, story, gap_series)


def _first_week(data: TrendInput, where: dt.tzinfo, last: Week) -> Week:
    found = [week_of_day(dt.date.fromisoformat(s.date)) for s in data.sessions]
    found += [week_of_timestamp(c.submitted_at, where) for c in data.clips]
    found += [week_of_timestamp(a.created_at, where) for a in data.actions]
    return min(found, default=last)


def gap_weeks(gap: Gap, session_date: dict[str, str], where: dt.tzinfo) -> list[Week]:
    """The week of each time a gap was seen: its session's week, else when the link was made."""
    found = []
    for link in gap.links:
        day = session_date.get(link.session_id or "")
        if day:
            found.append(week_of_day(dt.date.fromisoformat(day)))
        elif not link.session_id:
            found.append(week_of_timestamp(link.linked_at or gap.created_at, where))
    return found


def action_series(
    actions: Sequence[Action],
    session_date: dict[str, str],
    where: dt.tzinfo,
    weeks: Sequence[Week],
    today: dt.date,
    counts: Callable[[Iterable[Week]], tuple[float, ...]],
) -> tuple[Series, ...]:
    """Committed (the week of its session, else of its making), done (the week it was closed
    as done) and overdue (open past its due date at the end of each week, or at today)."""

    def committed_day(action: Action) -> dt.date:
        day = session_date.get(action.session_id or "")
        return dt.date.fromisoformat(day) if day else local_day(action.created_at, where)

    committed_days = [committed_day(a) for a in actions]
    committed = counts(week_of_day(day) for day in committed_days)
    done = counts(
        week_of_timestamp(a.closed_at, where) for a in actions if a.status == "done" and a.closed_at
    )
    # each action is overdue over one span of days [from, until): count the spans holding each week's end
    starts, ends = [], []
    for action, day in zip(actions, committed_days, strict=True):
        span = overdue_span(action, day, where)
        if span is not None:
            starts.append(span[0])
            ends.append(span[1])
    starts.sort()
    ends.sort()
    overdue = []
    for week in weeks:
        end = min(week_monday(week) + dt.timedelta(days=6), today)
        overdue.append(float(bisect.bisect_right(starts, end) - bisect.bisect_right(ends, end)))
    return (
        Series("committed", "committed", committed),
        Series("done", "done", done),
        Series("overdue", "overdue", tuple(overdue)),
    )


def overdue_span(action: Action, committed: dt.date, where: dt.tzinfo) -> tuple[dt.date, dt.date] | None:
    """The days an action was open past its due date: from the day after it was due (or committed,
    if later) until the day it was closed (excluded); None if it never was."""
    if not action.due:
        return None
    start = max(dt.date.fromisoformat(action.due) + dt.timedelta(days=1), committed)
    if action.status == "open":
        until = dt.date.max
    elif action.closed_at:
        until = local_day(action.closed_at, where)
    else:
        return None
    return (start, until) if start < until else None


def clip_series(
    clips: Sequence[Clip],
    sessions: Sequence[Session],
    where: dt.tzinfo,
    counts: Callable[[Iterable[Week]], tuple[float, ...]],
) -> tuple[Series, ...]:
    """Per channel: clips submitted (the week they came in) and heard (the week of the session
    that played them)."""
    channel = {c.id: c.channel for c in clips}
    present = [c for c in CHANNELS if c in channel.values()]
    series = []
    for name in present:
        series.append(
            Series(
                f"submitted:{name}",
                f"{name} submitted",
                counts(week_of_timestamp(c.submitted_at, where) for c in clips if c.channel == name),
            )
        )
    for name in present:
        heard = (
            week_of_day(dt.date.fromisoformat(s.date))
            for s in sessions
            for clip_id in dict.fromkeys(s.clip_ids)
            if channel.get(clip_id) == name
        )
        series.append(Series(f"heard:{name}", f"{name} heard", counts(heard)))
    return tuple(series)
