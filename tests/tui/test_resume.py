"""The app is torn down mid-session (a closed terminal); reopening offers to resume where it stopped."""

from __future__ import annotations

import asyncio

from tui.builders import make_app, record_notifications, settle, start_session, to_first_clip

from listen.store import Store
from listen.tui.screens.home import HomeScreen
from listen.tui.screens.modals import ConfirmModal
from listen.tui.screens.session import SessionScreen
from listen.tui.steps.listen import ListenStep
from listen.tui.widgets.nav import NavBar


async def start_and_stop_mid_session(app) -> tuple[str, int, str]:
    """Start a session, reach the first clip, mark a quote, then leave without closing."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await to_first_clip(pilot)
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


class Stopwatch:
    """A monotonic clock the test moves by hand (the timers read it; nothing sleeps)."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def app_with_stopwatch(workspace, stopwatch: Stopwatch):
    from tui.builders import FIXED_NOW

    from listen.settings import load_settings
    from listen.tui.app import ListenApp
    from listen.tui.clock import Clock

    return ListenApp(
        workspace,
        store=Store(workspace),
        settings=load_settings(workspace.settings_path),
        clock=Clock(now=lambda: FIXED_NOW, monotonic=stopwatch),
    )


def test_resume_keeps_the_running_steps_clock(built) -> None:
    """Decide at 0:28 when the terminal went away resumes at 0:28, not 0:00: the app leaving by
    any way but ctrl+q (here: the test harness ending it) still saves the step's time."""
    workspace, _store, _ids = built
    first = Stopwatch(1000.0)

    async def leave_after_28_seconds() -> tuple[str, float]:
        app = app_with_stopwatch(workspace, first)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await start_session(pilot)
            await pilot.press("n")
            await settle(pilot)
            first.now += 28.0
            screen = app.screen
            return screen.agenda.current.key, screen.agenda.elapsed()

    key, before = asyncio.run(leave_after_28_seconds())
    assert before == 28.0
    [session] = [s for s in Store(workspace).sessions() if s.status == "open"]
    assert session.step_seconds.get(key) == 28.0

    async def resume() -> tuple[str, float, str]:
        app = app_with_stopwatch(workspace, Stopwatch(5.0))  # a new process: another clock origin
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SessionScreen) and screen.agenda is not None
            header = str(screen.query_one("#step-header").render())
            return screen.agenda.current.key, screen.agenda.elapsed(), header

    resumed_key, after, header = asyncio.run(resume())
    assert resumed_key == key
    assert after == 28.0
    assert "0:28" in header


def test_after_closing_no_save_is_tried_and_the_header_names_no_session(built) -> None:
    """Closing used to leave the session screen ticking: 'Could not save: session progress …:
    the session is closed' every half minute, and the header still named the session."""
    workspace, store, _ids = built
    app = make_app(workspace, store, offer_resume=False)

    said = record_notifications(app)

    async def scenario() -> tuple[str, list[str], str, bool]:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await start_session(pilot)
            session_screen = app.screen
            assert isinstance(session_screen, SessionScreen)
            await pilot.press("j", "end", "enter")  # jump to the last step: Close
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            mode = app.current_mode
            for _ in range(3):  # what the half-minute tick does
                session_screen.save_progress()
                session_screen._tick()
                await settle(pilot)
            note = session_screen.query_one(NavBar).note
            return mode, said, note, session_screen.query_one("#no-session").display

    mode, notes, note, empty_shown = asyncio.run(scenario())
    assert mode == "minutes"
    assert not any("Could not save" in n for n in notes), notes
    assert any("closed. Thank you all." in n for n in notes), notes
    assert note == ""
    assert empty_shown
    [session] = store.sessions()[-1:]
    assert session.status == "closed"
