"""Temp files of writers killed mid-write (SIGKILL) are removed by the next write, under the lock;
`listen doctor` lists the ones it cannot remove. Real processes, real kills, a real workspace."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from helpers import run_listen

from listen.domain import Gap
from listen.store import Store
from listen.store.atomic import is_temp_name, temp_path_for
from listen.workspace import Workspace

# A writer that dies (SIGKILL) in the middle of writing a database file: after the temp file was
# created and written, before it was flushed to disk and renamed over the real file.
KILLED_MID_WRITE = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from listen.domain import Gap, Clip
    from listen.store import Store
    from listen.workspace import Workspace

    def die(fd):
        os.kill(os.getpid(), signal.SIGKILL)
    os.fsync = die
    store = Store(Workspace(Path(sys.argv[1])))
    with store.transaction() as tx:  # three files in one commit: killed before its journal
        tx.put(Gap(id="G-9", category="Tool", title="never saved"))
        tx.put(Clip(id="ab12345678", sha256="ab" * 32, kind="text", title="never saved", source="x.txt",
                    media="", byte_size=1, channel="chat", submitted_by="Ana"))
    """
)


def temps(workspace: Workspace) -> list[str]:
    folders = [workspace.db_dir, workspace.db_dir / "clips"]
    return sorted(
        p.name for folder in folders if folder.is_dir() for p in folder.iterdir() if is_temp_name(p.name)
    )


def kill_a_writer(workspace: Workspace, tmp_path: Path) -> None:
    script = tmp_path / "killed.py"
    script.write_text(KILLED_MID_WRITE)
    result = subprocess.run([sys.executable, str(script), str(workspace.root)], capture_output=True)
    assert result.returncode == -9, result.stderr


def test_the_next_submit_removes_what_a_killed_writer_left(workspace: Workspace, tmp_path: Path) -> None:
    store = Store(workspace)
    store.put(Gap(id="G-1", category="Tool", title="saved"))
    kill_a_writer(workspace, tmp_path)
    left = temps(workspace)
    assert len(left) >= 1 and any(name.startswith(".gaps.json.") for name in left)
    assert not (workspace.db_dir / "journal.json").exists()  # killed before the commit point
    # files that are not ours, or not stale, stay
    foreign = workspace.db_dir / ".notes.tmp"
    foreign.write_text("not a listen temp file")
    fresh = temp_path_for(workspace.db_dir / "sessions.json")
    fresh.write_text("{}")
    later = time.time() + 3600
    os.utime(fresh, (later, later))  # changed after the next writer takes the lock: not judged stale
    (workspace.root / "minutes").mkdir(mode=0o700, exist_ok=True)
    elsewhere = temp_path_for(workspace.root / "minutes" / "report.md")
    elsewhere.write_text("# half")

    note = tmp_path / "note.txt"
    note.write_text("The customer asked twice about the refund.")
    result = run_listen("--workspace", workspace.root, "submit", note, "--by", "Ana")
    assert result.returncode == 0, result.stderr

    assert temps(workspace) == [fresh.name]
    assert foreign.exists() and elsewhere.exists()
    after = Store(workspace)
    assert [gap.id for gap in after.gaps()] == ["G-1"]  # what the killed writer had not committed
    assert [clip.source for clip in after.clips()] == ["note.txt"]


def test_doctor_removes_stale_temps_and_lists_the_ones_it_cannot(
    workspace: Workspace, tmp_path: Path
) -> None:
    Store(workspace).put(Gap(id="G-1", category="Tool", title="saved"))
    kill_a_writer(workspace, tmp_path)
    assert temps(workspace)
    # a leftover that cannot be removed (a folder in its place; root may unlink any file)
    stuck = temp_path_for(workspace.db_dir / "actions.json")
    stuck.mkdir(mode=0o700)
    (stuck / "inside").touch(mode=0o600)

    result = run_listen("--workspace", workspace.root, "doctor")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stdout.splitlines() if str(stuck) in line]
    assert len(lines) == 1 and lines[0].strip().startswith("FAIL") and "cannot be removed" in lines[0]
    assert temps(workspace) == [stuck.name]  # the removable ones are gone


def test_doctor_does_not_judge_temps_while_another_process_writes(workspace: Workspace) -> None:
    store = Store(workspace)
    store.put(Gap(id="G-1", category="Tool", title="saved"))
    live = temp_path_for(workspace.db_dir / "gaps.json")
    with store.transaction() as tx:  # holds the lock: a write in progress
        live.write_text("{}")  # its temp file
        result = run_listen("--workspace", workspace.root, "doctor")
        tx.put(Gap(id="G-2", category="Tool", title="also saved"))
    assert "leftover temp files not checked" in result.stdout
    assert live.exists()
