"""The Actions screen's detail panel: an action in full, its origin and every follow-up."""

from __future__ import annotations

import datetime as dt

from listen.domain import Action, FollowUp
from listen.tui.screens.actions import action_detail

TODAY = dt.date(2026, 11, 23)


def test_an_overdue_action_with_its_origin_and_follow_ups() -> None:
    action = Action(
        id="A-2",
        title="Ask the courier for tracking links that last 30 days",
        owner="Priya Shah",
        due="2026-11-20",
        origin_kind="idea",
        origin_id="I-4",
        session_id="2026-11-09",
        follow_ups=[FollowUp("2026-11-16", "carried", "The courier wants a fee")],
    )
    lines = action_detail(action, TODAY, {"idea I-4": "Longer tracking links"}).plain.split("\n")
    assert lines == [
        "A-2 Ask the courier for tracking links that last 30 days",
        "Priya Shah · due 2026-11-20 (overdue by 3 days) · open · committed 2026-11-09",
        "from idea I-4: Longer tracking links",
        "2026-11-16: carried forward · The courier wants a fee",
    ]


def test_a_done_action_is_never_overdue_and_an_unknown_origin_is_still_named() -> None:
    action = Action(
        id="A-1",
        title="Refund limit",
        owner="Ana",
        due="2026-11-01",
        status="done",
        origin_kind="gap",
        origin_id="G-9",
    )
    text = action_detail(action, TODAY, {}).plain
    assert "overdue" not in text
    assert "from gap G-9" in text and "done" in text
