"""One document of the wrong shape costs only itself: the Inbox, Gaps, Actions and Minutes show
what can be read and a warning names the file and the document (a real workspace, edited by hand
as a user might)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Static
from textual.worker import WorkerFailed
from tui.builders import build_workspace, make_app, running

from listen.tui.widgets.table import ListenTable


def edit_json(path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    return path


def shown(app, key: str) -> tuple[set[str], list[str]]:
    """After pressing ``key``: the table's row keys and the warnings' texts."""

    async def scenario() -> tuple[set[str], list[str]]:
        async with running(app, key):
            table = app.screen.query_one(ListenTable)
            notes = [str(n.message) for n in app._notifications if n.severity == "warning"]
            return {str(row.value) for row in table.rows}, notes

    return asyncio.run(scenario())


def test_the_inbox_lists_the_readable_clips_and_names_the_bad_one(tmp_path: Path) -> None:
    workspace, store, ids = build_workspace(tmp_path / "ws")
    bad = ids["refund-email.txt"]
    path = store.layout.path_for_table("clips", bad)
    edit_json(path, lambda data: data["clips"][bad].__setitem__("byte_size", "lots"))

    rows, notes = shown(make_app(workspace, store), "2")

    assert rows == set(ids.values()) - {bad}
    (note,) = [note for note in notes if bad in note]
    assert note.startswith(f"{path}: clip {bad} is invalid (") and "byte_size" in note


def test_gaps_lists_the_readable_gaps_and_names_the_bad_one(tmp_path: Path) -> None:
    workspace, store, _ids = build_workspace(tmp_path / "ws")
    good = {gap.id for gap in store.gaps()}
    gaps = workspace.db_dir / "gaps.json"
    edit_json(gaps, lambda data: data["gaps"].__setitem__("G-99", {"bogus": 1}))

    rows, notes = shown(make_app(workspace, store), "4")

    assert rows == good and good
    assert any(note.startswith(f"{gaps}: gap G-99 is invalid (") for note in notes), notes


def test_actions_lists_the_readable_actions_and_names_the_bad_one(tmp_path: Path) -> None:
    workspace, store, _ids = build_workspace(tmp_path / "ws")
    good = {action.id for action in store.actions()}
    actions = workspace.db_dir / "actions.json"

    def add_bad(data: dict[str, Any]) -> None:
        first = next(iter(data["actions"].values()))
        data["actions"]["A-99"] = {**first, "id": "A-99", "due": 20261113}  # a number for a date

    edit_json(actions, add_bad)

    rows, notes = shown(make_app(workspace, store), "5")

    assert rows >= good and good and "A-99" not in rows
    assert any(note.startswith(f"{actions}: action A-99 is invalid (") for note in notes), notes


def test_minutes_name_the_session_that_cannot_be_read(tmp_path: Path) -> None:
    """The minutes count recurrence over every session, so a bad one stops them (leaving it out
    would miscount): the screen says which file and session, instead of staying blank."""
    workspace, store, _ids = build_workspace(tmp_path / "ws")
    sessions = workspace.db_dir / "sessions.json"
    edit_json(sessions, lambda data: data["sessions"].__setitem__("2026-01-01", {"bogus": 1}))
    app = make_app(workspace, store)

    async def scenario() -> str:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.press("6")
            for _ in range(50):
                await pilot.pause()
                with contextlib.suppress(WorkerFailed):
                    await app.workers.wait_for_complete()
            return str(app.screen.query_one("#minutes-head", Static).render())

    head = asyncio.run(scenario())
    assert head.startswith(" The minutes cannot be built: ")
    assert str(sessions) in head and "session 2026-01-01 is invalid" in head
