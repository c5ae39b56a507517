"""Fixtures for the audio tests: real media files made with PyAV, once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.audio.media import KINDS, tone, write_media
from tests.audio.pulse import PulseServer, PulseUnavailable, start_pulse

SOURCE_RATE = 44100
SECONDS = 3.0


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One 3-second stereo file per kind (440 Hz left, 880 Hz right) in a session temp dir."""
    folder = tmp_path_factory.mktemp("media")
    signal = tone(SECONDS, SOURCE_RATE, channels=2)
    for key, kind in KINDS.items():
        write_media(folder / f"{key}{kind.suffix}", signal, SOURCE_RATE, kind)
    return folder


@pytest.fixture
def media(media_dir: Path):
    """Path of the generated file of one kind: ``media("mp3")``."""

    def get(key: str) -> Path:
        return media_dir / f"{key}{KINDS[key].suffix}"

    return get


# --------------------------------------------------------------------------- PulseAudio

REQUIRE_AUDIO_ENV = "LISTEN_REQUIRE_AUDIO"  # set to 1 on CI: a missing PulseAudio fails, not skips


def _unavailable(reason: str) -> None:
    message = f"PulseAudio cannot run here: {reason}"
    if os.environ.get(REQUIRE_AUDIO_ENV) == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _refresh_portaudio() -> None:
    """PortAudio lists devices once, when loaded: re-scan now that the sound server changed."""
    import sys

    sd = sys.modules.get("sounddevice")
    if sd is not None:
        sd._terminate()
        sd._initialize()


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    """A PulseAudio daemon for the whole session; this process and its children use it."""
    try:
        server = start_pulse(tmp_path_factory.mktemp("pulse"))
    except PulseUnavailable as error:
        _unavailable(str(error))
    previous = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = server.server
    _refresh_portaudio()
    yield server
    server.stop()
    if previous is None:
        os.environ.pop("PULSE_SERVER", None)
    else:
        os.environ["PULSE_SERVER"] = previous
    _refresh_portaudio()


@pytest.fixture
def own_pulse(tmp_path: Path) -> Iterator[PulseServer]:
    """A daemon of its own, for a test that kills it (only subprocesses use this one)."""
    try:
        server = start_pulse(tmp_path / "pulse")
    except PulseUnavailable as error:
        _unavailable(str(error))
    yield server
    server.stop()
