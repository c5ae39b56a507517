"""The command line. Each command lives in ``listen/commands/<name>.py`` with two functions:
``add_parser(subparsers)`` and ``run(args) -> int``. Command modules import heavy libraries inside
``run`` only, so ``listen --help`` stays fast.

Exit codes: 0 success, 1 when anything failed (one line per failure on stderr), 2 usage errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from listen import __version__
from listen.errors import ListenError

# Order as shown in --help.
COMMANDS = (
    "submit",
    "record",
    "transcribe",
    "clips",
    "show",
    "export",
    "report",
    "doctor",
    "demo",
)


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (no usage dump) on a usage error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the team's workspace folder (default: $LISTEN_WORKSPACE, else ./sessions)",
    )


def build_parser() -> Parser:
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
    for name in COMMANDS:
        module = importlib.import_module(f"listen.commands.{name}")
        sub = module.add_parser(subparsers)
        add_workspace_option(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "workspace"):
        args.workspace = None
    try:
        if args.command is None:
            from listen.commands.app import run as run_app

            return run_app(args)
        return int(args.run(args))
    except ListenError as error:
        print(f"listen: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("listen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
