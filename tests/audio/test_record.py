"""Recording through the real path, with no microphone: PulseAudio's null sink monitor is the
default input. ``paplay`` plays a known chirp into the sink while ``listen record`` (the real CLI
in a subprocess) captures it through sounddevice -> PortAudio -> ALSA pulse plugin.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest

from listen.audio.decode import decode_audio, inspect_audio
from listen.audio.record import Recorder
from listen.audio.wavwriter import HEADER_BYTES, WavWriter, repair_wav
from listen.errors import ListenError
from tests.audio.media import best_match, chirp, tone, write_media
from tests.audio.pulse import PulseServer

RATE = 16000
BYTES_PER_SECOND = RATE * 2  # 16 kHz mono int16, what `listen record` writes
MATCH = 0.8  # normalised correlation of the captured chirp with the played one

T = TypeVar("T")


def wait_for(check: Callable[[], T | None], timeout: float = 30.0, what: str = "") -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def listen(workspace: Path, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "listen", "--workspace", str(workspace), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def temp_recording(workspace: Path, at_least_seconds: float) -> Path | None:
    """The temporary recording once it holds ``at_least_seconds`` of audio."""
    for path in (workspace / "clips").glob(".recording-*.wav"):
        if path.stat().st_size >= HEADER_BYTES + at_least_seconds * BYTES_PER_SECOND:
            return path
    return None


@pytest.fixture(scope="module")
def chirp_wav(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    """A 1.5 s chirp with 0.25 s of silence around it, as a WAV paplay can read."""
    signal_ = chirp(1.5, RATE)
    pad = np.zeros(RATE // 4, dtype=np.float32)
    path = tmp_path_factory.mktemp("chirp") / "chirp.wav"
    write_media(path, np.concatenate([pad, signal_, pad]), RATE, "wav_pcm16")
    return path, signal_


# --------------------------------------------------------------------------- the real CLI


def test_listen_record_captures_what_is_played(
    pulse: PulseServer, chirp_wav: tuple[Path, np.ndarray], tmp_path: Path
) -> None:
    played, reference = chirp_wav
    workspace = tmp_path / "ws"
    args = ("record", "--by", "Ana", "--seconds", "6", "--title", "Refund call")
    process = listen(workspace, *args, env=pulse.client_env())
    wait_for(lambda: temp_recording(workspace, 0.3), what="the recording to start")
    assert pulse.play(played).wait(timeout=60) == 0
    out, err = process.communicate(timeout=60)

    assert process.returncode == 0, err
    assert "recorded 6.0 s, queued for transcription (Refund call)" in out
    assert "Traceback" not in err
    assert not list((workspace / "clips").glob(".recording-*")), "the temporary file is removed"
    (original,) = (workspace / "clips").glob("*/original.wav")
    info = inspect_audio(original)
    assert (info.duration, info.sample_rate, info.channels, info.codec) == (
        6.0,
        RATE,
        1,
        "pcm_s16le",
    )
    assert info.notices == ()
    _, score = best_match(decode_audio(original), reference)
    assert score > MATCH, f"captured audio does not match what was played ({score:.2f})"


def test_sigkill_keeps_a_valid_wav_with_what_was_recorded(
    pulse: PulseServer, chirp_wav: tuple[Path, np.ndarray], tmp_path: Path
) -> None:
    played, reference = chirp_wav
    workspace = tmp_path / "ws"
    process = listen(workspace, "record", "--by", "Ana", "--seconds", "120", env=pulse.client_env())
    temp = wait_for(lambda: temp_recording(workspace, 0.3), what="the recording to start")
    assert pulse.play(played).wait(timeout=60) == 0
    size_then = temp.stat().st_size
    wait_for(lambda: temp.stat().st_size >= size_then + 0.5 * BYTES_PER_SECOND, what="0.5 s more")
    written = (temp.stat().st_size - HEADER_BYTES) / BYTES_PER_SECOND
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert temp.exists(), "the recording survives the kill"
    info = inspect_audio(temp)  # valid: neither refused nor 'truncated'
    assert (info.sample_rate, info.channels, info.codec) == (RATE, 1, "pcm_s16le")
    assert info.duration >= written - 0.06  # at most the one block in flight is unstated
    _, score = best_match(decode_audio(temp), reference)
    assert score > MATCH, f"the kept recording lost the chirp ({score:.2f})"

    # the next run repairs the header and points the leftover out
    old = time.time() - 60
    os.utime(temp, (old, old))
    again = listen(workspace, "record", "--by", "Ana", "--seconds", "0.3", env=pulse.client_env())
    _, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert f"{temp}: an unfinished recording (" in err
    assert f"submit it with `listen submit {temp} --by NAME`" in err
    assert inspect_audio(temp).duration == pytest.approx(
        (temp.stat().st_size - HEADER_BYTES) / BYTES_PER_SECOND
    )


def test_ctrl_c_stops_cleanly_and_submits(pulse: PulseServer, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    process = listen(workspace, "record", "--by", "Ana", env=pulse.client_env())
    wait_for(lambda: temp_recording(workspace, 0.5), what="0.5 s of recording")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "queued for transcription" in out
    (original,) = (workspace / "clips").glob("*/original.wav")
    assert inspect_audio(original).duration >= 0.5
    assert not list((workspace / "clips").glob(".recording-*"))


def test_sound_server_dying_mid_recording_is_a_clear_error(own_pulse: PulseServer, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    process = listen(workspace, "record", "--by", "Ana", "--seconds", "60", env=own_pulse.client_env())
    wait_for(lambda: temp_recording(workspace, 0.5), what="0.5 s of recording")
    own_pulse.kill()
    out, err = process.communicate(timeout=60)

    assert process.returncode == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith("recording from ")
    assert lines[1].startswith("listen record: input device ")
    assert "stopped delivering audio (unplugged or its sound server stopped)" in lines[1]
    assert len(lines) == 2, "no PortAudio/ALSA noise and no traceback"
    # nothing lost: what came before the failure became a clip
    assert "queued for transcription" in out
    (original,) = (workspace / "clips").glob("*/original.wav")
    assert inspect_audio(original).duration >= 0.5


# --------------------------------------------------------------------------- clear failures


def _input_devices_without_pulse() -> int:
    probe = "import sounddevice as sd; print(sum(d['max_input_channels'] > 0 for d in sd.query_devices()))"
    env = {**os.environ, "PULSE_SERVER": "unix:/nonexistent/socket"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    return int(done.stdout.strip() or 0)


def test_no_input_device(tmp_path: Path) -> None:
    if _input_devices_without_pulse():
        pytest.skip("this machine has a real input device, so 'no input device' cannot happen")
    workspace = tmp_path / "ws"
    env = {**os.environ, "PULSE_SERVER": "unix:/nonexistent/socket"}
    process = listen(workspace, "record", "--by", "Ana", "--seconds", "1", env=env)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err == "listen: no input device found (is a microphone connected?)\n"
    assert not list((workspace / "clips").iterdir())


@pytest.mark.parametrize(
    ("device", "expected"),
    [
        ("99", "listen: no input device with index 99 (available: "),
        ("nosuchmic", "listen: no input device matches 'nosuchmic' (available: "),
    ],
)
def test_device_that_does_not_exist(pulse: PulseServer, tmp_path: Path, device: str, expected: str) -> None:
    workspace = tmp_path / "ws"
    args = ("record", "--by", "Ana", "--seconds", "1", "--device", device)
    process = listen(workspace, *args, env=pulse.client_env())
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.startswith(expected)
    assert ": pulse" in err and err.endswith(")\n") and err.count("\n") == 1
    assert not list((workspace / "clips").iterdir())


def test_portaudio_missing_is_one_clear_line(tmp_path: Path) -> None:
    """Hide libportaudio in a private mount namespace (no mock: the real import fails)."""
    libraries = glob.glob("/usr/lib/*/libportaudio.so.2") + glob.glob("/usr/lib/libportaudio.so.2")
    if shutil.which("unshare") is None or not libraries:
        pytest.skip("needs unshare(1) and libportaudio.so.2 under /usr/lib")
    library = Path(libraries[0])
    real = library.resolve()
    command = (
        f"mount --bind /dev/null {real} && exec {sys.executable} -m listen "
        f"--workspace {tmp_path / 'ws'} record --by Ana --seconds 1"
    )
    done = subprocess.run(
        ["unshare", "--mount", "sh", "-c", command], capture_output=True, text=True, timeout=60
    )
    if "unshare failed" in done.stderr or "mount:" in done.stderr:
        pytest.skip(f"cannot make a private mount namespace here: {done.stderr.strip()}")
    assert done.returncode == 1
    assert done.stderr == (
        "listen: PortAudio library not found: install libportaudio2 (apt install libportaudio2)\n"
    )


# --------------------------------------------------------------------------- Recorder itself


def test_recorder_pause_resume_level_and_limit(pulse: PulseServer, tmp_path: Path) -> None:
    loud = tmp_path / "tone.wav"
    write_media(loud, tone(4.0, RATE), RATE, "wav_pcm16")
    recorder = Recorder(tmp_path / "take.wav", device="pulse", max_seconds=1.5)
    assert recorder.state == "idle"
    recorder.start()
    assert recorder.state == "recording"
    assert (recorder.sample_rate, recorder.channels) == (RATE, 1)
    player = pulse.play(loud)
    wait_for(lambda: recorder.level.rms > 0.2, what="the level meter to see the tone")
    assert 0.2 < recorder.level.rms <= recorder.level.peak <= 1.0
    assert -14 < recorder.level.dbfs < 0
    wait_for(lambda: recorder.elapsed >= 0.5, what="0.5 s of recording")
    recorder.pause()
    assert recorder.state == "paused"
    paused_at = recorder.elapsed
    time.sleep(0.6)
    assert recorder.elapsed - paused_at <= 0.1  # at most the blocks already queued
    assert recorder.level.rms > 0  # the meter keeps working while paused
    recorder.resume()
    assert recorder.wait(timeout=30), "the limit stops the recording by itself"
    player.terminate()
    player.wait(timeout=30)
    assert recorder.state == "stopped"
    assert recorder.error is None
    assert recorder.elapsed == 1.5
    assert recorder.stop() == tmp_path / "take.wav"  # stop after the limit: harmless
    assert inspect_audio(tmp_path / "take.wav").duration == 1.5


def test_recorder_refuses_to_overwrite(pulse: PulseServer, tmp_path: Path) -> None:
    path = tmp_path / "take.wav"
    path.write_bytes(b"precious")
    with pytest.raises(ListenError, match="cannot create the recording"):
        Recorder(path, device="pulse").start()
    assert path.read_bytes() == b"precious"


# --------------------------------------------------------------------------- the WAV writer


def test_wav_is_valid_after_every_write(tmp_path: Path) -> None:
    path = tmp_path / "live.wav"
    samples = (tone(1.0, RATE)[0] * 32767).astype("<i2")
    writer = WavWriter(path, rate=RATE, channels=1)
    for k in range(4):
        writer.write(samples[k * 4000 : (k + 1) * 4000].tobytes())
        info = inspect_audio(path)  # read while still open, as after a crash
        assert info.duration == pytest.approx((k + 1) * 0.25)
        assert info.notices == ()
    writer.close()
    np.testing.assert_allclose(decode_audio(path), samples / 32768.0, atol=1e-4)


def test_repair_folds_in_data_the_header_does_not_state(tmp_path: Path) -> None:
    path = tmp_path / "crashed.wav"
    with WavWriter(path, rate=RATE, channels=1) as writer:
        writer.write(b"\x01\x00" * 8000)
    with open(path, "ab") as handle:  # a block written, then killed before the header update
        handle.write(b"\x02\x00" * 1600 + b"\x03")  # and half a sample
    assert inspect_audio(path).duration == 0.5
    assert repair_wav(path) == pytest.approx(0.6)
    assert inspect_audio(path).duration == pytest.approx(0.6)
    assert inspect_audio(path).notices == ()
    assert repair_wav(tmp_path / "crashed.wav") == pytest.approx(0.6)  # idempotent
    text = tmp_path / "notes.wav"
    text.write_text("not a wav at all, but long enough to hold a header of 44 bytes")
    assert repair_wav(text) is None
