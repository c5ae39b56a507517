"""The watcher's signatures: another process's writes are named by table, the app's own writes
are not reported again (not even two in a row), and an outside write the app then writes over
is still reported. Real store, real files; a second Store stands for another process (it has
its own record of what it wrote, as a second process would)."""

from __future__ import annotations

from pathlib import Path

from listen.ingest.submit import submit_file
from listen.session import service
from listen.store import Store
from listen.tui.watcher import WorkspaceSignatures


def test_the_apps_own_writes_are_not_reported(built, tmp_path: Path) -> None:
    workspace, store, ids = built
    signatures = WorkspaceSignatures(workspace, store.committed)
    session = service.start_session(store, facilitator="Ana", clip_ids=[ids["warranty-email.txt"]])
    service.add_note(store, session.id, "first")  # two writes of sessions.json before a look
    service.add_note(store, session.id, "second")
    path = tmp_path / "note.txt"
    path.write_text("Customer: hello", encoding="utf-8")
    submit_file(store, path, submitted_by="Ana")
    assert signatures.changes() == frozenset()


def test_other_writers_are_reported_by_table(built, tmp_path: Path) -> None:
    workspace, store, ids = built
    signatures = WorkspaceSignatures(workspace, store.committed)
    other = Store(workspace)
    path = tmp_path / "chat.txt"
    path.write_text("Customer: where is it?", encoding="utf-8")
    submit_file(other, path, submitted_by="Sam")
    assert signatures.changes() == frozenset({"clips"})
    assert signatures.changes() == frozenset()  # said once

    session = service.start_session(other, facilitator="Ana", clip_ids=[ids["warranty-email.txt"]])
    assert "sessions" in signatures.changes()

    service.tag_new_gap(other, session_id=session.id, clip_id=None, category="Tool", title="A new gap")
    assert "gaps" in signatures.changes()

    workspace.settings_path.write_text(
        workspace.settings_path.read_text(encoding="utf-8") + "\nredact = false\n", encoding="utf-8"
    )
    assert signatures.changes() == frozenset({"settings"})


def test_an_outside_write_the_app_then_writes_over_is_still_reported(built) -> None:
    workspace, store, ids = built
    signatures = WorkspaceSignatures(workspace, store.committed)
    session = service.start_session(store, facilitator="Ana", clip_ids=[ids["warranty-email.txt"]])
    assert signatures.changes() == frozenset()
    service.add_attendee(Store(workspace), session.id, "Dev", "")  # another window
    service.add_note(store, session.id, "ours, written over theirs")  # before the watcher looks
    assert signatures.changes() == frozenset({"sessions"})
