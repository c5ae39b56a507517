"""`listen report`'s digest across sessions: recurring gaps, actions, adopted ideas, channels."""

from __future__ import annotations

import datetime as dt

from listen.domain import Action, Clip, FixIdea, Gap, GapLink, Session
from listen.minutes import ReportOptions, build_report, render_report
from listen.settings import Settings
from listen.store import Store
from listen.workspace import Workspace
from tests.minutes.md_structure import (
    FORBIDDEN,
    all_types,
    headings,
    paragraphs_and_items,
    parse,
    tables,
)
from tests.minutes.minutes_fixture import SETTINGS

TODAY = dt.date(2026, 11, 30)


def test_report_over_the_fixture_history(history: Store) -> None:
    report = build_report(history, SETTINGS, ReportOptions(today=TODAY))
    assert report.session_count == 5 and (report.first_date, report.last_date) == ("2026-10-26", "2026-11-23")
    # recurring: seen in 2 or more sessions (G-3 and G-4 were seen once)
    assert [g.gap_id for g in report.top_gaps] == ["G-1", "G-2", "G-5"]
    assert report.recurring_count == 3 and report.top_gaps[0].recurrence.longest_run == 5
    counts = (report.actions_done, report.actions_open, report.actions_overdue, report.actions_dropped)
    assert counts == (1, 2, 1, 1)
    assert [a.action_id for a in report.overdue] == ["A-2"]
    assert [(a.action_id, a.owner, a.due, a.overdue) for a in report.open_actions] == [
        ("A-2", "Dev Patel", "2026-11-18", True),
        ("A-4", "Chloé Martin", "2026-12-07", False),
        ("A-5", "Dev Patel", "2026-12-14", False),
    ]
    assert [(i.idea_id, i.actions) for i in report.ideas_adopted] == [
        ("I-1", (("A-4", "open"),)),
        ("I-2", (("A-5", "open"),)),
    ]
    assert dict(report.clips_by_channel) == {"phone": 3, "email": 1, "chat": 2, "web": 1}
    assert [round(c) for _, c in report.story] == [58, 64, 72]


def test_report_since_a_date_keeps_recurrence_from_before(history: Store) -> None:
    report = build_report(history, SETTINGS, ReportOptions(since=dt.date(2026, 11, 16), today=TODAY))
    assert report.session_count == 2
    assert report.top_gaps[0].gap_id == "G-1" and report.top_gaps[0].recurrence.recurring
    assert report.top_gaps[0].sessions_in_period == 2
    # A-2 was committed before the period: not counted; A-1, A-3 (2026-11-16) and are.
    counts = (report.actions_done, report.actions_open, report.actions_overdue, report.actions_dropped)
    assert counts == (1, 2, 0, 1)
    assert dict(report.clips_by_channel) == {"phone": 1, "email": 1, "chat": 2}


def test_report_markdown_structure(history: Store) -> None:
    tokens = parse(render_report(build_report(history, SETTINGS, ReportOptions(today=TODAY))))
    assert not (all_types(tokens) & FORBIDDEN)
    assert headings(tokens) == [
        (1, "Listening report — all sessions"),
        (2, "Top recurring gaps"),
        (2, "Actions"),
        (3, "Open actions"),
        (2, "Ideas adopted"),
        (2, "Clips reviewed per channel"),
        (2, "Story check"),
    ]
    gaps, statuses, still_open, ideas, channels = tables(tokens)
    assert gaps[1][0] == "G-1 Refund window is 14 days; customers expect 30 3+ in a row"
    assert statuses[1:] == [["Done", "1"], ["Open", "2"], ["Overdue", "1"], ["Dropped", "1"]]
    assert still_open[1][:3] == [
        "A-2 Ask the processor for a duplicate-charge report",
        "Dev Patel",
        "2026-11-18 (overdue)",
    ]
    assert [row[1] for row in still_open[1:]] == ["Dev Patel", "Chloé Martin", "Dev Patel"]
    assert channels[-1] == ["Total", "7"]
    assert len(ideas) == 3


def test_report_across_many_sessions(workspace: Workspace) -> None:
    """Ten weekly sessions; one gap in sessions 1-2 and 4-6 (recurring), one every other week."""
    store = Store(workspace)
    dates = [(dt.date(2026, 9, 7) + dt.timedelta(weeks=i)).isoformat() for i in range(10)]
    with store.transaction() as tx:
        for i, day in enumerate(dates):
            clip_id = f"{i:02d}" + "e" * 8
            channel = ("phone", "email", "chat")[i % 3]
            tx.put(Clip(clip_id, clip_id * 6 + "0000", "text", f"clip {i}", "x.txt", "m", 1, channel, "Rep"))  # type: ignore[arg-type]
            tx.put(Session(id=day, date=day, clip_ids=[clip_id], started_at=f"{day}T09:00:00+00:00"))
            due = (dt.date.fromisoformat(day) + dt.timedelta(days=7)).isoformat()
            tx.put(
                Action(
                    f"A-{i + 1}", f"action {i}", "Owner", due, status="done" if i < 4 else "open",
                    session_id=day, created_at=f"{day}T09:50:00+00:00",
                )
            )  # fmt: skip
            tx.put(FixIdea(f"I-{i + 1}", f"idea {i}", session_id=day, picked=i % 2 == 0, votes={"x": i}))

        def links(numbers: list[int]) -> list[GapLink]:
            return [GapLink(f"{n:02d}" + "e" * 8, dates[n]) for n in numbers]

        tx.put(Gap("G-1", "Tool", "runs", links=links([0, 1, 3, 4, 5])))
        tx.put(Gap("G-2", "Policy", "alternates", links=links([0, 2, 4, 6, 8])))
        tx.put(Gap("G-3", "Product", "twice in a row", links=links([8, 9])))

    report = build_report(store, Settings(), ReportOptions(today=dt.date(2026, 11, 12)))
    assert report.session_count == 10
    by_id = {g.gap_id: g for g in report.top_gaps}
    assert [g.gap_id for g in report.top_gaps] == ["G-1", "G-2", "G-3"]
    assert by_id["G-1"].recurrence.recurring and by_id["G-1"].recurrence.longest_run == 3
    assert not by_id["G-2"].recurrence.recurring and by_id["G-2"].recurrence.sessions_seen == 5
    assert by_id["G-3"].recurrence.current_run == 2
    # Due a week after each session; on 2026-11-12 only the last one (due 2026-11-16) is not late.
    assert (report.actions_done, report.actions_overdue, report.actions_open) == (4, 5, 1)
    assert [i.idea_id for i in report.ideas_adopted] == ["I-1", "I-3", "I-5", "I-7", "I-9"]
    assert dict(report.clips_by_channel) == {"phone": 4, "email": 3, "chat": 3}

    limited = build_report(store, Settings(), ReportOptions(today=dt.date(2026, 11, 12), limit=2))
    assert [a.action_id for a in limited.overdue] == ["A-5", "A-6"]  # the longest overdue
    assert [i.idea_id for i in limited.ideas_adopted] == ["I-7", "I-9"]  # the most recent
    assert (limited.actions_overdue, limited.ideas_adopted_total) == (5, 5)
    texts = paragraphs_and_items(parse(render_report(limited)))
    assert [a.action_id for a in limited.open_actions] == ["A-5", "A-6"]
    assert "And 4 more open actions (the overdue and soonest due are shown)." in texts
    assert "And 3 earlier adopted ideas (the most recent are shown)." in texts

    since = build_report(
        store, Settings(), ReportOptions(since=dt.date(2026, 10, 26), today=dt.date(2026, 11, 30))
    )
    assert since.session_count == 3 and [g.gap_id for g in since.top_gaps] == ["G-3", "G-2"]
    assert [g.sessions_in_period for g in since.top_gaps] == [2, 1]


def test_report_with_no_sessions(workspace: Workspace) -> None:
    report = build_report(Store(workspace), Settings(), ReportOptions(today=TODAY))
    text = render_report(report)
    assert report.session_count == 0 and "no sessions in this period" in text
    assert headings(parse(text))[0] == (1, "Listening report — all sessions")
