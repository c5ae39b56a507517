"""Fixtures for the transcription tests: the bundled model is loaded once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from listen.transcribe.engine import EngineOptions
from listen.transcribe.faster_engine import FasterWhisperEngine


@pytest.fixture(scope="session")
def engine() -> Iterator[FasterWhisperEngine]:
    """faster-whisper with the bundled tiny.en, int8, VAD, beam 1: the defaults users get."""
    loaded = FasterWhisperEngine(EngineOptions())
    loaded.load()
    yield loaded
