"""The record panel records from a real input device (a private PulseAudio daemon whose default
source hears what is played into its null sink), shows the level, and the recording becomes a clip.
Runs in a fresh interpreter: PortAudio must first start with PULSE_SERVER pointing at the daemon."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import asyncio, json, sys
from pathlib import Path
from tui.builders import build_workspace, make_app, settle

async def main():
    workspace, store, _ = build_workspace(Path(sys.argv[1]))
    app = make_app(workspace, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2", "r")
        panel = app.screen
        seen_level = -120.0
        for _ in range(400):  # until a second of audio is in the file
            await pilot.pause(0.05)
            recorder = panel.recorder
            if recorder is not None:
                seen_level = max(seen_level, recorder.level.dbfs)
                if recorder.elapsed >= 1.0:
                    break
        meter = panel.query_one("LevelMeter").dbfs
        await pilot.press("s")
        await settle(pilot)
        form = type(app.screen).__name__
        await pilot.press(*"Ben", "enter", *"Recorded call", "ctrl+s")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
    clips = [c for c in store.clips() if c.kind == "audio"]
    print(json.dumps({"form": form, "clips": [(c.title, c.submitted_by, c.duration) for c in clips],
                      "meter": meter, "level": seen_level, "notes": notes}))

asyncio.run(main())
"""


def test_recording_a_clip_from_the_inbox(tmp_path: Path) -> None:
    from audio.pulse import PulseUnavailable, start_pulse

    try:
        pulse = start_pulse(tmp_path / "pulse")
    except PulseUnavailable as why:
        pytest.skip(f"PulseAudio cannot run here: {why}")
    try:
        tone = tmp_path / "tone.wav"
        write_tone(tone, seconds=20.0)
        player = pulse.play(tone)  # what the "microphone" hears
        env = {**pulse.client_env(), "PYTHONPATH": str(TESTS)}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(tmp_path / "ws")],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        player.kill()
    finally:
        pulse.stop()
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["form"] == "RepViewForm", result
    [(title, by, duration)] = result["clips"]
    assert (title, by) == ("Recorded call", "Ben")
    assert duration >= 1.0
    assert result["level"] > -60.0  # the meter saw sound, not silence
    assert any("1 clip(s) added" in n for n in result["notes"]), result["notes"]


def write_tone(path: Path, seconds: float, rate: int = 16000) -> None:
    import math
    import struct
    import wave

    frames = b"".join(
        struct.pack("<h", int(9000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
