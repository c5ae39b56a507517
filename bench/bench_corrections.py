"""Corrections benchmark: what one saved correction costs, and the unsure-word marking.

Run: .venv/bin/python bench/bench_corrections.py [--clips N] [--rounds N]
A workspace of N clips whose transcripts are 3 minutes of speech (45 segments of 12 timed words)
with its search index built; then, on one clip: an edit of a segment's text (the pure step), the
save of the corrected transcript (the file written atomically under the lock, the search index
updated), a split and a merge, and finding the unsure words of the whole transcript (what the app
does to draw the lines). Wall and CPU time per operation (median of the rounds); the app saves in
a background thread, so none of this blocks typing, but it bounds how often a save can happen.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from listen.domain import Clip, Segment, Transcript, Word
from listen.search import search
from listen.store import Store
from listen.transcribe import corrections as c
from listen.transcribe.uncertain import uncertain_words
from listen.workspace import resolve_workspace

WORDS = [
    "the",
    "refund",
    "helmet",
    "order",
    "website",
    "price",
    "courier",
    "tracking",
    "parcel",
    "manager",
    "approval",
    "week",
]


def transcript(rng: random.Random) -> Transcript:
    segments = []
    at = 0.0
    for _ in range(45):
        words = []
        for _ in range(12):
            words.append(Word(at, at + 0.3, rng.choice(WORDS), round(rng.uniform(0.2, 1.0), 3)))
            at += 0.33
        segments.append(Segment(words[0].start, words[-1].end, " ".join(w.word for w in words), words=words))
    return Transcript(
        text="", segments=segments, engine="faster-whisper", created_at="2026-11-20T09:00:00+00:00"
    )


def timed(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(16)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(resolve_workspace(Path(folder) / "ws"))
        ids = []
        with store.transaction() as tx:
            for n in range(args.clips):
                clip_id = f"{n:010x}"
                tx.put(Clip(
                    id=clip_id, sha256=clip_id * 6 + "0000", kind="audio", title=f"call {n}", source="c.wav",
                    media=f"clips/{clip_id}/original.wav", byte_size=1, channel="phone", submitted_by="Ana",
                    status="transcribed", duration=180.0, has_transcript=True,
                ))  # fmt: skip
                ids.append(clip_id)
        for clip_id in ids:
            store.write_transcript(clip_id, transcript(rng))
        search(store, "refund")  # builds the index: from now on every write keeps it current
        clip_id = ids[0]
        machine = store.transcript(clip_id)
        assert machine is not None
        edited = c.edit_text(machine, 10, "my helmet arrived cracked " + machine.segments[10].text)
        counter = iter(range(10**6))
        results = {
            "edit a segment's text (pure)": timed(
                lambda: c.edit_text(machine, 10, "a new text"), args.rounds
            ),
            "split + merge (pure)": timed(
                lambda: c.merge_segments(c.split_segment(machine, 5, 6), 5), args.rounds
            ),
            "save a correction (file + lock + index)": timed(
                lambda: c.save_corrected(
                    store, clip_id, c.edit_text(edited, 3, f"typed {next(counter)} words here")
                ),
                args.rounds,
            ),
            "unsure words of the transcript": timed(lambda: uncertain_words(machine, 0.5), args.rounds),
        }
        print(f"{args.clips} clips of 3 minutes (45 segments x 12 words); median of {args.rounds}")
        for name, (wall, cpu) in results.items():
            print(f"  {name:42s} {wall:7.2f} ms wall {cpu:7.2f} ms CPU")
        hits = search(store, "typed")
        assert hits and hits[0].clip_id == clip_id, "the index did not follow the correction"


if __name__ == "__main__":
    main()
