"""The app on a folder that is not a workspace yet: it opens without creating anything, the first
save makes the workspace and the app says so (issue 10, point 6); a save that fails for lack of
space is a notice in words (point 3)."""

from __future__ import annotations

import asyncio
import resource
from pathlib import Path

from tui.builders import make_app, running, settle

from listen.domain import Transcript
from listen.session import service
from listen.store import Store
from listen.workspace import Workspace


def test_the_first_save_creates_the_workspace_and_says_so(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "new")
    store = Store(workspace)
    app = make_app(workspace, store)

    async def scenario() -> tuple[bool, list[str]]:
        async with running(app) as pilot:
            existed_while_reading = (tmp_path / "new").exists()
            app.save("a session", lambda: service.start_session(store, facilitator="Ana", date="2026-11-30"))
            await settle(pilot)
            return existed_while_reading, [str(n.message) for n in app._notifications]

    existed, notes = asyncio.run(scenario())
    assert not existed  # opening and reading made no folder
    assert workspace.exists()
    assert f"created workspace {workspace.root}" in notes
    assert [s.date for s in Store(workspace).sessions()] == ["2026-11-30"]


def test_a_save_without_space_is_a_notice_and_the_change_is_kept_to_retry(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws").ensure()
    store = Store(workspace)
    app = make_app(workspace, store)
    limit = {"bytes": 100}

    def save_transcript() -> None:
        """A real write through the store while no file may grow past the limit (RLIMIT_FSIZE:
        the write fails with EFBIG as on a full disk; Python ignores SIGXFSZ)."""
        transcript = Transcript(text="Customer: where is my refund? " * 100, segments=[])
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit["bytes"], hard))
        try:
            store.write_transcript("abcdef0123", transcript)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    async def scenario() -> tuple[list[str], bool, list[str]]:
        async with running(app) as pilot:
            app.save("a transcript", save_transcript)
            await settle(pilot)
            failed = [str(n.message) for n in app._notifications]
            saved_while_full = workspace.transcript_path("abcdef0123").exists()
            limit["bytes"] = resource.RLIM_INFINITY  # room again
            await pilot.press("ctrl+r")
            await settle(pilot)
            return failed, saved_while_full, [str(n.message) for n in app._notifications]

    failed, saved_while_full, after = asyncio.run(scenario())
    assert any("not saved: no space left to store it" in note and "ctrl+r" in note for note in failed), failed
    assert not saved_while_full
    assert workspace.transcript_path("abcdef0123").exists()  # the kept change, saved on retry
    assert any("Saving 1 kept change(s) again" in note for note in after)
