"""What every command needs: the workspace, its store and settings, and one-line failure reports."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from listen.display import one_line
from listen.errors import ListenError, UsageError
from listen.settings import Settings, load_settings
from listen.store import Store
from listen.workspace import Workspace, resolve_workspace


@dataclass(frozen=True)
class Context:
    """What a command works on: the workspace, its store and its settings."""

    workspace: Workspace
    store: Store
    settings: Settings


def open_context(args: argparse.Namespace, *, writes: bool = False, may_create: bool = False) -> Context:
    """The chosen workspace. It must exist unless ``may_create`` (commands that add data create it
    when they first store something, and say so); ``writes`` refuses the read-only bundled demo."""
    workspace = resolve_workspace(getattr(args, "workspace", None), create=False)
    if not may_create:
        workspace.require()
    settings = load_settings(workspace.settings_path)
    if writes:
        refuse_demo(workspace, settings)
    return Context(workspace, Store(workspace), settings)


def refuse_demo(workspace: Workspace, settings: Settings, also: str = "") -> None:
    """The bundled demo (``demo = true`` in its listen.toml) is checked in: it is never changed."""
    if settings.demo:
        raise ListenError(
            f"{workspace.root}: the bundled demo workspace is read-only; use `listen demo` (a copy "
            f"to try things on) or --workspace DIR{', ' + also if also else ''}"
        )


def announce_created(workspace: Workspace) -> None:
    """The line a command prints when it made the workspace (only adding commands do)."""
    print(f"created workspace {workspace.root}")


def report_failure(subject: object, reason: object) -> None:
    """One line on stderr naming the file or id and the reason (a file name or a reason can hold
    anything: it goes through the display sanitiser)."""
    print(one_line(f"{subject}: {reason}"), file=sys.stderr)


def not_yet(feature: str, issue: str) -> int:
    """For commands whose feature lands with a later issue: say so and exit 2."""
    raise UsageError(f"{feature} is not available yet (it arrives with the {issue} work)")
