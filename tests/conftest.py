"""Shared fixtures: real workspaces on disk (helpers for subprocesses live in tests/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen.store import Store
from listen.workspace import Workspace, resolve_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return resolve_workspace(tmp_path / "ws")


@pytest.fixture
def store(workspace: Workspace) -> Store:
    return Store(workspace)
