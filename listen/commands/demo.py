"""`listen demo`: open the app on a fresh copy of the bundled demo workspace (the original never
changes). The demo is the ``sessions/`` folder next to the package in a source checkout, or the
``demo/`` folder shipped inside the package."""

from __future__ import annotations

import argparse
from pathlib import Path

from listen.errors import ListenError

SKIP = (".listen.lock", ".cache", "*.tmp", "*.bak", "journal.json")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "demo",
        help="open the app on a fresh copy of the demo workspace",
        description=(
            "Copy the bundled demo workspace (a small bike shop: calls, an e-mail, chats, three past "
            "sessions with gaps, ideas, votes and open actions) to a new temporary folder and open "
            "the app there. The original is never changed. Prints where the copy is. With "
            "--workspace DIR the copy goes to DIR (which must not exist yet)."
        ),
    )
    parser.add_argument(
        "--copy-only", action="store_true", help="make the copy and print its path, without opening the app"
    )
    return parser


def demo_source() -> Path:
    """Where the bundled demo workspace is (package data first, then a source checkout)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "demo", package.parent / "sessions"):
        if (candidate / "db").is_dir():
            return candidate
    raise ListenError("the demo workspace is not bundled with this install (no listen/demo or ./sessions)")


def copy_demo(source: Path, destination: Path) -> Path:
    """Copy the demo workspace to ``destination`` (which must not exist), leaving out locks,
    caches and temporary files. Returns the copy's path."""
    if destination.exists():
        raise ListenError(f"{destination}: already exists; the demo is copied to a new folder")
    try:
        import shutil  # here, not at the top: `listen --help` builds every command's parser

        shutil.copytree(source, destination, ignore=shutil.ignore_patterns(*SKIP))
    except OSError as error:
        raise ListenError(
            f"{destination}: cannot copy the demo workspace ({error.strerror or error})"
        ) from None
    return destination


def run(args: argparse.Namespace) -> int:
    source = demo_source()
    chosen = getattr(args, "workspace", None)
    if chosen:
        destination = Path(chosen).expanduser().absolute()
    else:
        import tempfile

        destination = Path(tempfile.mkdtemp(prefix="listen-demo-")) / "sessions"
    copy = copy_demo(source, destination)
    print(f"Demo workspace copied to {copy} (the original in {source} is not changed).", flush=True)
    if args.copy_only:
        return 0
    from listen.commands import app

    return app.run(argparse.Namespace(workspace=str(copy)))
