"""Which commands may create a workspace, and the read-only ones (issue 10, points 6 and 7).

Only commands that add data make a workspace (and say so); reading commands refuse a folder that is
not one; a workspace on a read-only mount can still be read and exported elsewhere; the bundled demo
(./sessions in the repository, the default workspace there) refuses every write."""

from __future__ import annotations

import importlib.util
import os
import stat
from pathlib import Path

import pytest
from helpers import REPO, run_listen, run_probe_with_mounts, tree_state

from listen.commands.demo import demo_source
from listen.settings import load_settings
from listen.store import Store
from listen.workspace import Workspace

READING = (("clips",), ("show", "abc123"), ("export",), ("report",), ("doctor",), ("transcribe",))


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr and "\x1b" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize("command", READING, ids=lambda c: c[0])
def test_reading_commands_refuse_a_folder_that_is_not_a_workspace(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    missing, plain = tmp_path / "typo", tmp_path / "plain"
    plain.mkdir()
    (plain / "notes.txt").write_text("not a workspace\n")
    for folder in (missing, plain):
        before = tree_state(tmp_path, folders=True)
        result = run_listen("--workspace", folder, *command)
        assert result.returncode == 1, result.stdout
        assert (
            one_line(result.stderr)
            == f"listen: no workspace at {folder} (create one with `listen init {folder}`)"
        )
        assert tree_state(tmp_path, folders=True) == before  # nothing created


def test_adding_commands_create_the_workspace_and_say_so(tmp_path: Path) -> None:
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    ws = tmp_path / "new" / "ws"
    result = run_listen("--workspace", ws, "submit", "--by", "Ana", note)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"created workspace {ws}"
    assert Workspace(ws).exists() and stat.S_IMODE(ws.stat().st_mode) == 0o700
    again = run_listen("--workspace", ws, "submit", "--by", "Ana", note)
    assert "created workspace" not in again.stdout  # said once, when it happened
    assert run_listen("--workspace", ws, "clips").returncode == 0


def test_listen_init_makes_an_empty_workspace_once(tmp_path: Path) -> None:
    ws = tmp_path / "team"
    made = run_listen("init", ws)
    assert (made.returncode, made.stdout.strip()) == (0, f"created workspace {ws}")
    assert sorted(p.name for p in ws.iterdir()) == ["clips", "db", "listen.toml", "minutes"]
    assert load_settings(ws / "listen.toml") == load_settings(tmp_path / "none.toml")  # defaults only
    assert all(stat.S_IMODE(p.stat().st_mode) in (0o600, 0o700) for p in [ws, *ws.rglob("*")])
    listed = run_listen("--workspace", ws, "clips")
    assert (listed.returncode, listed.stdout.strip()) == (0, "no clips")
    before = tree_state(ws, folders=True)
    twice = run_listen("init", ws)
    assert twice.returncode == 0 and "already" in twice.stdout
    assert tree_state(ws, folders=True) == before


READ_ONLY_PROBE = """
import json, subprocess, sys
ws, out = sys.argv[1], sys.argv[2]
runs = {}
for name, args in {
    "clips": ["clips"],
    "show": ["show", sys.argv[3]],
    "to-stdout": ["export", "-o", "-"],
    "elsewhere": ["export", "-o", out],
    "report": ["report", "-o", "-"],
    "in-place": ["export"],
    "submit": ["submit", "--by", "Ana", sys.argv[4]],
}.items():
    command = [sys.executable, "-m", "listen", "--workspace", ws, *args]
    done = subprocess.run(command, capture_output=True, text=True)
    runs[name] = [done.returncode, done.stdout, done.stderr]
print(json.dumps(runs))
"""


def test_a_workspace_on_a_read_only_mount_can_be_read_and_exported_elsewhere(tmp_path: Path) -> None:
    from tests.minutes.minutes_fixture import build_history

    ws = tmp_path / "ws"
    store = Store(Workspace(ws).ensure())
    build_history(store)
    clip_id = store.clips()[0].id
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    before = tree_state(ws, folders=True)
    mount = tmp_path / "mounted"
    mount.mkdir()
    out = tmp_path / "minutes.md"
    mounts = f"mount --bind {ws} {mount} && mount -o remount,ro,bind {mount}"
    runs = run_probe_with_mounts(mounts, READ_ONLY_PROBE, mount, out, clip_id, note)
    for name in ("clips", "show", "to-stdout", "elsewhere", "report"):
        code, stdout, stderr = runs[name]
        assert code == 0 and stdout and stderr == "", (name, stderr)
    assert runs["to-stdout"][1].startswith("# Listening session")
    assert out.read_text(encoding="utf-8").startswith("# Listening session")
    for name in ("in-place", "submit"):  # writing into it: one clear line, exit 1
        code, _stdout, stderr = runs[name]
        line = one_line(stderr)
        assert code == 1 and ("Read-only file system" in line or "not writable" in line), (name, stderr)
    assert "give -o PATH" in runs["in-place"][2]
    assert tree_state(ws, folders=True) == before


# --------------------------------------------------------------------------- the bundled demo


@pytest.fixture
def demo_root() -> Path:
    root = REPO / "sessions"
    if not (root / "db").is_dir():
        pytest.skip("the demo workspace is not built in this checkout")
    return root


def test_the_bundled_demo_refuses_writes_with_a_hint(demo_root: Path, tmp_path: Path) -> None:
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    env = {key: value for key, value in os.environ.items() if key != "LISTEN_WORKSPACE"}
    before = tree_state(demo_root, folders=True)
    writing = (
        ("submit", "--by", "Ana", note),
        ("record", "--by", "Ana", "--seconds", "1"),
        ("transcribe",),
        ("export",),
        ("report",),
        (),  # the app
    )
    for args in writing:
        result = run_listen(*args, cwd=REPO, env=env)  # ./sessions is the default workspace here
        assert result.returncode == 1, args
        line = one_line(result.stderr)
        assert line.startswith(f"listen: {demo_root}: the bundled demo workspace is read-only")
        assert "`listen demo`" in line and "--workspace" in line
    for args in (("clips",), ("export", "-o", "-"), ("report", "-o", tmp_path / "r.md")):
        assert run_listen(*args, cwd=REPO, env=env).returncode == 0, args  # reading it is fine
    assert tree_state(demo_root, folders=True) == before


def test_a_demo_copy_is_writable_and_owner_only(demo_root: Path, tmp_path: Path) -> None:
    assert load_settings(demo_source() / "listen.toml").demo
    copy = tmp_path / "copy"
    done = run_listen("demo", "--copy-only", "--workspace", copy)
    assert done.returncode == 0, done.stderr
    assert not load_settings(copy / "listen.toml").demo
    assert "demo = true" not in (copy / "listen.toml").read_text(encoding="utf-8")
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [copy, *copy.rglob("*")] if p.is_dir()}
    assert modes == {0o700}
    modes = {stat.S_IMODE(p.stat().st_mode) for p in copy.rglob("*") if p.is_file()}
    assert modes == {0o600}
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    result = run_listen("--workspace", copy, "submit", "--by", "Ana", note)
    assert result.returncode == 0, result.stderr


def test_make_demo_writes_the_read_only_mark(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    spec = importlib.util.spec_from_file_location("make_demo", REPO / "tools" / "make_demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    workspace = Workspace(tmp_path / "ws").ensure()
    module.write_settings(workspace)
    assert load_settings(workspace.settings_path).demo
