"""`listen transcribe` as a user runs it: summary and exit codes, no network, crash and Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from listen.store import Store
from listen.transcribe.wer import word_error_rate
from listen.workspace import Workspace
from tests.helpers import REPO, run_listen
from tests.transcribe.speech import AUSTEN, JFK, recording, say, silence, within, write_wav

pytestmark = pytest.mark.slow

NO_NETWORK_SITE = '''
"""Loaded first by the test's Python: any attempt to reach the network fails loudly."""
import os
import socket

_real_socket = socket.socket


class _NoNetworkSocket(_real_socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
            raise OSError("network blocked by the test")
        super().__init__(family, type, proto, fileno)


def _no_lookup(*args, **kwargs):
    raise OSError("network blocked by the test")


socket.socket = _NoNetworkSocket
socket.getaddrinfo = _no_lookup
socket.create_connection = _no_lookup
if os.environ.get("NO_NETWORK_MARK"):
    with open(os.environ["NO_NETWORK_MARK"], "w") as mark:
        mark.write("sockets blocked")
'''


def submit(workspace: Workspace, *paths: Path) -> list[str]:
    result = run_listen("--workspace", workspace.root, "submit", *paths, "--by", "Ana")
    assert result.returncode == 0, result.stderr
    return [line.split(" clip ")[1].split()[0] for line in result.stdout.splitlines()]


def unshare_works() -> bool:
    tool = shutil.which("unshare")
    if tool is None:
        return False
    return subprocess.run([tool, "-n", "true"], capture_output=True).returncode == 0


def offline_run(workspace: Workspace, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`listen ARGS` with every socket blocked, under `unshare -n` too when allowed (root)."""
    site = tmp_path / "offline-site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(NO_NETWORK_SITE, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(REPO)]),
        "HF_HOME": str(tmp_path / "empty-hf-cache"),  # nothing cached to fall back on
        "HF_HUB_OFFLINE": "0",
        "NO_NETWORK_MARK": str(tmp_path / "offline-mark"),
    }
    prefix = ["unshare", "-n"] if unshare_works() else []
    command = [*prefix, sys.executable, "-m", "listen", "--workspace", str(workspace.root), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_transcribe_reports_each_clip_and_fails_with_one_line(workspace: Workspace, tmp_path: Path) -> None:
    good, broken = submit(workspace, recording(JFK).path, write_wav(tmp_path / "b.wav", say("Hi.")))
    media = next((workspace.clip_dir(broken)).glob("original*"))
    media.write_bytes(b"garbage " * 100)
    result = run_listen("--workspace", workspace.root, "transcribe", timeout=300)
    assert result.returncode == 1
    assert f"{good}: transcribed 0:11, 22 words" in result.stdout
    assert "1 transcribed, 1 failed" in result.stdout
    assert "with faster-whisper bundled:tiny.en" in result.stdout
    failures = result.stderr.strip().splitlines()
    assert len(failures) == 1 and failures[0].startswith(f"{broken}: "), result.stderr
    store = Store(workspace)
    assert store.clip(good).status == "transcribed"
    assert store.clip(broken).status == "failed"

    again = run_listen("--workspace", workspace.root, "transcribe")
    assert again.returncode == 0 and "Nothing to transcribe" in again.stdout


def test_unknown_engine_or_id_is_refused(workspace: Workspace) -> None:
    bad_engine = run_listen("--workspace", workspace.root, "transcribe", "--engine", "nope")
    assert bad_engine.returncode == 2 and "invalid choice" in bad_engine.stderr
    missing = run_listen("--workspace", workspace.root, "transcribe", "abcdef")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "abcdef: no such clip"


def test_missing_model_folder_is_one_clear_line(workspace: Workspace, tmp_path: Path) -> None:
    submit(workspace, recording(AUSTEN[1]).path)
    result = run_listen("--workspace", workspace.root, "transcribe", "--model", str(tmp_path / "no-model"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"listen: {tmp_path / 'no-model'}: no such model folder"
    assert Store(workspace).clips()[0].status == "queued"


def test_transcribe_runs_with_the_network_unavailable(workspace: Workspace, tmp_path: Path) -> None:
    (clip_id,) = submit(workspace, recording(JFK).path)
    (workspace.settings_path).write_text('[transcription]\nvocabulary = ["Northwind"]\n', encoding="utf-8")
    result = offline_run(workspace, tmp_path, "transcribe")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "offline-mark").read_text() == "sockets blocked"
    transcript = Store(workspace).transcript(clip_id)
    assert transcript is not None
    assert within("cli offline: jfk", word_error_rate(recording(JFK).reference, transcript.text), 0.10)


def test_a_model_name_without_network_fails_clearly(workspace: Workspace, tmp_path: Path) -> None:
    submit(workspace, recording(AUSTEN[1]).path)
    result = offline_run(workspace, tmp_path, "transcribe", "--model", "base.en")
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line and "model 'base.en' is not on this machine" in line, result.stderr
    assert "--model bundled" in line
    assert Store(workspace).clips()[0].status == "queued"


def long_speech(tmp_path: Path) -> Path:
    parts = []
    for name in (JFK, *AUSTEN):
        parts += [recording(name).audio(), silence(0.5)]
    import numpy as np

    return write_wav(tmp_path / "long.wav", np.concatenate(parts))


def start_transcribe(workspace: Workspace) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "listen", "--workspace", str(workspace.root), "transcribe"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_status(workspace: Workspace, clip_id: str, status: str, process: subprocess.Popen[str]) -> None:
    store = Store(workspace)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if store.clip(clip_id).status == status:
            return
        if process.poll() is not None:
            pytest.fail(f"listen transcribe ended before the clip was {status}: {process.stderr}")
        time.sleep(0.02)
    pytest.fail(f"the clip never became {status}")


def test_a_killed_run_is_completed_by_the_next_one(workspace: Workspace, tmp_path: Path) -> None:
    (clip_id,) = submit(workspace, long_speech(tmp_path))
    process = start_transcribe(workspace)
    try:
        wait_for_status(workspace, clip_id, "transcribing", process)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    store = Store(workspace)
    assert store.clip(clip_id).status == "transcribing"  # left behind by the dead process

    result = run_listen("--workspace", workspace.root, "transcribe", timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"{clip_id}: was left unfinished by an earlier run; queued again" in result.stdout
    clip = store.clip(clip_id)
    assert clip.status == "transcribed" and clip.has_transcript


def test_ctrl_c_puts_the_clip_back_in_the_queue(workspace: Workspace, tmp_path: Path) -> None:
    (clip_id,) = submit(workspace, long_speech(tmp_path))
    process = start_transcribe(workspace)
    try:
        wait_for_status(workspace, clip_id, "transcribing", process)
        time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "interrupted" in err
    clip = Store(workspace).clip(clip_id)
    assert clip.status == "queued" and not clip.has_transcript
