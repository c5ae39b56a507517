"""Trends benchmark (issue 17): the Trends screen's open time and `listen report --format html`
with its charts, over 500 weekly sessions and 2,000 gaps (~12,000 links), 1,500 actions.

Run: .venv/bin/python bench/bench_trends.py [--repeat 5]
Targets: both under 1 s. The report is timed in-process on a fresh Store (as one command run) and
end to end (with Python start-up). The screen is timed headless (App.run_test, 160x48): from the
key press to the charts drawn, the first time (textual-plotext imported then) and again on "all
weeks" (~500 weeks per chart).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_minutes import (  # noqa: E402
    best_and_first,
    clip_id,
    command_time,
    make_gap,
    ms,
    put_week,
    weekly,
)

from listen.domain import GapLink  # noqa: E402
from listen.minutes import ReportOptions, export_report  # noqa: E402
from listen.settings import Settings  # noqa: E402
from listen.store import Store  # noqa: E402
from listen.tui.clock import Clock  # noqa: E402
from listen.workspace import resolve_workspace  # noqa: E402

SESSIONS, GAPS = 500, 2_000
TODAY = dt.date(2026, 11, 30)


def build(store: Store) -> None:
    """500 weekly sessions of 3 clips; 2,000 gaps, each seen in about 6 sessions; 1,500 actions."""
    days = weekly(SESSIONS, start=dt.date(2017, 3, 6))
    with store.transaction() as tx:
        for i, day in enumerate(days):
            for action in put_week(tx, i, day):
                if action.status != "open":
                    action.closed_at = f"{action.due}T12:00:00+00:00"
                tx.put(action)
        for g in range(GAPS):
            sessions = sorted({(g * 7 + 13 * k) % SESSIONS for k in range(6)})
            if g < 10:  # a few that come back every week for a while: the recurring ones
                sessions = sorted(set(sessions) | set(range(SESSIONS - 30 + g, SESSIONS)))
            links = [GapLink(clip_id(100_000 + 3 * i), days[i]) for i in sessions]
            tx.put(make_gap(g, links, days[0]))


async def trends_open(root: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    from listen.tui.app import ListenApp
    from listen.workspace import Workspace

    app = ListenApp(
        Workspace(root),
        clock=Clock.fixed(dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)),
        offer_resume=False,
    )

    async def shown(key: str) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        await pilot.press(key)
        while True:
            await pilot.pause()
            screen = app.screen
            data = getattr(screen, "data", None)
            if type(screen).__name__ == "TrendsScreen" and data is not None and data.range_key == want:
                await pilot.pause()  # drawn
                return time.perf_counter() - start, time.process_time() - cpu

    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(20):  # Home loads first (its workers may be replaced by newer ones)
            await pilot.pause()
        while any(not w.is_finished for w in app.workers):
            await pilot.pause()
        for _ in range(5):
            await pilot.pause()
        want = "12w"
        first = await shown("7")
        want = "all"
        everything = await shown("a")
    return first, everything


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if sys.flags.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE"):
        # no .pyc files: every `listen` run and the screen's first import compile their sources
        # (~0.4 s of CPU here), which an installed listen never does
        print("note: PYTHONDONTWRITEBYTECODE is set: the figures include compiling the sources")
    settings = Settings()
    options = ReportOptions(today=TODAY)
    with tempfile.TemporaryDirectory() as tmp:
        ws = resolve_workspace(Path(tmp) / "history")
        start = time.perf_counter()
        build(Store(ws))
        print(
            f"built {SESSIONS} sessions, {GAPS:,} gaps, 1,500 actions in {time.perf_counter() - start:.1f} s"
        )

        def report() -> Path:
            return export_report(Store(ws), settings, ws, fmt="html", options=options)

        first, best, cpu = best_and_first(report, args.repeat)
        page = report().read_text(encoding="utf-8")
        print(
            f"  report html with {page.count('<svg')} charts ({len(page) // 1024} KB): "
            f"first {ms(first)}, best {ms(best)}, cpu {ms(cpu)} (target < 1 s)"
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli = command_time(
            ["--workspace", str(ws.root), "report", "--format", "html", "--force"], args.repeat
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / args.repeat
        print(
            f"  `listen report --format html` end to end (incl. Python start-up): median {cli * 1000:.0f} ms,"
            f" cpu {cli_cpu * 1000:.0f} ms per run"
        )
        sys.stdout.flush()  # before Textual takes over the terminal, even a headless one
        opened, everything = asyncio.run(trends_open(ws.root))
        for what, (wall, cpu) in (
            ("first open (12 weeks, plotext imported)", opened),
            (f"all weeks ({SESSIONS}+ weeks per chart)", everything),
        ):
            print(f"  Trends screen, {what}: wall {ms(wall)}, cpu {ms(cpu)} (target < 1 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
