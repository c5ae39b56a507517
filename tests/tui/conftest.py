"""Fixtures for the app's tests: a real workspace built through the store and the session service."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui.builders import build_workspace

from listen.store import Store
from listen.workspace import Workspace


@pytest.fixture
def built(tmp_path: Path) -> tuple[Workspace, Store, dict[str, str]]:
    return build_workspace(tmp_path / "ws")
