"""`listen clips [--status S] [--json]`: the clips in the workspace."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from listen.domain import CLIP_STATUSES

if TYPE_CHECKING:
    from listen.store.validate import InvalidDocumentError


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "clips",
        help="list clips",
        description=(
            "List the clips in the workspace, oldest first. --json prints the stable schema (see README)."
        ),
    )
    parser.add_argument("--status", choices=CLIP_STATUSES, help="only clips with this status")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    return parser


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.commands.format import short_time, table
    from listen.display import json_text, one_line
    from listen.ingest.clip_json import clip_summary
    from listen.textfit import cut
    from listen.timefmt import clock

    invalid: list[InvalidDocumentError] = []  # listed on stderr after the clips that can be read
    clips = open_context(args).store.clips(status=args.status, skipped=invalid)
    if args.json:
        print(json_text([clip_summary(clip) for clip in clips]))
        return report_invalid(invalid)
    if not clips:
        print("no clips" + (f" with status {args.status}" if args.status else ""))
        return report_invalid(invalid)
    rows = [
        [
            clip.id,
            cut(one_line(clip.title), 40),
            clip.channel,
            cut(one_line(clip.submitted_by), 20),
            clock(clip.duration) or "-",
            clip.status,
            short_time(clip.submitted_at),
        ]
        for clip in clips
    ]
    print(table(["ID", "TITLE", "CHANNEL", "BY", "LENGTH", "STATUS", "SUBMITTED"], rows))
    return report_invalid(invalid)


def report_invalid(invalid: list[InvalidDocumentError]) -> int:
    """One line on stderr per clip that could not be read; exit 1 if there was any."""
    for error in invalid:
        print(f"listen: {error}", file=sys.stderr)
    return 1 if invalid else 0
