"""The app and a second process on one workspace: the rules hold in the transaction that writes,
so what the app checked a moment ago cannot let a second open session through. Also: reopening a
closed session from the Minutes screen, with a confirmation."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from tui.builders import LAST_WEEK, make_app, settle

from listen.store import Store
from listen.tui.screens.modals import ConfirmModal
from listen.tui.screens.session import SessionScreen
from tests.helpers import REPO

START_ELSEWHERE = """
import sys
from listen.session import service
from listen.store import Store
from listen.workspace import resolve_workspace
store = Store(resolve_workspace(sys.argv[1]))
print(service.start_session(store, facilitator="Ben", date="2026-11-23").id)
"""


def start_elsewhere(workspace) -> None:
    """Another process (a second app, a script) starts this week's session."""
    other = subprocess.run(
        [sys.executable, "-c", START_ELSEWHERE, str(workspace.root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 0, other.stderr


def test_a_session_started_by_another_process_while_the_app_sets_one_up(built) -> None:
    workspace, store, _ids = built
    app = make_app(workspace, store)

    async def scenario() -> list[str]:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("s")  # the setup dialog: the app saw no open session
            await settle(pilot)
            start_elsewhere(workspace)
            await pilot.press(*"Ana", "ctrl+s")  # start: refused in the transaction
            await settle(pilot)
            assert not isinstance(app.screen, SessionScreen)
            return [str(n.message) for n in app._notifications]

    notes = asyncio.run(scenario())
    assert any("session 2026-11-23 is still open (started by Ben" in note for note in notes), notes
    sessions = Store(workspace).sessions()
    assert [(s.id, s.status, s.facilitator) for s in sessions if s.status == "open"] == [
        ("2026-11-23", "open", "Ben")
    ]


def test_reopen_a_closed_session_from_the_minutes_screen(built) -> None:
    workspace, store, _ids = built
    assert store.minutes_record(LAST_WEEK) is not None
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("6")
            await settle(pilot)
            await pilot.press("R")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmModal)
            await pilot.press("n")  # cancelled: nothing changes
            await settle(pilot)
            assert Store(workspace).session(LAST_WEEK).status == "closed"
            await pilot.press("R")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, SessionScreen) and app.session_id == LAST_WEEK

    asyncio.run(scenario())
    fresh = Store(workspace)
    assert fresh.session(LAST_WEEK).status == "open"
    assert fresh.minutes_record(LAST_WEEK) is None


def test_starting_after_another_process_started_resumes_it(built) -> None:
    """The usual case: the session already open elsewhere is offered for resume, not a new one."""
    workspace, store, _ids = built
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            start_elsewhere(workspace)
            await pilot.press("s")  # start: the app finds the open session and offers to resume it
            await settle(pilot)
            # The live workspace may see the session first and offer the resume before the key
            # lands (then it asks), or the key may come first (then it resumes): either way, no
            # second session.
            if isinstance(app.screen, ConfirmModal):
                await pilot.press("y")
                await settle(pilot)
            assert isinstance(app.screen, SessionScreen) and app.session_id == "2026-11-23"

    asyncio.run(scenario())
    assert [s.id for s in Store(workspace).sessions() if s.status == "open"] == ["2026-11-23"]
