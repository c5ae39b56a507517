"""Helpers shared by tests: run the real `listen` command, snapshot a workspace's files."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def raw_controls(text: str, *, newlines: bool = True) -> list[str]:
    """Every character in ``text`` a terminal would act on, or that reorders or hides text: C0/C1
    controls (ESC among them), DEL, line/paragraph separators, bidi and zero-width format
    characters, lone surrogates. ``newlines``: a plain \\n is allowed (it ends an output line).
    Written from Unicode categories, not from listen.display's tables."""
    import unicodedata

    found = []
    for char in text:
        if newlines and char == "\n":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Zl", "Zp") or (category == "Cf" and char != "\u00ad"):
            found.append(char)
    return found


def run_probe_with_mounts(mounts: str, probe: str, *args: str | os.PathLike[str]) -> Any:
    """Run the Python ``probe`` (it prints JSON; returned decoded) with ``args``, after the shell
    commands ``mounts``, in a private mount namespace (``unshare --mount``: needs root or user
    namespaces). The test is skipped where the machine does not allow it."""
    import json
    import shlex
    import shutil

    import pytest

    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) for a private mount namespace")
    quoted = " ".join(shlex.quote(str(arg)) for arg in args)
    command = f"{mounts} && exec {shlex.quote(sys.executable)} -c {shlex.quote(probe)} {quoted}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        ["unshare", "--mount", "sh", "-c", command], capture_output=True, text=True, env=env, timeout=600
    )
    if done.returncode != 0 and ("unshare" in done.stderr or "mount" in done.stderr):
        pytest.skip(f"cannot mount in a private namespace here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
