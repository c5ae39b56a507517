"""Fixtures for the transcription tests: the bundled model is loaded once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from listen.transcribe.faster_engine import FasterWhisperEngine
from tests.transcribe.speech import options


@pytest.fixture(scope="session")
def engine() -> Iterator[FasterWhisperEngine]:
    """faster-whisper with the bundled tiny.en, int8, VAD, beam 1: the defaults users get
    (``cpu_threads`` from ``LISTEN_TEST_THREADS``, see speech.py)."""
    loaded = FasterWhisperEngine(options())
    loaded.load()
    yield loaded


# The demo workspace's company words (tools/demo_content.py). Prompted with them, tiny.en tends to
# give one segment per 30 s window, and to invent "Thank you." over a channel's silent end.
VOCABULARY = ("Northwind", "Northwind Cycles", "Voltra", "RideLink", "Ana", "Marta", "Priya")


@pytest.fixture(scope="session")
def vocabulary_engine() -> Iterator[FasterWhisperEngine]:
    """The default engine with company vocabulary, as a workspace with ``vocabulary`` runs it."""
    loaded = FasterWhisperEngine(options(vocabulary=VOCABULARY))
    loaded.load()
    yield loaded
