"""Recurrence: sessions and clips seen, first seen, weeks, runs of consecutive sessions."""

from __future__ import annotations

import datetime as dt

from listen.domain import Gap, GapLink, Session
from listen.session.recurrence import (
    RECURRING_RUN,
    RecurrenceMemo,
    Timeline,
    compact_weeks,
    gap_recurrence,
    recurrence_index,
    week_label,
)

START = dt.date(2026, 9, 7)  # a Monday
DATES = [(START + dt.timedelta(weeks=i)).isoformat() for i in range(8)]
SESSIONS = [Session(id=d, date=d, started_at=f"{d}T09:00:00+00:00") for d in DATES]


def gap(gap_id: str, session_numbers: list[int], *, clips: list[str] | None = None) -> Gap:
    clips = clips or [f"clip{n}" for n in session_numbers]
    links = [
        GapLink(clip_id=c, session_id=DATES[n], linked_at=f"{DATES[n]}T09:30:00+00:00")
        for n, c in zip(session_numbers, clips, strict=True)
    ]
    return Gap(id=gap_id, category="Tool", title=gap_id, created_at=f"{DATES[0]}T09:00:00+00:00", links=links)


def test_three_consecutive_sessions_make_a_gap_recurring() -> None:
    index = recurrence_index([gap("G-1", [0, 1, 3, 4, 5]), gap("G-2", [0, 2, 4, 6])], SESSIONS)
    g1, g2 = index["G-1"], index["G-2"]
    assert RECURRING_RUN == 3
    assert (g1.longest_run, g1.recurring) == (3, True)
    assert (g2.longest_run, g2.recurring) == (1, False)
    assert g1.session_ids == (DATES[0], DATES[1], DATES[3], DATES[4], DATES[5])
    assert g1.sessions_seen == 5 and g1.clips_seen == 5 and g1.times_seen == 5
    assert g1.first_seen == DATES[0] and g1.last_seen == DATES[5]
    assert g1.weeks == tuple(week_label(DATES[n]) for n in (0, 1, 3, 4, 5))
    assert g1.current_run == 0 and g2.current_run == 0  # neither was seen in the latest session


def test_two_in_a_row_is_not_recurring_and_current_run_counts_to_the_latest() -> None:
    r = gap_recurrence(gap("G-1", [6, 7]), Timeline(SESSIONS))
    assert (r.longest_run, r.current_run, r.recurring) == (2, 2, False)


def test_the_same_clip_twice_counts_once_as_a_clip_but_twice_as_seen() -> None:
    r = gap_recurrence(gap("G-1", [0, 1, 2], clips=["same", "same", "other"]), Timeline(SESSIONS))
    assert r.times_seen == 3 and r.clips_seen == 2 and r.clip_ids == ("same", "other")
    assert r.recurring


def test_as_of_a_session_ignores_later_sessions() -> None:
    g = gap("G-1", [0, 1, 2, 3])
    as_of_second = recurrence_index([g], SESSIONS, upto=DATES[1])["G-1"]
    assert as_of_second.session_ids == (DATES[0], DATES[1])
    assert (as_of_second.longest_run, as_of_second.current_run, as_of_second.recurring) == (2, 2, False)
    assert as_of_second.last_seen == DATES[1]
    assert recurrence_index([g], SESSIONS, upto=DATES[2])["G-1"].recurring


def test_links_outside_sessions_count_as_seen_but_not_for_runs() -> None:
    g = gap("G-1", [2])
    g.links.append(GapLink(clip_id="inbox", session_id=None, linked_at=f"{DATES[0]}T12:00:00+00:00"))
    g.links.append(GapLink(clip_id="later", session_id=None, linked_at=f"{DATES[5]}T12:00:00+00:00"))
    everything = gap_recurrence(g, Timeline(SESSIONS))
    assert everything.times_seen == 3 and everything.sessions_seen == 1
    assert everything.first_seen == DATES[0] and everything.longest_run == 1
    as_of = gap_recurrence(g, Timeline(SESSIONS, upto=DATES[2]))
    assert as_of.times_seen == 2 and as_of.clip_ids == ("clip2", "inbox")


def test_links_to_unknown_sessions_are_ignored_and_an_unseen_gap_dates_from_its_creation() -> None:
    g = Gap(id="G-9", category="Tool", title="x", created_at="2026-09-01T08:00:00+00:00")
    g.links.append(GapLink(clip_id="c", session_id="deleted-session"))
    r = gap_recurrence(g, Timeline(SESSIONS))
    assert (r.times_seen, r.sessions_seen, r.longest_run) == (0, 0, 0)
    assert r.first_seen == "2026-09-01" and r.weeks == (week_label("2026-09-01"),)


def test_sessions_on_the_same_day_are_consecutive_in_meeting_order() -> None:
    sessions = [
        Session(id="2026-09-07", date="2026-09-07", started_at="2026-09-07T09:00:00+00:00"),
        Session(id="2026-09-07-2", date="2026-09-07", started_at="2026-09-07T15:00:00+00:00"),
        Session(id="2026-09-14", date="2026-09-14", started_at="2026-09-14T09:00:00+00:00"),
    ]
    g = Gap(
        id="G-1",
        category="Tool",
        title="x",
        links=[GapLink(clip_id="c", session_id=s.id) for s in reversed(sessions)],
    )
    r = gap_recurrence(g, Timeline(sessions))
    assert r.session_ids == ("2026-09-07", "2026-09-07-2", "2026-09-14")
    assert r.recurring and r.weeks == ("2026-W37", "2026-W38")


def test_week_labels() -> None:
    assert week_label("2026-11-23") == "2026-W48"
    assert week_label("2027-01-01") == "2026-W53"
    assert compact_weeks(["2026-W51", "2026-W52", "2027-W01", "2027-W02"]) == "2026-W51, W52, 2027-W01, W02"
    assert compact_weeks([]) == ""


def test_a_memo_reuses_only_what_did_not_change() -> None:
    """The Gaps screen computes recurrence after every outside write with a memo: a gap that is
    the same object over the same sessions keeps its recurrence; a changed gap, or sessions in
    another order or with other dates, give what a fresh computation gives."""
    memo = RecurrenceMemo()
    g1, g2 = gap("G-1", [0, 1, 2]), gap("G-2", [3])
    first = recurrence_index([g1, g2], SESSIONS[:5], memo=memo)
    assert first == recurrence_index([g1, g2], SESSIONS[:5])
    again = recurrence_index([g1, g2], list(SESSIONS[:5]), memo=memo)
    assert again["G-1"] is first["G-1"] and again["G-2"] is first["G-2"]  # nothing computed

    g2_linked = gap("G-2", [3, 4])  # another object: G-2 was linked again elsewhere
    changed = recurrence_index([g1, g2_linked], SESSIONS[:5], memo=memo)
    assert changed["G-1"] is first["G-1"]
    assert changed["G-2"] == gap_recurrence(g2_linked, Timeline(SESSIONS[:5]))
    assert changed["G-2"].times_seen == 2 and changed["G-2"].current_run == 2

    later = recurrence_index([g1, g2_linked], SESSIONS[:6], memo=memo)  # a session was added
    assert later == recurrence_index([g1, g2_linked], SESSIONS[:6])
    assert later["G-2"].current_run == 0  # the newest session did not see it
    moved = [SESSIONS[0], Session(id=DATES[1], date=DATES[7]), *SESSIONS[2:6]]  # a date changed
    assert recurrence_index([g1, g2_linked], moved, memo=memo) == recurrence_index([g1, g2_linked], moved)
    assert recurrence_index([g1], SESSIONS[:6], memo=memo).keys() == {"G-1"}  # a gap went
