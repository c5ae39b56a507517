"""Redaction benchmark (issue 13): throughput on 1 MB of transcript text, time on adversarial
strings up to n = 100,000 (linear: 10x the input takes about 10x the time), and the export of a
50-clip session whose texts are all 60 KB long.

Run: .venv/bin/python bench/bench_redact.py [--repeat 3] [--export-only]
Targets: 1 MB of text under 1 s of CPU; adversarial input linear; the 60 KB export in seconds, not
minutes. CPU time is printed beside wall time: on a shared machine the wall time grows with the load
(printed first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from listen.domain import Action, Attendee, Clip, FixIdea, Gap, GapLink, Quote, RepView, Session  # noqa: E402
from listen.minutes import MinutesOptions, ReportOptions, export_minutes, export_report  # noqa: E402
from listen.minutes.redact import redact  # noqa: E402
from listen.settings import Settings  # noqa: E402
from listen.store import Store  # noqa: E402
from listen.workspace import resolve_workspace  # noqa: E402

TRANSCRIPT = (
    "Agent: Thanks for calling Northwind, how can I help? Customer: I was charged twice for the "
    "March invoice, the refund of $340 took 14 days last time. Agent: Sorry about that. Can I have "
    "your e-mail? Customer: it's ana dot lima at gmail dot com, or ana.lima@example.co.uk at work. "
    "My phone is 5, 5, 5, 2, 1, 3, 4, 4, 8, 9 and the office is +44 20 7946 0958. Agent: and the "
    "card? Customer: 4111 1111 1111 1111, expiry 12/27. We met on 2026-11-23 at 14:30 and I live "
    "at 42 Baker Street, London. Order 1234 5678 9012 3456 7890 shipped; version 2.10.4 of the app "
    "crashed 3 times in 2 weeks. Agent: I have logged it as ticket 123456. "
)
CHAT = (
    "Agent: So the billing screen showed one payment while the bank showed two, and the refund form "
    "needs a manager after fourteen days. Customer: Right, and nobody told me that when I called the "
    "first time, I had to explain the whole story again to someone else who did not see my notes. "
    "Agent: I understand, that is frustrating, let me see what the system shows for your account. "
) * 3
ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "'x@' + 'a-'*n": lambda n: "x@" + "a-" * n,
    "'email ' + 'a dot '*n": lambda n: "email " + "a dot " * n,
    "'1'*n": lambda n: "1" * n,
    "'1 '*n": lambda n: "1 " * n,
    "'1-'*n": lambda n: "1-" * n,
    "'5, '*n": lambda n: "5, " * n,
    "'five '*n": lambda n: "five " * n,
    "'a' + ' '*n + 'b'": lambda n: "a" + " " * n + "b",
    "'42 ' + 'Baker '*n": lambda n: "42 " + "Baker " * n,
    "'a.'*n + 'com'": lambda n: "a." * n + "com",
    "'@'*n": lambda n: "@" * n,
    "'a and gmail.com '*n": lambda n: "a and gmail.com " * n,
    "'x underscore '*n + 'y.com'": lambda n: "x underscore " * n + "y.com",
    "'a at b.c '*n": lambda n: "a at b.c " * n,
}
SIZES = (1_000, 10_000, 100_000)


def vary(text: str, seed: int = 13, codes: bool = False) -> str:
    """Every number different, as in real transcripts (libphonenumber's work is per number, and
    redaction caches what it parsed: each repeat gets other numbers). The country code after a "+"
    stays as written (a business hears a few countries), unless ``codes``: then every digit is
    random, and a megabyte calls some two hundred countries (each one's metadata loaded, parsed)."""
    rng = random.Random(seed)

    def digit(m: re.Match[str]) -> str:
        return m.group(0) if m.group(0).startswith("+") else str(rng.randrange(10))

    return re.sub(r"\d" if codes else r"\+\d{1,3}|\d", digit, text)


def best(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The best (wall-clock, CPU) seconds of ``repeat`` runs."""
    runs = [timed(action) for _ in range(repeat)]
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU time is what a busy machine does not inflate)."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def sixty_kb(seed: int) -> str:
    """60 KB of a long e-mail thread or transcript: talk, with personal data every ~2 KB."""
    unit = CHAT * 4 + TRANSCRIPT
    return vary(f"({seed}) " + unit * (60_000 // len(unit) + 1))[:60_000]


def build_session(store: Store) -> str:
    """50 clips, each text field 60 KB (one title is an adversarial 60 KB e-mail subject)."""
    day = "2026-11-30"
    clips = []
    for n in range(50):
        cid = hashlib.sha256(f"bench redact {n}".encode()).hexdigest()[:10]
        title = ("x@" + "a-" * 30_000) if n == 0 else sixty_kb(n)
        clips.append(
            Clip(
                id=cid,
                sha256=hashlib.sha256(cid.encode()).hexdigest(),
                kind="text",
                title=title,
                source=f"mail-{n}.eml",
                media=f"clips/{cid}/original.eml",
                byte_size=60_000,
                channel="email",
                submitted_by="Ana Lima",
                submitted_at=f"{day}T08:00:00+00:00",
                status="transcribed",
                rep_view=RepView(
                    note=sixty_kb(n + 1),
                    needed=sixty_kb(n + 2),
                    hard=sixty_kb(n + 3),
                    workaround=sixty_kb(n + 4),
                    helped="partly",
                ),
            )
        )
    gaps = [
        Gap(
            id=f"G-{g + 1}",
            category="Tool",
            title=sixty_kb(g),
            description=sixty_kb(g + 1),
            links=[GapLink(clips[g].id, day, 12.0, sixty_kb(g + 2), f"{day}T09:00:00+00:00")],
        )
        for g in range(10)
    ]
    ideas = [FixIdea(id=f"I-{i + 1}", text=sixty_kb(i), session_id=day, picked=True) for i in range(5)]
    actions = [
        Action(id=f"A-{i + 1}", title=sixty_kb(i), owner="Ana Lima", due="2026-12-14", session_id=day)
        for i in range(5)
    ]
    session = Session(
        id=day, date=day, facilitator="Ana Lima", attendees=[Attendee("Ana Lima", "support")],
        clip_ids=[c.id for c in clips],
        quotes=[Quote(c.id, 1.0, 2.0, sixty_kb(i)) for i, c in enumerate(clips)],
        status="closed", started_at=f"{day}T09:00:00+00:00",
    )  # fmt: skip
    with store.transaction() as tx:
        for obj in [*clips, *gaps, *ideas, *actions, session]:
            tx.put(obj)
    return day


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--export-only", action="store_true", help="only the 50-clip export")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it)")

    redact("warm up: it is 415-555-2671")  # the phonenumbers import and its metadata, once
    if not args.export_only:
        throughput(args.repeat)
    export_figures()
    return 0


def throughput(repeat: int) -> None:
    cases = {
        "1 MB of plain talk, no digits": (CHAT, False),
        "1 MB of transcript, personal data every ~2 KB": (CHAT * 4 + TRANSCRIPT, False),
        "1 MB of transcript, personal data in every line": (TRANSCRIPT, False),
        "  the same, country codes random too": (TRANSCRIPT, True),
    }
    print(f"best of {repeat} runs; every number different (vary); target < 1 s of CPU for 1 MB")
    for name, (unit, codes) in cases.items():
        megabyte = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
        texts = [vary(megabyte, seed, codes) for seed in range(repeat)]
        runs = [timed(partial(redact, text)) for text in texts]
        wall, cpu = min(w for w, _ in runs), min(c for _, c in runs)
        print(f"{name:50}: cpu {cpu:.2f} s, wall {wall:.2f} s")

    print("\nadversarial input, CPU (best of runs; 10x n should take ~10x the time), and wall at n=100,000:")
    print(
        f"  {'input':28}"
        + "".join(f"{'n=' + format(n, ','):>14}" for n in SIZES)
        + f"{'100k/10k':>10}{'wall 100k':>12}"
    )
    for name, make in ADVERSARIAL.items():
        times = [best(partial(redact, make(n)), repeat) for n in SIZES]
        cpus = [cpu for _, cpu in times]
        ratio = cpus[2] / cpus[1] if cpus[1] > 0 else float("nan")
        print(
            f"  {name:28}"
            + "".join(f"{t * 1000:12.1f}ms" for t in cpus)
            + f"{ratio:10.1f}{times[2][0] * 1000:10.1f}ms"
        )


def export_figures() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workspace = resolve_workspace(Path(tmp) / "sixty-kb")
        session_id = build_session(Store(workspace))
        settings = Settings(region="US")
        print(
            "\n50-clip session, every text 60 KB (~20 MB, personal data every 2 KB, a title 'x@'+'a-'*30000):"
        )
        for fmt in ("md", "html"):

            def export(fmt: str = fmt) -> Path:
                options = MinutesOptions(as_of=dt.date(2026, 11, 30))
                return export_minutes(
                    Store(workspace), settings, workspace, session_id, fmt=fmt, options=options
                )

            wall, cpu = timed(export)
            print(f"  export {fmt:4}: {wall:.1f} s, cpu {cpu:.1f} s")
        report, report_cpu = timed(
            lambda: export_report(
                Store(workspace), settings, workspace, options=ReportOptions(today=dt.date(2026, 12, 1))
            )
        )
        print(f"  report md  : {report:.1f} s, cpu {report_cpu:.1f} s")


if __name__ == "__main__":
    raise SystemExit(main())
