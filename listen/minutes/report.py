"""The owner's digest across sessions: what recurs, what got done, what was adopted, what was heard.

``build_report`` gathers plain data (redacted and anonymised like the minutes);
``render_report_markdown`` formats it with every value escaped.

The period is every session on or after ``since`` (all sessions when not given) up to ``today``.
Recurrence is measured over all sessions up to ``today``, so a run that started before the period
still counts; only gaps tagged during the period are listed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from listen.domain import CHANNELS, Action, Clip, Gap, Session
from listen.minutes.anonymise import People
from listen.minutes.escape import cell, inline
from listen.minutes.model import fold_merged, natural_key
from listen.minutes.privacy import Privacy
from listen.minutes.render_md import STATUS_WORDS, plural, table
from listen.minutes.trends import SPARK_WEEKS, TrendInput, Trends, build_trends, zone
from listen.session.recurrence import GapRecurrence, Timeline, gap_recurrence
from listen.session.story import cohesion_trend
from listen.settings import Settings
from listen.store import View
from listen.store.store import Reuses

TOP_GAPS = 10
RECURRING_SESSIONS = 2  # the report's "recurring": seen in this many sessions or more (issue 12)
LIST_LIMIT = 25  # rows of the overdue and adopted-ideas tables; the rest is counted


@dataclass(frozen=True)
class ReportOptions:
    since: dt.date | None = None
    today: dt.date | None = None  # default: the real today
    redact: bool = True
    anonymise: bool = False
    top: int = TOP_GAPS
    limit: int = LIST_LIMIT


@dataclass(frozen=True)
class ReportGap:
    gap_id: str
    category: str
    title: str
    status: str
    recurrence: GapRecurrence
    sessions_in_period: int


@dataclass(frozen=True)
class ReportAction:
    action_id: str
    title: str
    owner: str
    due: str | None
    status: str
    overdue: bool
    committed_on: str


@dataclass(frozen=True)
class ReportIdea:
    idea_id: str
    text: str
    votes: int
    decided_on: str
    gap_ids: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]  # (action id, status)


@dataclass(frozen=True)
class Report:
    since: str | None
    today: str
    session_count: int
    first_date: str | None
    last_date: str | None
    gaps_tagged: int
    recurring_count: int
    top_gaps: tuple[ReportGap, ...]
    actions_done: int
    actions_open: int  # open and not overdue
    actions_overdue: int
    actions_dropped: int
    overdue: tuple[ReportAction, ...]  # the longest overdue first, at most ``limit``
    ideas_adopted: tuple[ReportIdea, ...]  # the most recent, at most ``limit``, oldest first
    ideas_adopted_total: int
    clips_by_channel: tuple[tuple[str, int], ...]
    story: tuple[tuple[str, float], ...]  # (session date, cohesion)
    redacted: bool
    anonymised: bool
    trends: Trends
    open_actions: tuple[
        ReportAction, ...
    ] = ()  # overdue first (longest first), then by due; at most ``limit``

    @property
    def actions_total(self) -> int:
        return self.actions_done + self.actions_open + self.actions_overdue + self.actions_dropped

    @property
    def clips_total(self) -> int:
        return sum(count for _, count in self.clips_by_channel)


@dataclass(frozen=True)
class History:
    """What the report and its trend are read from (each table read once)."""

    today: dt.date
    since: dt.date | None
    all_sessions: list[Session]  # every session up to today
    period: list[Session]  # those on or after ``since``
    period_ids: set[str]
    session_dates: dict[str, str]
    gaps: list[Gap]  # merged ones folded into what they were merged into
    all_actions: list[Action]
    actions: list[Action]  # committed during the period
    all_clips: list[Clip]  # the trend counts clips submitted, so all are read once
    people: People


# For a reader that reads the history again and again (the Trends screen's ranges, after Home
# read the same tables): the objects of the last read of each table, reused when their documents
# did not change (store.Reuse; one set shared by the app's screens that read whole tables).
HistoryReuse = Reuses


def read_history(
    store: View, settings: Settings, options: ReportOptions, reuse: HistoryReuse | None = None
) -> History:
    today = options.today or dt.date.today()
    today_iso = today.isoformat()
    since_iso = options.since.isoformat() if options.since else None
    sessions = store.sessions(reuse=reuse.sessions if reuse else None)
    all_sessions = [s for s in sessions if s.date <= today_iso]
    period = [s for s in all_sessions if since_iso is None or s.date >= since_iso]
    period_ids = {s.id for s in period}
    session_dates = {s.id: s.date for s in all_sessions}
    all_actions = store.actions(reuse=reuse.actions if reuse else None)
    actions = [a for a in all_actions if _in_period(a, session_dates, period_ids, since_iso, today_iso)]
    return History(
        today=today,
        since=options.since,
        all_sessions=all_sessions,
        period=period,
        period_ids=period_ids,
        session_dates=session_dates,
        gaps=fold_merged(store.gaps(include_merged=True, reuse=reuse.gaps if reuse else None)),
        all_actions=all_actions,
        actions=actions,
        all_clips=store.clips(reuse=reuse.clips if reuse else None),
        people=_people(settings, all_sessions, actions, options.anonymise),
    )


def rank_gaps(history: History) -> tuple[list[Gap], list[tuple[Gap, GapRecurrence, int]]]:
    """The gaps seen during the period, and the recurring ones (seen in RECURRING_SESSIONS or
    more sessions) with their recurrence and sessions in the period, in the report's order."""
    timeline = Timeline(history.all_sessions)
    period_ids = history.period_ids
    seen = [g for g in history.gaps if any(link.session_id in period_ids for link in g.links)]
    measured: list[tuple[Gap, GapRecurrence, int]] = []
    for gap in seen:
        recurrence = gap_recurrence(gap, timeline)
        if recurrence.sessions_seen < RECURRING_SESSIONS:
            continue  # seen in one session only: not recurring, not in the report's list
        measured.append((gap, recurrence, sum(1 for sid in recurrence.session_ids if sid in period_ids)))
    measured.sort(
        key=lambda m: (  # recurring first (longest run first), then the most often seen
            not m[1].recurring,
            -m[1].longest_run if m[1].recurring else 0,
            -m[2],
            -m[1].times_seen,
            -m[1].longest_run,
            natural_key(m[0].id),
        )
    )
    return seen, measured


def history_trends(
    history: History, top_gaps: Sequence[tuple[Gap, str]], story: Sequence[tuple[str, float]], timezone: str
) -> Trends:
    """The report's trend: its top gaps (with their shown titles) and everything else read."""
    return build_trends(
        TrendInput(
            sessions=history.all_sessions,
            gaps=[(gap, f"{gap.id} {title}") for gap, title in top_gaps],
            actions=history.all_actions,
            clips=history.all_clips,
            story=story,
        ),
        today=history.today,
        where=zone(timezone),
        since=history.since,
    )


def report_trends(
    store: View, settings: Settings, options: ReportOptions, reuse: HistoryReuse | None = None
) -> Trends:
    """Only the report's trend (the Trends screen): the same reads, ranking and labels as
    ``build_report``, without the tables (actions, ideas) nor their redaction."""
    history = read_history(store, settings, options, reuse)
    _, measured = rank_gaps(history)
    text = Privacy(history.people, redacting=options.redact, region=settings.region)
    top = [(gap, text(gap.title)) for gap, _, _ in measured[: options.top]]
    return history_trends(history, top, tuple(cohesion_trend(history.period)), settings.timezone)


def build_report(store: View, settings: Settings, options: ReportOptions | None = None) -> Report:
    options = options or ReportOptions(redact=settings.redact, anonymise=settings.anonymise)
    history = read_history(store, settings, options)
    today, today_iso = history.today, history.today.isoformat()
    since_iso = options.since.isoformat() if options.since else None
    period, period_ids, session_dates = history.period, history.period_ids, history.session_dates
    all_actions, actions, all_clips = history.all_actions, history.actions, history.all_clips
    ideas = [i for i in store.ideas() if i.picked and i.session_id in period_ids]
    text = Privacy(history.people, redacting=options.redact, region=settings.region)

    seen, measured = rank_gaps(history)
    ranked = [  # only the gaps shown are redacted (a long history has thousands)
        ReportGap(gap.id, text(gap.category), text(gap.title), gap.status, recurrence, in_period)
        for gap, recurrence, in_period in measured[: options.top]
    ]

    def report_action(a: Action) -> ReportAction:
        return ReportAction(
            action_id=a.id,
            title=text(a.title),
            owner=text.name(a.owner),
            due=a.due,
            status=a.status,
            overdue=_action_state(a, today) == "overdue",
            committed_on=session_dates.get(a.session_id or "", a.created_at[:10]),
        )

    statuses = Counter(_action_state(a, today) for a in actions)
    overdue = sorted(
        (a for a in actions if _action_state(a, today) == "overdue"),
        key=lambda a: (a.due or "", natural_key(a.id)),
    )
    still_open = sorted(
        (a for a in actions if a.status == "open"),
        key=lambda a: (_action_state(a, today) != "overdue", a.due or "9999", natural_key(a.id)),
    )
    by_origin: dict[str, list[Action]] = {}
    for action in all_actions:
        if action.origin_kind == "idea" and action.origin_id:
            by_origin.setdefault(action.origin_id, []).append(action)
    adopted = sorted(ideas, key=lambda i: (session_dates.get(i.session_id or "", ""), natural_key(i.id)))
    story = tuple(cohesion_trend(period))
    by_id = {g.id: g for g in seen}
    trends = history_trends(history, [(by_id[g.gap_id], g.title) for g in ranked], story, settings.timezone)

    return Report(
        since=since_iso,
        today=today_iso,
        session_count=len(period),
        first_date=period[0].date if period else None,
        last_date=period[-1].date if period else None,
        gaps_tagged=len(seen),
        recurring_count=len(measured),
        top_gaps=tuple(ranked),
        actions_done=statuses["done"],
        actions_open=statuses["open"],
        actions_overdue=statuses["overdue"],
        actions_dropped=statuses["dropped"],
        overdue=tuple(report_action(a) for a in overdue[: options.limit]),
        open_actions=tuple(report_action(a) for a in still_open[: options.limit]),
        ideas_adopted=tuple(
            ReportIdea(
                idea_id=i.id,
                text=text(i.text),
                votes=i.vote_count,
                decided_on=session_dates.get(i.session_id or "", ""),
                gap_ids=tuple(sorted(i.gap_ids, key=natural_key)),
                actions=tuple((a.id, a.status) for a in by_origin.get(i.id, [])),
            )
            for i in adopted[max(0, len(adopted) - options.limit) :]
        ),
        ideas_adopted_total=len(adopted),
        clips_by_channel=_clips_by_channel(all_clips, period),
        story=story,
        redacted=options.redact,
        anonymised=options.anonymise,
        trends=trends,
    )


def _in_period(
    action: Action, session_dates: dict[str, str], period_ids: set[str], since: str | None, today: str
) -> bool:
    """Actions committed during the period (by their session, else by when they were made)."""
    if action.session_id and action.session_id in session_dates:
        return action.session_id in period_ids
    day = action.created_at[:10]
    return (since is None or day >= since) and day <= today


def _action_state(action: Action, today: dt.date) -> str:
    if action.status == "open":
        return "overdue" if action.is_overdue(today) else "open"
    return action.status


def _people(
    settings: Settings, sessions: Sequence[Session], actions: Iterable[Action], anonymise: bool
) -> People:
    roles = {m.name.strip(): m.role for m in settings.members if m.role}
    names = [m.name for m in settings.members]
    for session in sessions:
        names += [session.facilitator, *(a.name for a in session.attendees)]
        roles.update({a.name.strip(): a.role for a in session.attendees if a.role})
    names += [a.owner for a in actions]
    return People(names, roles, anonymise=anonymise)


def _clips_by_channel(clips: Sequence[Clip], sessions: Sequence[Session]) -> tuple[tuple[str, int], ...]:
    clip_ids = dict.fromkeys(cid for s in sessions for cid in s.clip_ids)
    channels = {clip.id: clip.channel for clip in clips}
    counts: Counter[str] = Counter(channels.get(clip_id, "unknown") for clip_id in clip_ids)
    order = [c for c in CHANNELS if c in counts] + sorted(c for c in counts if c not in CHANNELS)
    return tuple((channel, counts[channel]) for channel in order)


# --------------------------------------------------------------------------- Markdown


def report_title(report: Report) -> str:
    return f"Listening report — since {report.since}" if report.since else "Listening report — all sessions"


def render_report_markdown(report: Report) -> str:
    if report.session_count:
        period = (
            f"{inline(report.first_date)} to {inline(report.last_date)} "
            f"({plural(report.session_count, 'session')})"
        )
    else:
        period = "no sessions in this period"
    lines = [
        f"# {inline(report_title(report))}",
        "",
        f"- **Period:** {period}",
        f"- **Prepared on:** {inline(report.today)}",
        "",
        f"**Summary:** {plural(report.gaps_tagged, 'gap')} tagged ({report.recurring_count} recurring) · "
        f"{plural(report.actions_total, 'action')} committed ({report.actions_done} done, "
        f"{report.actions_open} open, {report.actions_overdue} overdue, {report.actions_dropped} dropped) · "
        f"{plural(report.ideas_adopted_total, 'idea')} adopted · "
        f"{plural(report.clips_total, 'clip')} reviewed.",
        "",
    ]
    lines += _top_gaps(report)
    lines += _actions(report)
    lines += _ideas(report)
    lines += _channels(report)
    if report.story:
        lines += ["## Story check", ""]
        lines += [
            "Cohesion by session: "
            + " · ".join(f"{inline(day)}: {value:.0f}" for day, value in report.story)
            + ".",
            "",
        ]
    notes = []
    if report.redacted:
        notes.append("Personal data is redacted.")
    if report.anonymised:
        notes.append("People are shown by their role.")
    notes.append("Gaps belong to the system, never to a person.")
    lines += [f"*{' '.join(notes)}*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _top_gaps(report: Report) -> list[str]:
    lines = ["## Top recurring gaps", ""]
    if not report.top_gaps:
        return [*lines, "No gap was seen in more than one session in this period.", ""]
    rows = []
    for gap in report.top_gaps:
        r = gap.recurrence
        flag = " **3+ in a row**" if r.recurring else ""
        rows.append(
            [
                f"{cell(gap.gap_id)} {cell(gap.title)}{flag}",
                cell(gap.category),
                str(r.sessions_seen),
                str(r.clips_seen),
                str(r.times_seen),
                report.trends.gap_sparkline(gap.gap_id),
                cell(r.first_seen),
                str(r.longest_run),
                STATUS_WORDS.get(gap.status, cell(gap.status)),
            ]
        )
    headers = ["Gap", "Category", "Sessions", "Clips", "Times", "Weekly", "Since", "Longest run", "Status"]
    note = (
        f"Recurring: seen in {RECURRING_SESSIONS} or more sessions; 3+ in a row: in 3 or more sessions "
        f"in a row. Showing the top {len(report.top_gaps)}. "
        f"Weekly: times seen per week over the last {min(SPARK_WEEKS, len(report.trends.weeks))} weeks "
        "(▁ none, █ the most)."
    )
    return [*lines, *table(headers, rows), "", note, ""]


def _actions(report: Report) -> list[str]:
    lines = ["## Actions", ""]
    rows = [
        ["Done", str(report.actions_done)],
        ["Open", str(report.actions_open)],
        ["Overdue", str(report.actions_overdue)],
        ["Dropped", str(report.actions_dropped)],
    ]
    lines += [*table(["Status", "Actions"], rows), ""]
    if report.open_actions:
        lines += ["### Open actions", ""]
        open_rows = [
            [
                f"{cell(a.action_id)} {cell(a.title)}",
                cell(a.owner),
                cell(a.due, "none") + (" **(overdue)**" if a.overdue else ""),
                cell(a.committed_on),
            ]
            for a in report.open_actions
        ]
        lines += [*table(["Action", "Owner", "Due", "Committed"], open_rows), ""]
        more = report.actions_open + report.actions_overdue - len(report.open_actions)
        if more > 0:
            lines += [f"And {plural(more, 'more open action')} (the overdue and soonest due are shown).", ""]
    return lines


def _ideas(report: Report) -> list[str]:
    lines = ["## Ideas adopted", ""]
    if not report.ideas_adopted:
        return [*lines, "No ideas were picked in this period.", ""]
    rows = [
        [
            f"{cell(i.idea_id)} {cell(i.text)}",
            str(i.votes),
            cell(i.decided_on),
            cell(", ".join(i.gap_ids)),
            cell(", ".join(f"{aid} {status}" for aid, status in i.actions), "no action yet"),
        ]
        for i in report.ideas_adopted
    ]
    lines += [*table(["Idea", "Votes", "Picked on", "Gaps", "Actions"], rows), ""]
    earlier = report.ideas_adopted_total - len(report.ideas_adopted)
    if earlier > 0:
        lines += [f"And {plural(earlier, 'earlier adopted idea')} (the most recent are shown).", ""]
    return lines


def _channels(report: Report) -> list[str]:
    lines = ["## Clips reviewed per channel", ""]
    if not report.clips_by_channel:
        return [*lines, "No clips were reviewed in this period.", ""]
    rows = [[cell(channel), str(count)] for channel, count in report.clips_by_channel]
    rows.append(["**Total**", f"**{report.clips_total}**"])
    return [*lines, *table(["Channel", "Clips"], rows), ""]
