"""Playback through the real path into the PulseAudio null sink; what it plays is captured back
from the sink's monitor with the Recorder, so the tests check the sound, not just the counters."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from listen.audio.decode import decode_audio
from listen.audio.player import Player
from listen.audio.stretch import TimeStretcher
from listen.errors import ListenError
from tests.audio.media import best_match, chirp, dominant_frequency, tone
from tests.audio.pulse import SINK, PulseServer
from tests.audio.test_record import wait_for

RATE = 16000
MATCH = 0.8


class Monitor:
    """``parecord`` on the sink's monitor, in its own process (see the Player docstring: an input
    stream in the same process disturbs PortAudio's output timing)."""

    def __init__(self, pulse: PulseServer, path: Path) -> None:
        self.path = path
        self.process = subprocess.Popen(
            [
                "parecord",
                f"--device={SINK}.monitor",
                f"--rate={RATE}",
                "--channels=1",
                "--format=s16le",
                "--file-format=wav",
                str(path),
            ],
            env=pulse.client_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: path.exists() and path.stat().st_size > 44 + RATE // 5, what="parecord")

    def heard(self, tail: float = 1.0) -> np.ndarray:
        """Everything captured, once ``tail`` more seconds of sink output are in."""
        size = self.path.stat().st_size + int(tail * RATE * 2)
        wait_for(lambda: self.path.stat().st_size >= size, what="the end of playback")
        self.stop()
        return decode_audio(self.path)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def monitor(pulse: PulseServer, tmp_path: Path) -> Iterator[Monitor]:
    """Records what is played into the sink, from before playback until after it."""
    recording = Monitor(pulse, tmp_path / "heard.wav")
    yield recording
    recording.stop()


def loud_seconds(samples: np.ndarray, threshold: float = 0.15) -> float:
    """How long the signal is loud, in 10 ms windows (a tone at 0.5 has RMS 0.35)."""
    windows = samples[: len(samples) // 160 * 160].reshape(-1, 160)
    return float(np.sum(np.sqrt(np.mean(windows**2, axis=1)) > threshold) * 0.01)


def test_plays_the_clip_and_publishes_the_position(pulse: PulseServer, monitor: Monitor) -> None:
    reference = chirp(1.5, RATE)
    pad = np.zeros(RATE // 4, dtype=np.float32)
    positions: list[float] = []
    ended = threading.Event()
    with Player(device="pulse", on_position=positions.append, on_end=ended.set) as player:
        player.load(np.concatenate([pad, reference, pad]))
        assert player.duration == 2.0
        assert player.position == 0.0
        player.play()
        assert player.playing
        assert ended.wait(timeout=30), "on_end is called when the clip has played"
        assert not player.playing
        assert player.position == 2.0
        assert player.error is None
    _, score = best_match(monitor.heard(), reference)
    assert score > MATCH, f"what reached the sink does not match the clip ({score:.2f})"
    assert len(positions) >= 5, "on_position ticks while playing"
    assert positions == sorted(positions)
    assert positions[-1] == 2.0


def test_pause_seek_toggle_and_speed_limits(pulse: PulseServer) -> None:
    with Player(device="pulse") as player:
        player.load(tone(3.0, RATE)[0])
        player.play()
        wait_for(lambda: player.position > 0.3, what="the position to advance")
        player.pause()
        time.sleep(0.5)  # what the device had buffered plays out
        held = player.position
        time.sleep(0.3)
        assert player.position == held, "a paused player stays where it is"
        player.seek(2.0)
        assert player.position == 2.0
        player.seek_by(-5)
        assert player.position == 0.0
        player.seek_by(1.5)
        assert player.position == 1.5
        player.seek_by(100)
        assert player.position == 3.0
        player.seek(1.0)
        player.speed = 5
        assert player.speed == 2.0
        player.speed = 0.1
        assert player.speed == 0.75
        player.speed = 1.25
        player.toggle()
        assert player.playing
        wait_for(lambda: player.position > 1.3, what="playing on from the seek")
        player.toggle()
        assert not player.playing


@pytest.mark.parametrize("speed", [2.0, 0.75])
def test_speed_changes_length_not_pitch(pulse: PulseServer, monitor: Monitor, speed: float) -> None:
    ended = threading.Event()
    with Player(device="pulse", on_end=ended.set) as player:
        player.load(tone(2.4, RATE)[0])  # 440 Hz at 0.5
        player.speed = speed
        player.play()
        assert ended.wait(timeout=30)
    captured = monitor.heard()
    assert loud_seconds(captured) == pytest.approx(2.4 / speed, abs=0.25)
    loud = np.nonzero(np.abs(captured) > 0.2)[0]
    assert dominant_frequency(captured[loud[0] : loud[-1]], RATE) == pytest.approx(440, abs=8), (
        "pitch is kept"
    )


def test_open_readies_the_device_silently_so_play_opens_nothing(pulse: PulseServer, monitor: Monitor) -> None:
    """The app opens the device in a worker; the key press that plays must not open it again."""
    ended = threading.Event()
    with Player(device="pulse", on_end=ended.set) as player:
        player.load(tone(1.0, RATE)[0])
        player.open()
        stream = player._stream
        assert stream is not None and player.device is not None
        time.sleep(0.4)
        assert not player.playing and player.position == 0.0, "an opened player is silent"
        player.play()
        assert player._stream is stream, "play used the stream open() made"
        assert ended.wait(timeout=30)
    assert loud_seconds(monitor.heard()) == pytest.approx(1.0, abs=0.25)


def test_open_reports_a_missing_device_before_anyone_presses_play(pulse: PulseServer) -> None:
    player = Player(device=99)
    player.load(tone(1.0, RATE)[0])
    with pytest.raises(ListenError, match=r"^no output device with index 99"):
        player.open()
    player.close()
    with pytest.raises(ListenError, match="closed"):
        player.open()


def test_loads_a_file(pulse: PulseServer, media) -> None:
    with Player(device="pulse") as player:
        player.load(media("mp3"))
        assert player.duration == pytest.approx(3.0, abs=0.06)
        player.seek(1.0)
        assert player.position == 1.0


def test_output_device_that_does_not_exist(pulse: PulseServer) -> None:
    player = Player(device=99)
    player.load(tone(1.0, RATE)[0])
    with pytest.raises(ListenError, match=r"^no output device with index 99 \(available: .*\d+: pulse"):
        player.play()
    assert not player.playing
    player.close()


def test_no_output_device_at_all() -> None:
    script = textwrap.dedent(
        """
        import numpy as np
        import sounddevice as sd
        from listen.audio.player import Player
        from listen.errors import ListenError
        if any(d["max_output_channels"] for d in sd.query_devices()):
            print("HAS-DEVICES")
        else:
            player = Player()
            player.load(np.zeros(16000, dtype=np.float32))
            try:
                player.play()
            except ListenError as error:
                print(error)
        """
    )
    env = {**os.environ, "PULSE_SERVER": "unix:/nonexistent/socket"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    if done.stdout.strip() == "HAS-DEVICES":
        pytest.skip("this machine has a real output device")
    assert done.stdout == "no output device found (are speakers connected?)\n"


def test_output_device_failing_mid_play_is_reported(own_pulse: PulseServer) -> None:
    """The sound server dies while a clip plays: error + on_error, no exception, no hang."""
    previous = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = own_pulse.server  # the ALSA plugin reads it when it opens
    errors: list[ListenError] = []
    try:
        player = Player(device="pulse", on_error=errors.append)
        player.load(tone(30.0, RATE)[0])
        player.play()
        wait_for(lambda: player.position > 0.3, what="playback to start")
    finally:
        if previous is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = previous
    own_pulse.kill()
    wait_for(lambda: errors, timeout=30, what="on_error")
    assert re.fullmatch(
        r"output device \d+: pulse stopped \(unplugged or its sound server stopped\)", str(errors[0])
    )
    assert player.error is errors[0]
    assert not player.playing
    player.close()


# --------------------------------------------------------------------------- the stretcher


@pytest.mark.parametrize("speed", [0.75, 1.25, 1.5, 2.0])
def test_stretch_keeps_pitch(speed: float) -> None:
    signal = tone(4.0, RATE)[0]
    stretcher = TimeStretcher(signal, RATE)
    out = []
    while not stretcher.finished:
        out.append(stretcher.read(800, speed))
    result = np.concatenate(out)
    length = (np.nonzero(np.abs(result) > 1e-4)[0][-1] + 1) / RATE
    assert length == pytest.approx(4.0 / speed, abs=0.03)
    assert dominant_frequency(result[: int(length * RATE)], RATE) == pytest.approx(440, abs=2)
    assert np.max(np.abs(result)) <= 0.5 + 1e-3


def test_stretch_at_normal_speed_is_the_signal_itself() -> None:
    signal = chirp(2.0, RATE)
    stretcher = TimeStretcher(signal, RATE)
    out = np.concatenate([stretcher.read(700) for _ in range(46)])
    np.testing.assert_array_equal(out[: len(signal)], signal)
    assert not np.any(out[len(signal) :])


def test_changing_speed_while_playing_does_not_click() -> None:
    signal = tone(8.0, RATE)[0]
    stretcher = TimeStretcher(signal, RATE)
    out = np.concatenate([stretcher.read(800, s) for s in [1.0, 1.5, 1.0, 2.0, 0.75] * 8])
    biggest_step_in_the_tone = np.max(np.abs(np.diff(signal)))
    assert np.max(np.abs(np.diff(out))) <= biggest_step_in_the_tone * 1.05


def test_seek_moves_the_stretcher() -> None:
    stretcher = TimeStretcher(chirp(2.0, RATE), RATE)
    stretcher.read(1000, 1.5)
    stretcher.seek(16000)
    assert stretcher.position == 16000
    stretcher.seek(-5)
    assert stretcher.position == 0
    stretcher.seek(10**9)
    assert stretcher.finished
    assert not np.any(stretcher.read(100))
