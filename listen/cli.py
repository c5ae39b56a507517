"""The command line. Each command lives in ``listen/commands/<name>.py`` with two functions:
``add_parser(subparsers)`` and ``run(args) -> int``. Command modules import heavy libraries inside
``run`` only, so ``listen --help`` stays fast.

Exit codes: 0 success, 1 when anything failed (one line per failure on stderr), 2 usage errors.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from listen import __version__
from listen.errors import ListenError

# Order as shown in --help.
COMMANDS = (
    "submit",
    "record",
    "transcribe",
    "clips",
    "show",
    "search",
    "export",
    "report",
    "session",
    "serve",
    "doctor",
    "init",
    "demo",
)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized to the terminal without importing shutil (and with it bz2 and
    lzma: ~4 ms of every start, as argparse makes a formatter even when no help is printed)."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=terminal_columns() - 2)


def terminal_columns() -> int:
    """$COLUMNS, else the width of the terminal on stdout, else 80 (as shutil.get_terminal_size)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no stdout, or not a terminal
        return 80


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (no usage dump) on a usage error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        from listen.display import one_line  # the message quotes what was typed: anything

        self.exit(2, one_line(f"{self.prog}: {message} (see '{self.prog} --help')") + "\n")


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the team's workspace folder (default: $LISTEN_WORKSPACE, else ./sessions)",
    )


def invoked_command(argv: Sequence[str]) -> str | None:
    """The command named on the line (its first positional word), if it is one of COMMANDS."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return None  # unusual; the whole parser handles it
        if word == "--workspace":
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> Parser:
    """The whole parser, or with ``only`` just that command's sub-parser: building each command's
    parser imports its module, and a single command (``listen submit``) need not pay for the rest."""
    parser = Parser(
        prog="listen",
        description=(
            "Hear your customers together. Reps submit calls, emails and chats; Whisper "
            "transcribes them on this machine; the team listens weekly, names the system gaps "
            "(never the person) and commits fixes. With no command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"listen {__version__}")
    add_workspace_option(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS if only is None else (only,):
        module = importlib.import_module(f"listen.commands.{name}")
        sub = module.add_parser(subparsers)
        add_workspace_option(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=invoked_command(argv))
    args = parser.parse_args(argv)
    if not hasattr(args, "workspace"):
        args.workspace = None
    try:
        if args.command != "doctor":  # doctor says it among its checks
            from listen.serve.shared_folder import warn_once

            warn_once(args.workspace)
        if args.command is None:
            from listen.commands.app import run as run_app

            return run_app(args)
        return int(args.run(args))
    except ListenError as error:
        from listen.display import one_line  # messages name files and ids: anything

        print(one_line(f"listen: {error}"), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("listen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


# Commands whose work is complete and on disk when main() returns. After flushing stdout and
# stderr they leave with os._exit, skipping the interpreter's teardown of ~130 modules: ~16 ms of
# a ~130 ms `listen submit` on the reference machine (bench/bench_foundation.py). Commands that
# run threads, the app, or libraries with exit handlers keep the normal exit.
QUICK_EXIT_COMMANDS = frozenset({"submit", "clips", "show"})


def entry() -> None:
    """The console script (and ``python -m listen``)."""
    argv = sys.argv[1:]
    code = main(argv)
    if invoked_command(argv) not in QUICK_EXIT_COMMANDS or _threads_running():
        raise SystemExit(code)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped reading (`listen clips | head`): not an error
        pass
    except OSError as error:
        print(f"listen: cannot write the output ({error.strerror or error})", file=sys.stderr)
        code = code or 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


def _threads_running() -> bool:
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


if __name__ == "__main__":  # pragma: no cover
    entry()
