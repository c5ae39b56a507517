"""`listen init DIR`: create an empty workspace (the other way to get one is to add data to it)."""

from __future__ import annotations

import argparse
from pathlib import Path

SETTINGS_TEMPLATE = """\
# listen settings for this team's workspace. Every key and its default: see README ("Settings").
# prompt_pack = "weekly"
# gap_categories = ["Policy", "Procedure", "Tool", "Product", "Knowledge"]
# redact = true
#
# [[members]]
# name = "Ana"
# role = "support"
"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "init",
        help="create an empty workspace",
        description=(
            "Create an empty workspace in DIR (made if missing): the database folder, clips/, "
            "minutes/ and a listen.toml with the settings commented out. Reading commands (clips, "
            "show, export, report, doctor, transcribe) refuse a folder that is not a workspace; "
            "submit, record and the app create one on their own when they first store something."
        ),
    )
    parser.add_argument("directory", metavar="DIR", type=Path, help="the workspace folder")
    return parser


def run(args: argparse.Namespace) -> int:
    from listen.errors import ListenError
    from listen.store.atomic import atomic_write_text
    from listen.workspace import Workspace

    workspace = Workspace(args.directory.expanduser().absolute())
    if workspace.exists():
        print(f"{workspace.root} is a workspace already (nothing changed)")
        return 0
    workspace.ensure()
    if not workspace.settings_path.exists():
        try:
            atomic_write_text(workspace.settings_path, SETTINGS_TEMPLATE)
        except OSError as error:
            raise ListenError(
                f"{workspace.settings_path}: cannot write ({error.strerror or error})"
            ) from None
    print(f"created workspace {workspace.root}")
    return 0
