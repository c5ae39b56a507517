"""Fixtures for the minutes tests: a workspace (tests/conftest.py) with a full team history, or
with hostile text."""

from __future__ import annotations

import pytest

from listen.store import Store
from listen.workspace import Workspace
from tests.minutes.minutes_fixture import build_history, build_hostile


@pytest.fixture
def history(workspace: Workspace) -> Store:
    store = Store(workspace)
    build_history(store)
    return store


@pytest.fixture
def hostile_store(workspace: Workspace) -> Store:
    store = Store(workspace)
    build_hostile(store)
    return store
