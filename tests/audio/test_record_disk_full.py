"""`listen record` when the disk fills up mid-recording (issue 10, point 3): the part that fit is
kept and submitted, the failure is one line, nothing is left behind, exit 1. A file-size limit
(RLIMIT_FSIZE, SIGXFSZ ignored) stands in for the full disk; the sound comes from a real
PulseAudio server (the `pulse` fixture), as in test_record.py."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

from listen.audio.decode import inspect_audio
from listen.store import Store
from listen.workspace import Workspace
from tests.audio.pulse import PulseServer

BYTES_PER_SECOND = 16_000 * 2  # what `listen record` writes: 16 kHz mono int16


def test_a_full_disk_while_recording_keeps_what_fit(pulse: PulseServer, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    limit = 44 + BYTES_PER_SECOND  # about one second of audio fits

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = ["--workspace", str(workspace), "record", "--by", "Ana", "--seconds", "8"]
    done = subprocess.run(
        [sys.executable, "-m", "listen", *command],
        env=pulse.client_env(),
        preexec_fn=limit_files,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    failures = [line for line in done.stderr.splitlines() if not line.startswith("recording from ")]
    assert len(failures) == 1 and "cannot write the recording" in failures[0], done.stderr
    assert "queued for transcription" in done.stdout
    (clip,) = Store(Workspace(workspace)).clips()
    original = workspace / clip.media
    assert 0.5 <= inspect_audio(original).duration <= 1.1
    assert not list((workspace / "clips").glob(".recording-*"))
    assert not [p for p in workspace.rglob("*") if p.name.endswith(".tmp")]
