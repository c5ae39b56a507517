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
from typing import Any

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
PEOPLE = [
    Attendee("Ana Lima", "support lead"),
    Attendee("Ben Okafor", "support"),
    Attendee("Dev Patel", "billing"),
]
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
        rep_view=RepView(note=NOTE, needed="A refund", hard=NOTE, workaround="Escalated", helped="partly"),
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
            tx.put(make_session(day, [clip_id(10_000 + i)]))
        clips = [make_clip(n, main) for n in range(50)]
        for clip in clips:
            tx.put(clip)
        for g in range(200):
            links = [GapLink(clip_id(10_000 + i), days[i], 10.0 * i) for i in range(20) if (g + i) % 4]
            links += [GapLink(clips[(g + k) % 50].id, main, 5.0 * k, NOTE[:80]) for k in range(2)]
            tx.put(make_gap(g, links, days[0]))
        for i in range(60):
            votes = {p.name: (i + k) % 3 for k, p in enumerate(PEOPLE)}
            idea = FixIdea(
                f"I-{i + 1}", f"Idea {i}: {NOTE[:90]}", [f"G-{i + 1}"], session_id=main, votes=votes
            )
            idea.impact, idea.effort, idea.picked = 1 + i % 3, 1 + (i // 3) % 3, i < 5
            tx.put(idea)
        for i in range(40):
            earlier = i < 20
            action = Action(f"A-{i + 1}", f"Action {i}: {NOTE[:60]}", PEOPLE[i % 3].name, "2027-01-01")
            action.session_id = main
            if earlier:
                action.due, action.session_id = days[-2], days[-2]
                action.follow_ups = [FollowUp(main, ("done", "carried", "dropped")[i % 3], NOTE[:50])]
            tx.put(action)
        session = make_session(main, [c.id for c in clips])
        session.quotes = [
            Quote(clips[q % 50].id, float(q), q + 4.0, NOTE[:120], "customer") for q in range(150)
        ]
        session.story_check = StoryCheck({p.name: NOTE[:60] for p in PEOPLE}, 70.0, ["refund"])
        tx.put(session)
    return main


def make_session(day: str, clip_ids: list[str]) -> Session:
    return Session(
        id=day,
        date=day,
        facilitator="Ana Lima",
        attendees=PEOPLE,
        clip_ids=clip_ids,
        started_at=f"{day}T09:00:00+00:00",
        status="closed",
    )


def make_gap(g: int, links: list[GapLink], first_day: str) -> Gap:
    return Gap(
        id=f"G-{g + 1}",
        category=CATEGORIES[g % 5],
        title=f"Gap {g}: refunds need a manager",
        description=NOTE,
        severity=1 + g % 3,
        created_at=f"{first_day}T09:00:00+00:00",
        links=links,
    )


def put_week(tx: Any, i: int, day: str) -> list[Action]:
    """Week ``i`` of a long history: 3 clips heard in a session on ``day`` (a story check every
    4th week), and the session's 3 actions (open, done, dropped), returned for the caller to
    finish and put."""
    numbers = [100_000 + 3 * i + k for k in range(3)]
    for n in numbers:
        tx.put(make_clip(n, day))
    session = make_session(day, [clip_id(n) for n in numbers])
    if i % 4 == 0:
        session.story_check = StoryCheck(cohesion=50.0 + i % 40)
    tx.put(session)
    due = (dt.date.fromisoformat(day) + dt.timedelta(days=14)).isoformat()
    actions = []
    for k in range(3):
        n = 3 * i + k
        action = Action(f"A-{n + 1}", f"Action {n}", PEOPLE[n % 3].name, due, session_id=day)
        action.status = ("open", "done", "dropped")[n % 3]  # type: ignore[assignment]
        actions.append(action)
    return actions


def build_history(store: Store, sessions: int = 500) -> None:
    """500 weekly sessions of 3 clips, 300 gaps (~5,000 links), 1,500 actions, 2,000 ideas."""
    days = weekly(sessions)
    with store.transaction() as tx:
        for i, day in enumerate(days):
            for action in put_week(tx, i, day):
                n = int(action.id[2:]) - 1
                action.origin_kind, action.origin_id = "idea", f"I-{n + 1}"
                tx.put(action)
            for k in range(4):
                n = 4 * i + k
                idea = FixIdea(f"I-{n + 1}", f"Idea {n}", [f"G-{n % 300 + 1}"], session_id=day)
                idea.votes, idea.picked = {"Ana Lima": k}, k == 0
                tx.put(idea)
        # About 10 gaps tagged per session: 8 spread over the ledger, and 10 gaps that come back in
        # runs of 4 sessions every 20 (the recurring ones).
        seen: dict[int, set[int]] = {g: set() for g in range(300)}
        for i in range(sessions):
            for k in range(8):
                seen[(i * 8 + k) % 300].add(i)
            for g in range(10):
                if (i + 2 * g) % 20 < 4:
                    seen[g].add(i)
        for g in range(300):
            links = [GapLink(clip_id(100_000 + 3 * i), days[i]) for i in sorted(seen[g])]
            tx.put(make_gap(g, links, days[0]))


def best_and_first(action: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Wall time of the first run, best wall time, and best CPU time (robust to a busy machine)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return walls[0], min(walls), min(cpus)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:4.0f} ms"


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
    options = MinutesOptions()
    today = ReportOptions(today=dt.date(2026, 11, 30))
    with tempfile.TemporaryDirectory() as tmp:
        ws1 = resolve_workspace(Path(tmp) / "big-session")
        start = time.perf_counter()
        main_id = build_big_session(Store(ws1))
        print(f"built a session with 50 clips and 200 gaps in {time.perf_counter() - start:.2f} s")
        for fmt in ("md", "html"):

            def export(fmt: str = fmt) -> Path:
                return export_minutes(Store(ws1), settings, ws1, main_id, fmt=fmt, options=options)

            first, best, cpu = best_and_first(export, args.repeat)
            print(f"  export {fmt:4}: first {ms(first)}, best {ms(best)}, cpu {ms(cpu)} (target < 1 s)")
        cli = command_time(["--workspace", str(ws1.root), "export", main_id], args.repeat)
        print(f"  `listen export` end to end (incl. Python start-up): median {cli * 1000:.0f} ms")

        ws2 = resolve_workspace(Path(tmp) / "history")
        start = time.perf_counter()
        build_history(Store(ws2))
        took = time.perf_counter() - start
        print(f"built 500 sessions (1,500 clips, 300 gaps, 5k links, 1,500 actions, 2k ideas): {took:.1f} s")
        for fmt in ("md", "html"):

            def report(fmt: str = fmt) -> Path:
                return export_report(Store(ws2), settings, ws2, fmt=fmt, options=today)

            first, best, cpu = best_and_first(report, args.repeat)
            print(f"  report {fmt:4}: first {ms(first)}, best {ms(best)}, cpu {ms(cpu)} (target < 1 s)")
        cli = command_time(["--workspace", str(ws2.root), "report"], args.repeat)
        print(f"  `listen report` end to end (incl. Python start-up): median {cli * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
