"""`listen demo` opens a copy of the bundled demo workspace; the original never changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_listen, tree_state

from listen.commands.demo import copy_demo, demo_source
from listen.errors import ListenError
from listen.session import service
from listen.store import Store
from listen.workspace import Workspace


def test_the_copy_is_a_working_workspace_and_the_original_is_untouched(built, tmp_path: Path) -> None:
    workspace, _store, _ids = built
    before = tree_state(workspace.root)
    copy = copy_demo(workspace.root, tmp_path / "copy" / "sessions")
    store = Store(Workspace(copy))
    session = service.start_session(store, facilitator="Ana", date="2026-11-30")
    assert [s.id for s in store.sessions()] == ["2026-11-16", session.id]
    assert tree_state(workspace.root) == before
    with pytest.raises(ListenError, match="already exists"):
        copy_demo(workspace.root, copy)


def test_listen_demo_copy_only_prints_where_the_copy_is(tmp_path: Path) -> None:
    try:
        source = demo_source()
    except ListenError:
        pytest.skip("no demo workspace bundled in this checkout")
    before = tree_state(source)
    target = tmp_path / "demo"
    done = run_listen("demo", "--copy-only", "--workspace", target)
    assert done.returncode == 0, done.stderr
    assert str(target) in done.stdout
    assert (target / "db" / "sessions.json").exists()
    assert tree_state(source) == before
