"""`listen show CLIP_ID [--json]`: one clip, the rep's view and its transcript."""

from __future__ import annotations

import argparse
import json


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "show",
        help="show one clip with its transcript",
        description=(
            "Show a clip (by id or a unique prefix of it): details, the rep's view and the transcript."
        ),
    )
    parser.add_argument("clip_id", metavar="CLIP_ID")
    parser.add_argument("--json", action="store_true", help="print the stable JSON object (see README)")
    return parser


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.commands.format import short_time
    from listen.ingest.clip_json import clip_detail
    from listen.timefmt import clock, position

    store = open_context(args).store
    clip = store.clip(args.clip_id)
    transcript = store.transcript(clip.id) if clip.has_transcript else None
    if args.json:
        print(json.dumps(clip_detail(clip, transcript), ensure_ascii=False, indent=1))
        return 0
    print(f"{clip.title}  [{clip.id}]")
    print(f"  {clip.channel}, {clip.kind}, {clock(clip.duration) or 'text'}, from {clip.source}")
    print(f"  submitted by {clip.submitted_by} on {short_time(clip.submitted_at)}; status {clip.status}")
    if clip.failure:
        print(f"  failed: {clip.failure}")
    for notice in clip.notices:
        print(f"  note: {notice}")
    view = clip.rep_view
    for label, value in (
        ("Customer needed", view.needed),
        ("What made it hard", view.hard),
        ("Workaround", view.workaround),
        ("Helped", view.helped or ""),
        ("Note", view.note),
    ):
        if value:
            print(f"  {label}: {value}")
    print()
    if transcript is None:
        print("(no transcript yet)")
        return 0
    for segment in transcript.segments:
        who = f"{segment.speaker}: " if segment.speaker else ""
        when = f"[{position(segment.start)}] " if clip.kind == "audio" else ""
        print(f"{when}{who}{segment.text}")
    return 0
