"""`listen transcribe ID` on a clip already transcribed: refused without --force, in one line that
says how to redo it; the transcript is left as it was."""

from __future__ import annotations

from pathlib import Path

from helpers import run_listen, tree_state

from listen.store import Store
from listen.transcribe.runner import redo_refusal
from listen.workspace import Workspace


def demo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    made = run_listen("demo", "--copy-only", "--workspace", root)
    assert made.returncode == 0, made.stderr
    return root


def test_a_transcribed_clip_is_not_transcribed_again_without_force(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    store = Store(Workspace(root))
    clip = next(c for c in store.clips() if c.kind == "audio" and c.status == "transcribed")
    before = tree_state(root)
    result = run_listen("--workspace", root, "transcribe", clip.id[:8])
    assert result.returncode == 1
    refusals = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(refusals) == 1, result.stderr
    assert refusals[0].startswith(f"{clip.id}: already transcribed")
    assert f"listen transcribe {clip.id} --force" in refusals[0]
    assert tree_state(root) == before  # no model loaded, nothing written


def test_force_lets_a_transcribed_clip_through_and_a_queued_one_needs_nothing(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    store = Store(Workspace(root))
    clip = next(c for c in store.clips() if c.kind == "audio" and c.status == "transcribed")
    assert redo_refusal(clip, force=False) is not None
    assert redo_refusal(clip, force=True) is None  # no corrections in the demo's transcripts
    clip.status = "queued"
    assert redo_refusal(clip, force=False) is None
