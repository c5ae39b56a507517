"""Splitting a text clip into its messages (listen.ingest.thread), at the size limit and beyond.

Run: .venv/bin/python bench/bench_thread_split.py
CPU time (process_time, the machine is shared) of thread_transcript for:
- a 5 MB chat of short timestamped lines (the most messages a text clip can hold: the segment
  cap applies);
- a 5 MB e-mail thread of 200 nested replies;
- a 5 MB file of one line with no sender (the patterns only read each line's head);
- the demo's chat, as submitted (what a user waits for).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LIMIT = 5 * 1024 * 1024


def chat() -> str:
    lines, size, i = [], 0, 0
    while size < LIMIT:
        who = "Jo Harper" if i % 2 else "Sam"
        line = f"[{10 + i // 3600 % 12:02d}:{i // 60 % 60:02d}] {who}: line {i} of the chat"
        lines.append(line)
        size += len(line) + 1
        i += 1
    return "\n".join(lines)


def email() -> str:
    body = "From: Jo Harper <jo@example.com>\nSubject: Re: refund\n\nStill waiting.\n"
    paragraph = "The refund needs a manager. " * 40
    for depth in range(1, 201):
        who = "Sam Lee <sam@northwind.example>" if depth % 2 else "Jo Harper <jo@example.com>"
        body += f"\n{'>' * (depth - 1)} On Tue, 10 Nov 2026 at 14:02, {who} wrote:\n"
        body += "\n".join(f"{'>' * depth} {paragraph}" for _ in range(3)) + "\n"
    while len(body) < LIMIT:
        body += paragraph + "\n\n"
    return body[:LIMIT]


def timed(label: str, text: str) -> None:
    from listen.ingest.thread import thread_transcript

    start = time.process_time()
    transcript = thread_transcript(text, team=["Sam"])
    cpu = time.process_time() - start
    size = len(text.encode())
    count = len(transcript.segments)
    print(f"{label:<34} {size / 1e6:5.1f} MB  {count:>5} segments  {cpu * 1000:8.0f} ms CPU")


def main() -> int:
    timed("chat, timestamped lines", chat())
    timed("e-mail, 200 nested replies", email())
    timed("one 5 MB line, no sender", "x" * LIMIT)
    demo = REPO / "sessions" / "clips" / "694c6227b2" / "original.txt"
    if demo.exists():
        timed("demo chat", demo.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
