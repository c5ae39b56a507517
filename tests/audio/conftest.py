"""Fixtures for the audio tests: real media files made with PyAV, once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audio.media import KINDS, tone, write_media

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
