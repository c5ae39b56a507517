"""`listen demo`: open the app on a fresh copy of the bundled demo workspace (the original never
changes). The demo is the ``sessions/`` folder next to the package in a source checkout, or the
``demo/`` folder shipped inside the package."""

from __future__ import annotations

import argparse
import fnmatch
import re
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


# the read-only mark of the bundled demo's listen.toml (and the comment line that explains it)
DEMO_MARK = re.compile(r"^(# The bundled demo is read-only.*\n)?demo\s*=\s*true\s*(#.*)?(\n|$)", re.MULTILINE)


def copy_demo(source: Path, destination: Path) -> Path:
    """Copy the demo workspace to ``destination`` (which must not exist), leaving out locks,
    caches and temporary files. The copy is owner-only (folders 0700, files 0600, as every
    workspace) and writable: its listen.toml loses the ``demo = true`` mark. Returns its path."""
    from listen.settings import load_settings
    from listen.store.atomic import atomic_write_text

    if destination.exists():
        raise ListenError(f"{destination}: already exists; the demo is copied to a new folder")
    try:
        _copy_private(source, destination)
        settings = destination / "listen.toml"
        text = settings.read_text(encoding="utf-8")
        atomic_write_text(settings, DEMO_MARK.sub("", text))
    except OSError as error:
        raise ListenError(
            f"{destination}: cannot copy the demo workspace ({error.strerror or error})"
        ) from None
    if load_settings(destination / "listen.toml").demo:
        raise ListenError(f"{destination / 'listen.toml'}: the copy still says demo = true; remove that line")
    return destination


def _copy_private(source: Path, destination: Path) -> None:
    """Copy a folder tree with owner-only folders and files, without what SKIP names."""
    from listen.store.atomic import atomic_copy
    from listen.workspace import make_private_dir

    make_private_dir(destination)
    for entry in sorted(source.iterdir()):
        if any(fnmatch.fnmatch(entry.name, pattern) for pattern in SKIP):
            continue
        if entry.is_dir():
            _copy_private(entry, destination / entry.name)
        elif entry.is_file():
            atomic_copy(entry, destination / entry.name)


def run(args: argparse.Namespace) -> int:
    source = demo_source()
    chosen = getattr(args, "workspace", None)
    if chosen:
        destination = Path(chosen).expanduser().absolute()
    else:
        import tempfile

        destination = Path(tempfile.mkdtemp(prefix="listen-demo-")) / "sessions"
    copy = copy_demo(source, destination)
    # said before the app starts, in the app (the terminal's lines are hidden while it runs) and
    # again after it: the copy stays, and is where `--workspace` finds the demo session again
    print(f"Demo workspace copied to {copy} (the original in {source} is not changed).", flush=True)
    if args.copy_only:
        return 0
    from listen.commands import app

    try:
        return app.run(argparse.Namespace(workspace=str(copy)), notice=f"Demo workspace: {copy}")
    finally:
        print(f"The demo workspace stays at {copy} (listen --workspace {copy} opens it again).", flush=True)
