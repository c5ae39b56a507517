"""`listen search QUERY [--json]`: transcripts, quotes, rep views, e-mails and chats, gaps, ideas,
session notes and actions, best first, the matched words highlighted."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from listen.search import Hit
    from listen.search.query import Spans

BOLD, RESET = "\x1b[1m", "\x1b[0m"
OPEN, CLOSE = "«", "»"  # the highlight when the output is not a terminal
LABELS = {"segment": "transcript", "clip": "clip title"}  # other kinds read as they are


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "search",
        help="search transcripts, quotes, rep views, gaps, ideas and notes",
        description=(
            "Search everything the team stored: transcripts (clip and moment), e-mails and chats, "
            "quotes, the reps' views, gaps, ideas, session notes and actions. Results are ranked "
            "(the words side by side first); matched words are bold on a terminal, «like this» "
            "otherwise. Every word must match; punctuation and search operators are plain text."
        ),
    )
    parser.add_argument("query", metavar="QUERY", nargs="+", help="the words to find")
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
    parser.add_argument("--json", action="store_true", help="print the stable JSON object (see README)")
    return parser


def where(hit: Hit) -> str:
    """What a hit is and where it lives: 'clip 3f2a1b9c04 at 1:23', 'gap G-3', ..."""
    from listen.timefmt import position

    if hit.kind == "segment":
        return f"clip {hit.clip_id} at {position(hit.at)}"
    if hit.kind == "quote":
        moment = f" at {position(hit.at)}" if hit.at is not None else ""
        return f"session {hit.session_id}, clip {hit.clip_id}{moment}"
    if hit.kind in ("clip", "rep view"):
        return f"clip {hit.clip_id}"
    if hit.kind == "note":
        return f"session {hit.session_id}, note {hit.ref}"
    return str(hit.ref)  # a gap, idea or action id


def marked(spans: Spans, *, bold: bool) -> str:
    """Spans as one safe line: every piece through the display sanitiser, matches emphasised."""
    from listen.display import one_line

    start, end = (BOLD, RESET) if bold else (OPEN, CLOSE)
    return "".join(f"{start}{one_line(text)}{end}" if hit else one_line(text) for text, hit in spans)


def hit_json(hit: Hit) -> dict[str, object]:
    from listen.search.query import plain

    def ranges(spans: Spans) -> list[list[int]]:
        found, offset = [], 0
        for text, matched in spans:
            if matched:
                found.append([offset, offset + len(text)])
            offset += len(text)
        return found

    return {
        "kind": hit.kind,
        "clip_id": hit.clip_id,
        "at": hit.at,
        "session_id": hit.session_id,
        "ref": hit.ref,
        "clip_title": hit.label or None,
        "title": plain(hit.title),
        "title_matches": ranges(hit.title),
        "text": plain(hit.text),
        "text_matches": ranges(hit.text),
        "phrase": hit.phrase,
    }


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.display import json_text, one_line
    from listen.errors import UsageError
    from listen.search import search
    from listen.search.query import terms_of

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    context = open_context(args)
    query = " ".join(args.query)
    hits = search(context.store, query, limit=args.limit, in_memory=context.settings.demo)
    if args.json:
        print(json_text({"version": 1, "query": query, "results": [hit_json(hit) for hit in hits]}))
        return 0
    if not terms_of(query):
        print("nothing to search for: type some words", file=sys.stderr)
        return 0
    if not hits:
        print(one_line(f"no results for {query[:80]}"))
        return 0
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    for hit in hits:
        head = f"{LABELS.get(hit.kind, hit.kind):<10} {one_line(where(hit))}"
        if hit.label and hit.kind != "clip":
            head += f"  ({one_line(hit.label[:60])})"
        print(head)
        parts = (marked(hit.title, bold=bold), marked(hit.text, bold=bold))
        text = " — ".join(part for part in parts if part)
        print(f"    {text}")
    return 0
