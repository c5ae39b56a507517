"""Fixtures for the session logic: a real workspace with two submitted text clips."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen.domain import Clip
from listen.ingest.submit import submit_file
from listen.store import Store


class FakeClock:
    """A clock the test moves by hand: ``clock.advance(90)``."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clips(store: Store, tmp_path: Path) -> list[Clip]:
    made = []
    texts = {
        "refund.txt": (
            "Customer: I want a refund for the broken pedal.\n\nAgent: I need a manager to approve."
        ),
        "history.txt": "Customer: Where is my order?\n\nAgent: I cannot see your order history here.",
    }
    for name, text in texts.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        made.append(submit_file(store, path, submitted_by="Ana").clip)
    return made
