"""Helpers shared by tests: run the real `listen` command, snapshot a workspace's files."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_listen(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "listen", *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def tree_state(root: Path, *, folders: bool = False) -> dict[str, str]:
    """Every file under root with a hash of its bytes: to prove a failed command changed nothing.
    With ``folders``, every folder too (an empty ``clips/<id>/`` left behind is a change)."""
    state = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != ".listen.lock":
            state[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif folders and path.is_dir() and not path.is_symlink():
            state[str(path.relative_to(root)) + "/"] = "folder"
    return state
