"""Shared fixtures: real workspaces on disk (helpers for subprocesses live in tests/helpers.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from listen.store import Store
from listen.workspace import Workspace, resolve_workspace

# Property tests draw the same examples on every run and every machine (a suite that turns red
# on someone else's machine because it drew another example blocks everyone). To hunt for new
# counterexamples: HYPOTHESIS_PROFILE=explore (fresh random examples on each run).
settings.register_profile("same-everywhere", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "same-everywhere"))


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return resolve_workspace(tmp_path / "ws")


@pytest.fixture
def store(workspace: Workspace) -> Store:
    return Store(workspace)
