"""Minutes benchmark: export a session with 50 clips and 200 gaps, and a report over 500 sessions.

Run: .venv/bin/python bench/bench_minutes.py [--repeat 5]
Targets (issue 6): both under 1 s. Each timing opens a fresh Store (nothing cached in memory, as
for one `listen export` / `listen report` run) and includes reading the database, redaction,
rendering and the atomic write; the end-to-end command (with Python start-up) is timed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from listen.domain import (  # noqa: E402
    Action,
    Attendee,
    Clip,
    FixIdea,
    FollowUp,
    Gap,
    GapLink,
    Quote,
    RepView,
    Session,
    StoryCheck,
)
from listen.minutes import MinutesOptions, ReportOptions, export_minutes, export_report  # noqa: E402
from listen.settings import Settings  # noqa: E402
from listen.store import Store  # noqa: E402
from listen.workspace import resolve_workspace  # noqa: E402

CATEGORIES = ("Policy", "Procedure", "Tool", "Product", "Knowledge")
CHANNELS = ("phone", "email", "chat", "web", "in-person")
PEOPLE = [Attendee("Ana Lima", "support lead"), Attendee("Ben Okafor", "support"), Attendee("Dev Patel", "billing")]
NOTE = (
    "Customer called twice about the same charge; she read her card 4111 1111 1111 1111 aloud and "
    "asked us to call +44 20 7946 0958 or write to someone@example.com. The billing screen showed "
    "one payment while the bank showed two; the refund form needs a manager after 14 days."
)


def clip_id(n: int) -> str:
    return hashlib.sha256(f"bench clip {n}".encode()).hexdigest()[:10]


def make_clip(n: int, day: str) -> Clip:
    cid = clip_id(n)
    return Clip(
        id=cid,
        sha256=hashlib.sha256(f"bench clip {n}".encode()).hexdigest(),
        kind="audio",
        title=f"Refund call {n}: charged twice after the plan change",
        source=f"call-{n}.mp3",
        media=f"clips/{cid}/original.mp3",
        byte_size=1_000_000,
        channel=CHANNELS[n % len(CHANNELS)],  # type: ignore[arg-type]
        submitted_by=PEOPLE[n % len(PEOPLE)].name,
        submitted_at=f"{day}T08:00:00+00:00",
        status="transcribed",
        duration=180.0 + n % 300,
        rep_view=RepView(needed="A refund", hard=NOTE, workaround="Escalated by hand", helped="partly", note=NOTE),
    )


def weekly(count: int, start: dt.date = dt.date(2017, 1, 2)) -> list[str]:
    return [(start + dt.timedelta(weeks=i)).isoformat() for i in range(count)]


def build_big_session(store: Store) -> str:
    """20 earlier sessions, then one with 50 clips, 200 gaps, 150 quotes, 60 ideas, 40 actions."""
    days = weekly(21, dt.date(2026, 7, 6))
    main = days[-1]
    with store.transaction() as tx:
        for i, day in enumerate(days[:-1]):
            tx.put(make_clip(10_000 + i, day))
            tx.put(Session(id=day, date=day, facilitator="Ana Lima", attendees=PEOPLE, clip_ids=[clip_id(10_000 + i)],
                           started_at=f"{day}T09:00:00+00:00", status="closed"))  # fmt: skip
        clips = [make_clip(n, main) for n in range(50)]
        for clip in clips:
            tx.put(clip)
        for g in range(200):
            links = [GapLink(clip_id(10_000 + i), days[i], 10.0 * i) for i in range(20) if (g + i) % 4 != 0]
            links += [GapLink(clips[(g + k) % 50].id, main, 5.0 * k, NOTE[:80]) for k in range(2)]
            tx.put(Gap(id=f"G-{g + 1}", category=CATEGORIES[g % 5], title=f"Gap {g}: refunds need a manager",
                       description=NOTE, severity=1 + g % 3, created_at=f"{days[0]}T09:00:00+00:00",
                       links=links))  # fmt: skip
        for i in range(60):
            tx.put(FixIdea(id=f"I-{i + 1}", text=f"Idea {i}: {NOTE[:90]}", gap_ids=[f"G-{i + 1}"], session_id=main,
                           votes={p.name: (i + k) % 3 for k, p in enumerate(PEOPLE)}, impact=1 + i % 3,
                           effort=1 + (i // 3) % 3, picked=i < 5))  # fmt: skip
        for i in range(40):
            earlier = i < 20
            tx.put(Action(id=f"A-{i + 1}", title=f"Action {i}: {NOTE[:60]}", owner=PEOPLE[i % 3].name,
                          due=days[-2] if earlier else "2027-01-01", session_id=days[-2] if earlier else main,
                          follow_ups=[FollowUp(main, ("done", "carried", "dropped")[i % 3], NOTE[:50])] if earlier else []))  # fmt: skip
        quotes = [Quote(clips[q % 50].id, float(q), q + 4.0, NOTE[:120], "customer") for q in range(150)]
        tx.put(Session(id=main, date=main, facilitator="Ana Lima", attendees=PEOPLE, clip_ids=[c.id for c in clips],
                       quotes=quotes, story_check=StoryCheck({p.name: NOTE[:60] for p in PEOPLE}, 70.0, ["refund"]),
                       started_at=f"{main}T09:00:00+00:00", status="closed"))  # fmt: skip
    return main


def build_history(store: Store, sessions: int = 500) -> None:
    """500 weekly sessions of 3 clips, 300 gaps seen across them, 1,500 actions, 2,000 ideas."""
    days = weekly(sessions)
    with store.transaction() as tx:
        for i, day in enumerate(days):
            ids = [clip_id(100_000 + 3 * i + k) for k in range(3)]
            for k in range(3):
                tx.put(make_clip(100_000 + 3 * i + k, day))
            tx.put(Session(id=day, date=day, facilitator="Ana Lima", attendees=PEOPLE, clip_ids=ids,
                           started_at=f"{day}T09:00:00+00:00", status="closed",
                           story_check=StoryCheck(cohesion=50.0 + i % 40) if i % 4 == 0 else None))  # fmt: skip
            for k in range(3):
                n = 3 * i + k
                tx.put(Action(id=f"A-{n + 1}", title=f"Action {n}", owner=PEOPLE[n % 3].name,
                              due=(dt.date.fromisoformat(day) + dt.timedelta(days=14)).isoformat(),
                              status=("open", "done", "dropped")[n % 3], session_id=day,
                              origin_kind="idea", origin_id=f"I-{n + 1}"))  # fmt: skip
            for k in range(4):
                n = 4 * i + k
                tx.put(FixIdea(id=f"I-{n + 1}", text=f"Idea {n}", gap_ids=[f"G-{n % 300 + 1}"], session_id=day,
                               votes={"Ana Lima": k}, picked=k == 0))  # fmt: skip
        for g in range(300):
            seen = [i for i in range(sessions) if (i * 7 + g) % 11 < 3]
            tx.put(Gap(id=f"G-{g + 1}", category=CATEGORIES[g % 5], title=f"Gap {g}", description=NOTE,
                       created_at=f"{days[0]}T09:00:00+00:00",
                       links=[GapLink(clip_id(100_000 + 3 * i), days[i]) for i in seen]))  # fmt: skip


def best_and_first(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times[0], min(times)


def command_time(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "listen", *args], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        ws1 = resolve_workspace(Path(tmp) / "big-session")
        start = time.perf_counter()
        main_id = build_big_session(Store(ws1))
        print(f"built a session with 50 clips and 200 gaps in {time.perf_counter() - start:.2f} s")
        for fmt in ("md", "html"):
            first, best = best_and_first(
                lambda fmt=fmt: export_minutes(Store(ws1), settings, ws1, main_id, fmt=fmt, options=MinutesOptions()),
                args.repeat,
            )
            print(f"  export {fmt:4}: first {first * 1000:6.0f} ms, best {best * 1000:6.0f} ms  (target < 1000 ms)")
        cli = command_time(["--workspace", str(ws1.root), "export", main_id], args.repeat)
        print(f"  `listen export` end to end (incl. Python start-up): median {cli * 1000:.0f} ms")

        ws2 = resolve_workspace(Path(tmp) / "history")
        start = time.perf_counter()
        build_history(Store(ws2))
        print(f"built 500 sessions (1,500 clips, 300 gaps, 1,500 actions, 2,000 ideas) in "
              f"{time.perf_counter() - start:.2f} s")  # fmt: skip
        today = ReportOptions(today=dt.date(2026, 11, 30))
        for fmt in ("md", "html"):
            first, best = best_and_first(
                lambda fmt=fmt: export_report(Store(ws2), settings, ws2, fmt=fmt, options=today), args.repeat
            )
            print(f"  report {fmt:4}: first {first * 1000:6.0f} ms, best {best * 1000:6.0f} ms  (target < 1000 ms)")
        cli = command_time(["--workspace", str(ws2.root), "report"], args.repeat)
        print(f"  `listen report` end to end (incl. Python start-up): median {cli * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
