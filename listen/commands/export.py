"""`listen export [SESSION_ID|latest] [--format md|html] [-o PATH] [--no-redact] [--anonymise]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from listen.commands.document_options import (
    add_document_options,
    output_format,
    redaction,
    refuse_writing_demo,
    to_stdout,
)


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
    add_document_options(parser, anonymise_help="show reps and attendees by their role instead of their name")
    return parser


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.display import one_line
    from listen.minutes import MinutesOptions, build_minutes, export_minutes, render_minutes

    context = open_context(args)
    settings = context.settings
    refuse_writing_demo(args, context.workspace, settings)
    redact, anonymise = redaction(args, settings)
    options = MinutesOptions(redact=redact, anonymise=anonymise)
    fmt = output_format(args.format, args.output)
    if to_stdout(args.output):
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
        force=args.force,
    )
    print(one_line(path))
    return 0
