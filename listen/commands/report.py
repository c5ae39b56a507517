"""`listen report [--since DATE] [-o PATH] [--format md|html]`: the digest across sessions."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from listen.commands.document_options import (
    add_document_options,
    output_format,
    redaction,
    refuse_writing_demo,
    to_stdout,
)


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2026-11-23") from None


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "report",
        help="write a digest across sessions (recurring gaps, actions, ideas, channels)",
        description=(
            "Write one digest across sessions: the gaps that recur most, actions done / open / "
            "overdue, ideas adopted, and clips reviewed per channel. Personal data is redacted "
            "unless --no-redact is given. Prints the path written (default: "
            "minutes/report-<today>.md in the workspace)."
        ),
    )
    parser.add_argument("--since", type=iso_date, metavar="DATE", help="only sessions on or after DATE")
    add_document_options(parser, anonymise_help="show people by their role instead of their name")
    return parser


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.display import one_line
    from listen.minutes import ReportOptions, build_report, export_report, render_report

    context = open_context(args)
    settings = context.settings
    refuse_writing_demo(args, context.workspace, settings)
    redact, anonymise = redaction(args, settings)
    options = ReportOptions(since=args.since, redact=redact, anonymise=anonymise)
    fmt = output_format(args.format, args.output)
    if to_stdout(args.output):
        sys.stdout.write(render_report(build_report(context.store, settings, options), fmt))
        return 0
    path = export_report(
        context.store,
        settings,
        context.workspace,
        fmt=fmt,
        output=Path(args.output) if args.output else None,
        options=options,
        force=args.force,
    )
    print(one_line(path))
    return 0
