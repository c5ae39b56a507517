"""`listen show CLIP_ID [--json]`: one clip, the rep's view and its transcript."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from listen.domain import Clip, Transcript


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
    from listen.display import json_text, one_line
    from listen.ingest.clip_json import clip_detail
    from listen.ingest.thread import clip_transcript, speaker_label
    from listen.timefmt import clock, position

    context = open_context(args)
    store = context.store
    clip = store.clip(args.clip_id)
    transcript = clip_transcript(store, clip, context.settings) if clip.has_transcript else None
    if args.json:
        print(json_text(clip_detail(clip, transcript)))
        return 0

    # Every line is stored text: one line each through the display sanitiser (a newline in a
    # title cannot forge a line), the transcript keeping its own line breaks.
    def say(line: str) -> None:
        print(one_line(line))

    say(f"{clip.title}  [{clip.id}]")
    say(f"  {_what(clip, transcript, clock)}, from {clip.source}")
    say(f"  submitted by {clip.submitted_by} on {short_time(clip.submitted_at)}; status {clip.status}")
    if clip.failure:
        say(f"  failed: {clip.failure}")
    for notice in clip.notices:
        say(f"  note: {notice}")
    view = clip.rep_view
    for label, value in (
        ("Customer needed", view.needed),
        ("What made it hard", view.hard),
        ("Workaround", view.workaround),
        ("Helped", view.helped or ""),
        ("Note", view.note),
    ):
        if value:
            say(f"  {label}: {value}")
    print()
    if transcript is None:
        print("(no transcript yet)")
        return 0
    from listen.commands.uncertain_marks import legend, marked_text
    from listen.transcribe.uncertain import uncertain_in

    threshold = context.settings.transcription.uncertain_below if clip.kind == "audio" else 0.0
    styled = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    marked = 0
    for index, segment in enumerate(transcript.segments):
        label = speaker_label(segment.speaker, segment.sender)
        who = f"{one_line(label)}: " if label else ""
        if clip.kind == "audio":
            when = f"[{position(segment.start)}] "
        else:
            when = f"[{one_line(segment.at)}] " if segment.at else ""
        spots = uncertain_in(segment, threshold, index)
        marked += len(spots)
        edited = "✎ " if segment.corrected else ""
        print(f"{when}{who}{edited}{marked_text(segment.text, spots, styled=styled)}")
    corrected = any(segment.corrected for segment in transcript.segments)
    if marked or corrected:
        print()
        print(legend(threshold, styled=styled, uncertain=bool(marked), corrected=corrected))
    return 0


def _what(clip: Clip, transcript: Transcript | None, clock: Callable[[float | None], str]) -> str:
    """What the clip is, said once: "phone call, 2:05" or "chat thread, 4 messages from 2 senders"."""
    from listen.ingest.thread import thread_summary

    if clip.kind == "text":
        return thread_summary(clip, transcript)
    kind = "call" if clip.channel == "phone" else "recording"
    return f"{clip.channel} {kind}, {clock(clip.duration) or 'length unknown'}"
