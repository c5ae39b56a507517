"""`listen transcribe` with one clip document of the wrong shape on disk: that clip is skipped with
one line naming its file and id, the other clips are transcribed, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listen.store import Store
from listen.workspace import Workspace
from tests.helpers import run_listen
from tests.transcribe.speech import JFK, recording, say, write_wav

pytestmark = pytest.mark.slow


def submitted(workspace: Workspace, path: Path) -> str:
    result = run_listen("--workspace", workspace.root, "submit", path, "--by", "Ana")
    assert result.returncode == 0, result.stderr
    return result.stdout.split(" clip ")[1].split()[0]


def break_clip(store: Store, clip_id: str) -> Path:
    """A hand edit that leaves well-formed JSON of the wrong shape: a number given as text."""
    path = store.layout.path_for_table("clips", clip_id)
    data = json.loads(path.read_text())
    data["clips"][clip_id]["byte_size"] = "lots"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("named", [False, True], ids=["queue", "named"])
def test_an_unreadable_clip_is_skipped_with_one_line(
    workspace: Workspace, tmp_path: Path, named: bool
) -> None:
    good = submitted(workspace, recording(JFK).path)
    bad = submitted(workspace, write_wav(tmp_path / "other.wav", say("Please call me back tomorrow.")))
    store = Store(workspace)
    bad_file = break_clip(store, bad)
    bad_bytes = bad_file.read_bytes()

    result = run_listen(
        "--workspace", workspace.root, "transcribe", *([good, bad] if named else []), timeout=300
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if bad in line]
    assert line.startswith(f"listen: {bad_file}: clip {bad} is invalid (") and "byte_size" in line
    assert f"{good}: transcribed" in result.stdout
    clip = store.clip(good)
    assert clip.status == "transcribed" and clip.has_transcript
    assert bad_file.read_bytes() == bad_bytes  # the unreadable document is left as it was
