"""Issue 12, nothing typed is lost: a carry-forward's note is kept on Esc as done's and drop's
are (saved with the decision and the due date shown), and when the app ends with the dialog open."""

from __future__ import annotations

import asyncio
import datetime as dt

from tui.builders import TODAY, make_app, open_carry_forward, running, settle

from listen.tui.screens.action_form import CarryForward

WEEK_LATER = (TODAY + dt.timedelta(days=7)).isoformat()


def carry_forward(built, *keys: str, stays: bool = False) -> list[tuple[str, str, str | None]]:
    """Start a session, at Follow-up press c on A-1, then ``keys``; returns A-1's follow-ups.
    ``stays``: the dialog is still open after the keys."""
    workspace, store, _ids = built
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with running(app) as pilot:
            await open_carry_forward(pilot)
            assert isinstance(app.screen, CarryForward)
            await pilot.press(*keys)
            await settle(pilot)
            if keys[-1] != "ctrl+q":
                assert isinstance(app.screen, CarryForward) is stays

    asyncio.run(scenario())
    action = store.action("A-1")
    return [(f.outcome, f.note, action.due) for f in action.follow_ups]


def test_a_carry_forward_note_left_with_esc_is_kept(built) -> None:
    assert carry_forward(built, "tab", *"deputy not yet named", "escape") == [
        ("carried", "deputy not yet named", WEEK_LATER)
    ]


def test_esc_on_an_untouched_carry_forward_decides_nothing(built) -> None:
    assert carry_forward(built, "tab", "escape") == []


def test_a_refused_date_stays_on_screen_when_esc_would_keep_the_note(built) -> None:
    # the date is cleared, then the note typed: Esc cannot save it, so the dialog stays
    assert carry_forward(built, "ctrl+u", *"2020-01-01", "tab", *"deputy", "escape", stays=True) == []


def test_a_carry_forward_note_typed_then_ctrl_q_is_kept(built) -> None:
    assert carry_forward(built, "tab", *"deputy not yet named", "ctrl+q") == [
        ("carried", "deputy not yet named", WEEK_LATER)
    ]
