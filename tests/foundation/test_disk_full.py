"""A full disk (issue 10, point 3): one line for the file that could not be stored, the other files
still handled, nothing left behind, exit 1. The disk is made "full" for the command alone with a
file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored so a write fails with EFBIG, which listen treats as
ENOSPC and EDQUOT): it needs no root and no mount, and writes fail exactly as on a full disk."""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from helpers import REPO, run_listen, run_probe_with_mounts, tree_state

from listen.store import Store
from listen.workspace import Workspace

SPEECH = REPO / "tests" / "fixtures" / "speech"


def run_with_file_limit(limit: int, *args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    """`listen ARGS` where no file can grow beyond ``limit`` bytes."""

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "listen", *map(str, args)],
        preexec_fn=limit_files,
        capture_output=True,
        text=True,
        timeout=300,
    )


def leftovers(root: Path) -> list[Path]:
    """Temp files and empty folders under clips/ (what a half-done write leaves)."""
    temps = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    empty = [p for p in (root / "clips").rglob("*") if p.is_dir() and not any(p.iterdir())]
    return temps + empty


def test_a_file_that_does_not_fit_is_one_line_and_the_others_are_stored(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first = tmp_path / "first.txt"
    first.write_text("Customer: my order is late\n")
    assert run_listen("--workspace", ws, "submit", "--by", "Ana", first).returncode == 0
    small, big, other = tmp_path / "a.txt", tmp_path / "big.txt", tmp_path / "c.txt"
    small.write_text("Customer: where is my refund?\n")
    big.write_text("Customer: " + "the refund is late again " * 8000 + "\n")  # 200 KB
    other.write_text("Customer: the app logs me out\n")
    before = tree_state(ws, folders=True)

    result = run_with_file_limit(64 * 1024, "--workspace", ws, "submit", "--by", "Ana", small, big, other)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{big}: cannot be stored: no space left"), result.stderr
    assert [line.split(": clip ")[0] for line in result.stdout.splitlines()] == [str(small), str(other)]
    clips = Store(Workspace(ws)).clips()
    assert sorted(clip.source for clip in clips) == ["a.txt", "c.txt", "first.txt"]
    big_id = hashlib.sha256(big.read_bytes()).hexdigest()[:10]
    assert not (ws / "clips" / big_id).exists()
    assert leftovers(ws) == []
    after = tree_state(ws, folders=True)
    new = {key for key in after if key not in before}
    assert all(any(clip.id in key for clip in clips) or key.startswith("db/") for key in new), new


def test_a_workspace_is_not_left_behind_when_nothing_could_be_stored(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Customer: " + "nothing fits here " * 8000 + "\n")
    ws = tmp_path / "ws"
    result = run_with_file_limit(16 * 1024, "--workspace", ws, "submit", "--by", "Ana", big)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "no space left" in result.stderr
    assert "created workspace" not in result.stdout
    assert not ws.exists()


def test_a_transcript_that_cannot_be_written_leaves_the_clip_queued(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    submitted = run_listen("--workspace", ws, "submit", "--by", "Ana", SPEECH / "jfk.flac")
    assert submitted.returncode == 0, submitted.stderr
    (clip,) = Store(Workspace(ws)).clips()
    before = tree_state(ws / "clips", folders=True)
    # the database files of one clip stay under 1 KB; the transcript of its 22 words with their
    # timings is above 1.5 KB
    result = run_with_file_limit(1200, "--workspace", ws, "transcribe")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [f"{clip.id}: the transcript cannot be saved (no space left to store it "
                     "(the disk is full, or a quota or file-size limit was hit)); still queued"]  # fmt: skip
    again = Store(Workspace(ws)).clip(clip.id)
    assert again.status == "queued" and not again.has_transcript
    assert tree_state(ws / "clips", folders=True) == before  # no transcript.json, no temp file
    assert leftovers(ws) == []


TMPFS_PROBE = """
import json, os, subprocess, sys
root, files = sys.argv[1], sys.argv[2:]
ws = os.path.join(root, "ws")
def listen(*args):
    command = [sys.executable, "-m", "listen", "--workspace", ws, *args]
    done = subprocess.run(command, capture_output=True, text=True)
    return [done.returncode, done.stdout, done.stderr]
first = listen("submit", "--by", "Ana", files[0])
before = sorted(os.path.relpath(os.path.join(d, n), ws) for d, ds, fs in os.walk(ws) for n in ds + fs)
full = listen("submit", "--by", "Ana", *files[1:])
after = sorted(os.path.relpath(os.path.join(d, n), ws) for d, ds, fs in os.walk(ws) for n in ds + fs)
clips = json.loads(listen("clips", "--json")[1])
print(json.dumps({"first": first, "full": full, "before": before, "after": after, "clips": clips}))
"""


def test_a_really_full_tmpfs_gives_the_same_line(tmp_path: Path) -> None:
    """The same on a real full file system (ENOSPC): a 1 MB tmpfs in a private mount namespace."""
    first, small, big, other = (tmp_path / name for name in ("first.txt", "a.txt", "big.txt", "c.txt"))
    first.write_text("Customer: my order is late\n")
    small.write_text("Customer: where is my refund?\n")
    big.write_text("Customer: " + "the refund is late again " * 60_000 + "\n")  # 1.5 MB
    other.write_text("Customer: the app logs me out\n")
    mount = tmp_path / "disk"
    mount.mkdir()
    mounts = f"mount -t tmpfs -o size=1m,mode=0700 tmpfs {mount}"
    runs = run_probe_with_mounts(mounts, TMPFS_PROBE, mount, first, small, big, other)
    assert runs["first"][0] == 0, runs["first"]
    code, stdout, stderr = runs["full"]
    assert code == 1 and "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{big}: cannot be stored: no space left"), stderr
    assert [line.split(": clip ")[0] for line in stdout.splitlines()] == [str(small), str(other)]
    assert sorted(clip["source"] for clip in runs["clips"]) == ["a.txt", "c.txt", "first.txt"]
    big_id = hashlib.sha256(big.read_bytes()).hexdigest()[:10]
    new = set(runs["after"]) - set(runs["before"])
    assert not [path for path in new if big_id in path or path.endswith(".tmp")], new
