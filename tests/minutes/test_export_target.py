"""`export`/`report -o PATH` never replaces what it must not (issue 10, point 2): the workspace's own
data, devices, sockets, folders, or a file no export wrote (without --force); it writes through a
FIFO or a terminal, keeps a replaced file's mode, and handles names as long as NAME_MAX allows."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import run_listen, tree_state

from listen.minutes.paths import EXPORT_MARK
from listen.store import Store
from listen.workspace import Workspace

MAIN = "2026-11-23"


def export(workspace: Workspace, *args: str | Path) -> tuple[int, str, str]:
    result = run_listen("--workspace", workspace.root, "export", MAIN, *args)
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr + result.stdout
    return result.returncode, result.stdout, result.stderr


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_paths_inside_the_database_or_clips_are_refused(
    history: Store, workspace: Workspace, tmp_path: Path
) -> None:
    link = tmp_path / "innocent.md"
    link.symlink_to(workspace.db_dir / "sessions.json")  # a symlink does not get round it
    (workspace.clips_dir / "c1").mkdir()
    before = tree_state(workspace.root, folders=True)
    for target in (
        workspace.db_dir / "sessions.json",
        workspace.db_dir / "new.md",
        workspace.clips_dir / "c1" / "original.txt",
        workspace.root / "minutes" / ".." / "db" / "meta.json",
        workspace.settings_path,
        link,
    ):
        code, out, err = export(workspace, "-o", target, "--force")  # not even with --force
        assert code == 1 and out == "", target
        assert one_line(err).startswith(f"listen: {target}: ")
        assert tree_state(workspace.root, folders=True) == before
    assert link.is_symlink()


def test_special_files_are_written_through_or_refused(
    history: Store, workspace: Workspace, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _out, err = export(workspace, "-o", fifo)
    reader.join(timeout=60)
    assert code == 0, err
    assert received and received[0].startswith(f"# Listening session — {MAIN}".encode())
    assert EXPORT_MARK.encode() not in received[0]  # the mark is for files an export may replace
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a FIFO, not a regular file

    code, _out, err = export(workspace, "-o", "/dev/null")
    assert code == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)

    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    folder = tmp_path / "folder"
    folder.mkdir()
    refused = [
        (sock_path, "is a socket"),
        (folder, "is a folder"),
        (Path("/dev/zero"), "is a device"),
        (Path("/dev/stdin"), "standard input"),
    ]
    for target, reason in refused:
        code, _out, err = export(workspace, "-o", target)
        assert code == 1 and reason in one_line(err), (target, err)
    server.close()
    assert stat.S_ISSOCK(sock_path.lstat().st_mode) and folder.is_dir() and not any(folder.iterdir())
    assert stat.S_ISCHR(os.stat("/dev/zero").st_mode)


def test_dev_stdout_writes_to_the_output(history: Store, workspace: Workspace, tmp_path: Path) -> None:
    redirected = tmp_path / "redirected.md"
    with redirected.open("w") as handle:
        command = ["--workspace", str(workspace.root), "export", MAIN, "-o", "/dev/stdout"]
        result = subprocess.run(
            [sys.executable, "-m", "listen", *command], stdout=handle, stderr=subprocess.PIPE, text=True
        )
    assert result.returncode == 0, result.stderr
    text = redirected.read_text(encoding="utf-8")
    assert text.startswith(f"# Listening session — {MAIN}") and "/dev/stdout" not in text


def test_an_existing_file_is_replaced_only_when_an_export_wrote_it(
    history: Store, workspace: Workspace, tmp_path: Path
) -> None:
    own = tmp_path / "notes.md"
    own.write_text("my own notes, not minutes\n")
    code, _out, err = export(workspace, "-o", own)
    assert code == 1 and "--force" in one_line(err)
    assert own.read_text() == "my own notes, not minutes\n"

    target = tmp_path / "minutes.md"
    assert export(workspace, "-o", target)[0] == 0
    assert EXPORT_MARK in target.read_text(encoding="utf-8")
    target.chmod(0o664)
    alias = tmp_path / "alias.md"
    os.link(target, alias)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert export(workspace, "-o", link, "--no-redact")[0] == 0  # a previous export: replaced
    assert link.is_symlink() and link.resolve() == target  # the link still points to it
    assert stat.S_IMODE(target.stat().st_mode) == 0o664  # its mode is kept
    assert "4111" in target.read_text(encoding="utf-8")  # the new content (not redacted)
    assert "4111" not in alias.read_text(encoding="utf-8")  # a hard link keeps the old (documented)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    code, _out, err = export(workspace, "-o", own, "--force")
    assert code == 0, err
    assert own.read_text(encoding="utf-8").startswith("# Listening session")


def test_a_name_as_long_as_the_file_system_allows(
    history: Store, workspace: Workspace, tmp_path: Path
) -> None:
    name_max = os.pathconf(tmp_path, "PC_NAME_MAX")
    long_name = tmp_path / ("m" * (name_max - 3) + ".md")
    code, _out, err = export(workspace, "-o", long_name)
    assert code == 0, err
    assert long_name.read_text(encoding="utf-8").startswith("# Listening session")
    assert export(workspace, "-o", long_name)[0] == 0  # and replaced again (a previous export)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "ws") == [long_name.name]


def test_report_follows_the_same_rules(history: Store, workspace: Workspace, tmp_path: Path) -> None:
    before = tree_state(workspace.root)
    result = run_listen("--workspace", workspace.root, "report", "-o", workspace.db_dir / "gaps.json")
    assert result.returncode == 1 and "db/" in one_line(result.stderr)
    assert tree_state(workspace.root) == before
    own = tmp_path / "mine.md"
    own.write_text("mine\n")
    result = run_listen("--workspace", workspace.root, "report", "-o", own)
    assert result.returncode == 1 and "--force" in one_line(result.stderr)
    assert own.read_text() == "mine\n"


@pytest.mark.skipif(not os.isatty(0) and not Path("/dev/ptmx").exists(), reason="no pseudo-terminals")
def test_a_terminal_is_written_to(history: Store, workspace: Workspace) -> None:
    master, slave = os.openpty()
    try:
        code, _out, err = export(workspace, "-o", os.ttyname(slave))
        assert code == 0, err
        assert b"Listening session" in os.read(master, 4096)
    finally:
        os.close(master)
        os.close(slave)
