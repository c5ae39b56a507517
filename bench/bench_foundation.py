"""Foundation benchmark: start-up time, and submit / clips --json against workspaces of growing size.

Run: .venv/bin/python bench/bench_foundation.py [--sizes 1000,10000]
Targets (issue 2): `listen --help` and `listen clips` start in under 0.3 s; with 10,000 clips and
500 sessions one `submit` under 150 ms and `clips --json` under 1 s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from listen.commands.demo import DEMO_MARK  # noqa: E402
from listen.domain import Attendee, AudioFacts, Clip, Quote, RepView, Session  # noqa: E402
from listen.store import Store  # noqa: E402
from listen.workspace import resolve_workspace  # noqa: E402

# What a user runs: the console script installed beside this interpreter (python -m adds runpy).
SCRIPT = Path(sys.executable).with_name("listen")
LISTEN = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "listen"]
# As on a user's machine, Python may cache byte-code (some CI images switch that off, which makes
# every start recompile every module).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, env=ENV)


def timed(command: list[str], repeat: int = 5) -> float:
    """Median wall time of a command, in seconds (after one untimed warm-up run)."""
    run(command)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(command)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build_workspace(root: Path, clips: int, sessions: int) -> None:
    store = Store(resolve_workspace(root))
    # a team's settings, as every real workspace has (reading them is part of each command's cost)
    # (without the demo's read-only mark, as `listen demo` copies it)
    settings = (REPO / "sessions" / "listen.toml").read_text(encoding="utf-8")
    (root / "listen.toml").write_text(DEMO_MARK.sub("", settings), encoding="utf-8")
    batch = 2000
    for first in range(0, clips, batch):
        with store.transaction() as tx:
            for n in range(first, min(clips, first + batch)):
                sha = hashlib.sha256(f"clip {n}".encode()).hexdigest()
                tx.put(
                    Clip(
                        id=sha[:10],
                        sha256=sha,
                        kind="audio",
                        title=f"Call about a late refund {n}",
                        source=f"call-{n}.wav",
                        media=f"clips/{sha[:10]}/original.wav",
                        byte_size=480_000,
                        channel="phone",
                        submitted_by="Ana Lopez",
                        status="transcribed",
                        duration=95.0,
                        audio=AudioFacts(8000, 1, "pcm_mulaw", "wav"),
                        has_transcript=True,
                        rep_view=RepView(
                            needed="a refund", hard="refunds over $50 need a manager", helped="partly"
                        ),
                    )
                )
    with store.transaction() as tx:
        for n in range(sessions):
            tx.put(
                Session(
                    id=f"2016-01-01-{n}",
                    date="2016-01-01",
                    facilitator="Bo",
                    attendees=[Attendee(f"Person {i}", "support") for i in range(6)],
                    clip_ids=["0" * 10] * 4,
                    quotes=[Quote("0" * 10, 1.0, 4.0, "I have been waiting three weeks for my refund")] * 4,
                    step_seconds={"stage": 300.0, "listen": 1900.0},
                    status="closed",
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="0,1000,10000", help="numbers of clips to measure at")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="listen-bench-"))
    try:
        empty = tmp / "empty"
        print(f"command: {' '.join(LISTEN)}\nstart-up (median of 5)")
        print(f"  listen --help         {timed([*LISTEN, '--help']) * 1000:7.0f} ms   (target < 300 ms)")
        print(
            f"  listen clips (empty)  {timed([*LISTEN, '--workspace', str(empty), 'clips']) * 1000:7.0f} ms"
            "   (target < 300 ms)"
        )
        note = tmp / "note.txt"
        print("\nworkspace size -> cost  (sessions = clips / 20; submit: median of 11 new files)")
        print(
            f"  {'clips':>7} {'sessions':>8} {'db size':>9} {'submit':>9} {'clips --json':>13} {'clips':>9}"
        )
        for size in sizes:
            ws = tmp / f"ws-{size}"
            build_workspace(ws, size, size // 20)
            db_bytes = sum(p.stat().st_size for p in (ws / "db").rglob("*.json") if p.is_file())
            submit_times = []
            for n in range(12):  # a new file each time: each run stores a new clip
                note.write_text(f"Customer: message number {n} at size {size}\n")
                start = time.perf_counter()
                run([*LISTEN, "--workspace", str(ws), "submit", "--by", "Ana", str(note)])
                submit_times.append(time.perf_counter() - start)
            submit_times = submit_times[1:]  # the first run warms the file cache
            submit = statistics.median(submit_times)
            as_json = timed([*LISTEN, "--workspace", str(ws), "clips", "--json"], repeat=3)
            table = timed([*LISTEN, "--workspace", str(ws), "clips"], repeat=3)
            print(
                f"  {size:>7} {size // 20:>8} {db_bytes / 1e6:>7.1f}MB {submit * 1000:>7.0f}ms "
                f"{as_json * 1000:>11.0f}ms {table * 1000:>7.0f}ms"
            )
        print("\ntargets at 10,000 clips / 500 sessions: submit < 150 ms, clips --json < 1000 ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
