"""The app is torn down mid-session (a closed terminal); reopening offers to resume where it stopped."""

from __future__ import annotations

import asyncio

from tui.builders import make_app, settle, start_session

from listen.store import Store
from listen.tui.screens.home import HomeScreen
from listen.tui.screens.modals import ConfirmModal
from listen.tui.screens.session import SessionScreen
from listen.tui.steps.listen import ListenStep


async def start_and_stop_mid_session(app) -> tuple[str, int, str]:
    """Start a session, reach the first clip, mark a quote, then leave without closing."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await start_session(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("n", "y")  # yes, move on with last week's action undecided
        await settle(pilot)
        step = app.screen.step_view
        assert isinstance(step, ListenStep)
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return app.session_id, app.screen.agenda.index, step.entry.clip_id


async def reopen(app, answer: str):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        offered = isinstance(app.screen, ConfirmModal)
        await pilot.press(answer)
        await settle(pilot)
        screen = app.screen
        state = {
            "offered": offered,
            "screen": type(screen).__name__,
            "index": screen.agenda.index if isinstance(screen, SessionScreen) and screen.agenda else None,
            "clip": getattr(getattr(screen, "step_view", None), "entry", None),
            "button": str(screen.query_one("#start").label) if isinstance(screen, HomeScreen) else None,
        }
        return state


def test_reopening_offers_to_resume_where_it_stopped(built) -> None:
    workspace, store, _ids = built
    session_id, index, clip_id = asyncio.run(start_and_stop_mid_session(make_app(workspace, store)))

    saved = Store(workspace).session(session_id)  # what a new process reads
    assert saved.status == "open"
    assert saved.step_index == index == 2
    assert [q.clip_id for q in saved.quotes] == [clip_id]

    state = asyncio.run(reopen(make_app(workspace, Store(workspace)), "y"))
    assert state["offered"]
    assert state["screen"] == "SessionScreen"
    assert state["index"] == index
    assert state["clip"].clip_id == clip_id


def test_declining_to_resume_keeps_the_session_open(built) -> None:
    workspace, store, _ids = built
    session_id, _index, _clip = asyncio.run(start_and_stop_mid_session(make_app(workspace, store)))

    state = asyncio.run(reopen(make_app(workspace, Store(workspace)), "n"))
    assert state["offered"]
    assert state["screen"] == "HomeScreen"
    assert state["button"] == "Resume the open session"
    assert Store(workspace).session(session_id).status == "open"
