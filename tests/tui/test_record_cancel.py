"""Cancel in the record panel at any moment, including while the microphone is still opening:
the device is stopped, no thread is left recording and no partial file is left behind. Without
a microphone the panel offers only what can be done.

MOCKED: only the physical microphone (a CI machine has none). ``SlowMicrophone`` stands in for
the sounddevice module (PortAudio): one input device whose stream takes a second to start and
then delivers silence. Everything else is real: the Recorder, its writer thread, the WAV file in
the workspace, the app and its workers.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from tui.builders import make_app, running, settle

from listen.audio import devices, record
from listen.tui.screens.record import RecordModal

OPEN_SECONDS = 1.0


class PortAudioError(Exception):
    pass


class SlowStream:
    """An input stream whose start takes OPEN_SECONDS (as PulseAudio can), then a block of
    silence every 50 ms from its own thread, like PortAudio's callback thread."""

    started = threading.Event()  # the test waits for the device to be opening

    def __init__(
        self,
        *,
        samplerate: int,
        channels: int,
        blocksize: int,
        callback: Any,
        finished_callback: Any,
        **_: Any,
    ) -> None:
        self.rate, self.channels, self.blocksize = samplerate, channels, blocksize
        self.callback, self.finished_callback = callback, finished_callback
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        SlowStream.started.set()
        time.sleep(OPEN_SECONDS)  # the device takes its time to open
        self._thread = threading.Thread(target=self._feed, name="fake-portaudio", daemon=True)
        self._thread.start()

    def _feed(self) -> None:
        block = np.zeros((self.blocksize, self.channels), dtype=np.int16)
        status = SimpleNamespace(input_overflow=False)
        while not self._stop.wait(0.05):
            self.callback(block, self.blocksize, None, status)
        self.finished_callback()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    abort = stop

    def close(self) -> None:
        self.stop()


def slow_microphone() -> SimpleNamespace:
    entry = {
        "index": 0,
        "name": "Slow USB microphone",
        "max_input_channels": 1,
        "max_output_channels": 0,
        "default_samplerate": 16000.0,
    }
    return SimpleNamespace(
        PortAudioError=PortAudioError,
        InputStream=SlowStream,
        query_devices=lambda kind=None: entry if kind else [entry],
        default=SimpleNamespace(device=(0, -1)),
        check_input_settings=lambda **_: None,
    )


def no_microphone() -> SimpleNamespace:
    return SimpleNamespace(
        PortAudioError=PortAudioError,
        query_devices=lambda kind=None: {} if kind else [],
        default=SimpleNamespace(device=(-1, -1)),
    )


def recording_files(clips_dir: Path) -> list[Path]:
    return sorted(clips_dir.glob(".recording-*")) if clips_dir.exists() else []


def recorder_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name in ("listen-recorder", "fake-portaudio")]


@pytest.fixture
def microphone(monkeypatch: pytest.MonkeyPatch):
    def use(fake: SimpleNamespace) -> None:
        monkeypatch.setattr(devices, "sounddevice_module", lambda: fake)
        monkeypatch.setattr(record, "sounddevice_module", lambda: fake)

    SlowStream.started.clear()
    return use


def test_cancel_while_the_microphone_opens_leaves_no_thread_and_no_file(built, microphone) -> None:
    workspace, store, _ids = built
    microphone(slow_microphone())
    app = make_app(workspace, store)

    async def scenario() -> dict[str, Any]:
        async with running(app, "2") as pilot:
            await pilot.press("r")
            await pilot.pause()
            panel = app.screen
            assert isinstance(panel, RecordModal)
            opening = await asyncio.to_thread(SlowStream.started.wait, 5.0)
            buttons = [b.id for b in panel.query("Button") if b.display]
            during_open = {"file": bool(recording_files(workspace.clips_dir)), "buttons": buttons}
            await pilot.press("escape")  # while the device is still opening
            await settle(pilot)
            dismissed = not isinstance(app.screen, RecordModal)
            await app.workers.wait_for_complete()  # the opener runs to its end and cleans up
            await settle(pilot)
            return {"opening": opening, "during": during_open, "dismissed": dismissed}

    result = asyncio.run(scenario())
    assert result["opening"]
    assert result["during"]["file"], "the test must cancel while the file exists (the worst moment)"
    assert result["during"]["buttons"] == ["cancel"]  # nothing to pause or keep yet
    assert result["dismissed"]
    assert recorder_threads() == []
    assert recording_files(workspace.clips_dir) == []
    assert [c for c in store.clips() if c.kind == "audio"] == []


def test_cancel_after_recording_started_removes_the_file(built, microphone) -> None:
    workspace, store, _ids = built
    microphone(slow_microphone())
    app = make_app(workspace, store)

    async def scenario() -> tuple[list[str | None], bool]:
        async with running(app, "2") as pilot:
            await pilot.press("r")
            panel = app.screen
            assert isinstance(panel, RecordModal)
            for _ in range(200):  # until the microphone records
                if panel.recorder is not None and panel.recorder.elapsed > 0:
                    break
                await pilot.pause(0.05)
            buttons = [b.id for b in panel.query("Button") if b.display]
            had_file = bool(recording_files(workspace.clips_dir))
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await settle(pilot)
            return buttons, had_file

    buttons, had_file = asyncio.run(scenario())
    assert buttons == ["pause", "stop", "cancel"]
    assert had_file
    assert recorder_threads() == []
    assert recording_files(workspace.clips_dir) == []


def test_without_a_microphone_the_panel_offers_only_to_close(built, microphone) -> None:
    workspace, store, _ids = built
    microphone(no_microphone())
    app = make_app(workspace, store)

    async def scenario() -> tuple[list[str], str, str]:
        async with running(app, "2", "r") as pilot:
            panel = app.screen
            assert isinstance(panel, RecordModal)
            buttons = [str(b.label) for b in panel.query("Button") if b.display]
            buttons += [w.id for w in panel.query("#meter, #record-time") if w.display]
            state = str(panel.query_one("#record-state").render())
            await pilot.press("s")  # no recorder: 's' does nothing
            await settle(pilot)
            still = type(app.screen).__name__
            return buttons, state, still

    buttons, state, still = asyncio.run(scenario())
    assert buttons == ["Close"]
    assert "Cannot record" in state and "no input device" in state
    assert still == "RecordModal"
    assert recording_files(workspace.clips_dir) == []
