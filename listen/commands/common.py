"""What every command needs: the workspace, its store and settings, and one-line failure reports."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from listen.display import one_line
from listen.errors import UsageError
from listen.settings import Settings, load_settings
from listen.store import Store
from listen.workspace import Workspace, resolve_workspace


@dataclass(frozen=True)
class Context:
    """What a command works on: the workspace, its store and its settings."""

    workspace: Workspace
    store: Store
    settings: Settings


def open_context(args: argparse.Namespace) -> Context:
    workspace = resolve_workspace(getattr(args, "workspace", None))
    settings = load_settings(workspace.settings_path)
    return Context(workspace, Store(workspace), settings)


def report_failure(subject: object, reason: object) -> None:
    """One line on stderr naming the file or id and the reason (a file name or a reason can hold
    anything: it goes through the display sanitiser)."""
    print(one_line(f"{subject}: {reason}"), file=sys.stderr)


def not_yet(feature: str, issue: str) -> int:
    """For commands whose feature lands with a later issue: say so and exit 2."""
    raise UsageError(f"{feature} is not available yet (it arrives with the {issue} work)")
