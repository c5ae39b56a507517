"""Keys pressed faster than the steps mount: `k` (skip), `n` (next) and `b` (back) through the
Listen steps of a running session, all queued at once as a fast typist's keys reach the app (in a
terminal they arrive in one read). A step shown and hidden again before its widgets exist must
not ask for them: it crashed with NoMatches on PlayerPanel in ListenStep.step_hidden."""

from __future__ import annotations

import asyncio

from textual.screen import ModalScreen
from tui.builders import make_app, settle, start_session

from listen.ingest.submit import submit_file
from listen.tui.screens.session import SessionScreen
from listen.tui.steps.listen import ListenStep


def test_skipping_and_moving_on_without_waiting(built, tmp_path) -> None:
    workspace, store, _ids = built
    for n in range(4):  # six clips to hear: six Listen steps, most not mounted ahead
        chat = tmp_path / f"chat-{n}.txt"
        chat.write_text(f"Customer: where is order {n}?\n\nAgent: let me look.", encoding="utf-8")
        submit_file(store, chat, submitted_by="Ben", channel="chat")
    app = make_app(workspace, store)

    async def run() -> list[str]:
        seen: list[str] = []
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await start_session(pilot)
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            show_step = screen._show_step

            def noting() -> None:  # every step the keys show, however briefly
                show_step()
                if isinstance(screen.step_view, ListenStep):
                    seen.append(screen.step_view.entry.key)

            screen._show_step = noting  # type: ignore[method-assign]
            for keys in ("nn", "kkkbbkknkbbbkk", "bknkbknbbbbkkkk"):
                for key in keys:  # queued at once (pilot.press would wait for each to be handled)
                    app.simulate_key(key)
                await pilot.pause()
                if isinstance(app.screen, ModalScreen):  # "move on with actions undecided?"
                    await pilot.press("y")
                await settle(pilot)
                assert app.is_running  # no widget was asked for before it was there
            assert app.screen is screen
            shown = [v for v in screen.query_one("#step-host").children if v.display]
            assert shown == [screen.step_view]  # one step on show: the agenda's current one
            for _ in range(12):  # back by keys, now drawn, to the last Listen step
                if isinstance(screen.step_view, ListenStep):
                    break
                await pilot.press("b")
                await settle(pilot)
            view = screen.step_view
            assert isinstance(view, ListenStep) and view.display
            assert view.query_one("#listen-player").display and view.data is not None
        return seen

    seen = asyncio.run(run())
    assert len(set(seen)) >= 3  # the keys did go through the Listen steps
    assert app.return_code in (None, 0)
