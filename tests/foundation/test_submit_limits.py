"""Unbounded input (issue 10, point 5): a file's size is checked before it is read, MIME nesting is
bounded, and titles, names and notes have a length limit (listen/ingest/limits.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import run_listen, tree_state

from listen.ingest.limits import MAX_NAME_CHARS, MAX_TITLE_CHARS
from listen.store import Store
from listen.workspace import Workspace


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr and "\x1b" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def peak_rss_mb(*args: str | os.PathLike[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run `listen ARGS` from a fresh parent, so the peak memory measured is that command's alone."""
    probe = (
        "import resource, subprocess, sys\n"
        "command = [sys.executable, '-m', 'listen', *sys.argv[1:]]\n"
        "done = subprocess.run(command, capture_output=True, text=True)\n"
        "sys.stderr.write(done.stderr)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *map(str, args)], capture_output=True, text=True, timeout=300
    )
    code, kilobytes = result.stdout.split()
    return subprocess.CompletedProcess(result.args, int(code), "", result.stderr), int(kilobytes) / 1024


def test_a_huge_text_file_is_refused_from_its_size_without_reading_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # 3 GB, sparse: costs no disk
        handle.truncate(3 * 1024**3)
    before = tree_state(workspace.root, folders=True)
    result, peak = peak_rss_mb("--workspace", workspace.root, "submit", "--by", "Ana", huge)
    assert result.returncode == 1
    assert (
        one_line(result.stderr)
        == f"{huge}: too large for a text clip (3,221,225,472 bytes; the limit is 5 MB)"
    )
    assert peak < 200, f"{peak:.0f} MB peak for a refused 3 GB file"  # it was 3.1 GB
    assert tree_state(workspace.root, folders=True) == before


def nested_email(levels: int) -> str:
    body = "Content-Type: text/plain\n\nCustomer: my refund is late\n"
    for level in range(levels):
        boundary = f"b{level}"
        body = (
            f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n--{boundary}\n{body}\n--{boundary}--\n'
        )
    return f"From: c@example.com\nSubject: deep\nMIME-Version: 1.0\n{body}"


def test_deeply_nested_mime_is_refused_in_one_line(workspace: Workspace, tmp_path: Path) -> None:
    deep, fine = tmp_path / "deep.eml", tmp_path / "fine.eml"
    deep.write_text(nested_email(3000))
    fine.write_text(nested_email(5))
    before = tree_state(workspace.root, folders=True)
    result = run_listen("--workspace", workspace.root, "submit", "--by", "Ana", deep)
    assert result.returncode == 1
    assert one_line(result.stderr).startswith(f"{deep}: the e-mail nests too many MIME parts (3,000")
    assert tree_state(workspace.root, folders=True) == before
    assert run_listen("--workspace", workspace.root, "submit", "--by", "Ana", fine).returncode == 0
    (clip,) = Store(workspace).clips()
    assert clip.title == "deep" and "refund is late" in (Store(workspace).transcript(clip.id) or "").text  # type: ignore[union-attr]


def test_typed_fields_over_their_limit_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    before = tree_state(workspace.root, folders=True)
    long_title = "T" * 100_000  # one argument may hold 128 KB
    for args, field in (
        (("--title", long_title, "--by", "Ana"), "--title is 100,000 characters long; the limit is 200"),
        (("--by", "B" * (MAX_NAME_CHARS + 1)), f"--by is {MAX_NAME_CHARS + 1} characters long"),
        (("--by", "Ana", "--note", "N" * 10_001), "--note is 10,001 characters long"),
    ):
        result = run_listen("--workspace", workspace.root, "submit", note, *args)
        assert result.returncode == 2
        assert field in one_line(result.stderr)
        assert tree_state(workspace.root, folders=True) == before


def test_a_long_subject_becomes_a_shortened_title_and_a_huge_one_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.eml"
    huge.write_text(
        f"From: c@example.com\nSubject: {'Refund ' * 150_000}\n\nCustomer: where is it?\n"
    )  # 1 MB
    before = tree_state(workspace.root, folders=True)
    result = run_listen("--workspace", workspace.root, "submit", "--by", "Ana", huge)
    assert result.returncode == 1
    assert (
        one_line(result.stderr)
        == f"{huge}: the e-mail's Subject header is longer than 16 KB (a real one is far shorter)"
    )
    assert tree_state(workspace.root, folders=True) == before

    mail = tmp_path / "long.eml"
    mail.write_text(f"From: c@example.com\nSubject: {'Refund ' * 1000}\n\nCustomer: where is it?\n")
    result = run_listen("--workspace", workspace.root, "submit", "--by", "Ana", mail)
    assert result.returncode == 0, result.stderr
    (clip,) = Store(workspace).clips()
    assert (
        len(clip.title) == MAX_TITLE_CHARS
        and clip.title.startswith("Refund Refund")
        and clip.title.endswith("…")
    )
    assert any("title was shortened" in notice for notice in clip.notices)
