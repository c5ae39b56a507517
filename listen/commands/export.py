"""`listen export [SESSION_ID|latest] [--format md|html] [-o PATH] [--no-redact] [--anonymise]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="write the minutes of a session (Markdown or HTML)",
        description=(
            "Write the minutes of a session: attendees, follow-up of earlier actions, each clip "
            "heard with the rep's view, quotes and gaps, gaps by category with how often they "
            "recur, fix ideas by votes, actions and the story check. Personal data (e-mail "
            "addresses, phone, card and account numbers, street addresses) is redacted unless "
            "--no-redact is given. Prints the path written (default: "
            "minutes/<date>-<slug>.md in the workspace)."
        ),
    )
    parser.add_argument(
        "session",
        nargs="?",
        default="latest",
        metavar="SESSION_ID",
        help="the session's id (its date, e.g. 2026-11-23), or 'latest' (the default)",
    )
    parser.add_argument(
        "--format",
        choices=("md", "html"),
        help="md (Markdown) or html (one self-contained page); default: from -o's suffix, else md",
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write here instead ('-' prints to standard output)"
    )
    privacy = parser.add_mutually_exclusive_group()
    privacy.add_argument(
        "--no-redact", dest="redact", action="store_false", default=None,
        help="keep e-mail addresses, phone, card and account numbers (redaction is on by default)",
    )  # fmt: skip
    privacy.add_argument(
        "--redact", dest="redact", action="store_true", default=None,
        help="redact even when listen.toml says redact = false",
    )  # fmt: skip
    parser.add_argument(
        "--anonymise",
        "--anonymize",
        action="store_true",
        help="show reps and attendees by their role instead of their name",
    )
    return parser


def output_format(fmt: str | None, output: str | None) -> str:
    """The --format given, else the output file's suffix, else Markdown."""
    if fmt:
        return fmt
    if output and output != "-" and Path(output).suffix.lower() in (".html", ".htm"):
        return "html"
    return "md"


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.minutes import MinutesOptions, build_minutes, export_minutes, render_minutes

    context = open_context(args)
    settings = context.settings
    options = MinutesOptions(
        redact=settings.redact if args.redact is None else args.redact,
        anonymise=args.anonymise or settings.anonymise,
    )
    fmt = output_format(args.format, args.output)
    if args.output == "-":
        minutes = build_minutes(context.store, settings, args.session, options)
        sys.stdout.write(render_minutes(minutes, fmt))
        return 0
    path = export_minutes(
        context.store,
        settings,
        context.workspace,
        args.session,
        fmt=fmt,
        output=Path(args.output) if args.output else None,
        options=options,
    )
    print(path)
    return 0
