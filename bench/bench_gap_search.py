"""The gap picker's keystroke cost at 2,000 gaps (issue 12: each keystroke < 16 ms).

Run: .venv/bin/python bench/bench_gap_search.py [--gaps 2000]
Two figures, for a sentence typed one key at a time ("Quick start guide leaves out the Bluetooth
menu step", then a refund one that matches many gaps):
- search: GapIndex.search for the text so far (the core, what every keystroke runs);
- picker update: the picker's own work for a keystroke on the UI thread (search + the new list);
- key to frame: from the key sent to the frame that shows the new list, in the real GapPicker
  screen (headless Textual: every frame is rendered as in a terminal, written nowhere). This one
  includes Textual's own key and refresh cadence, so it is also measured with 5 gaps: the
  difference is what the gaps cost.
Also the one-off cost of indexing the gaps (done when the picker opens).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TYPED = ("Quick start guide leaves out the Bluetooth menu step", "refund needs manager approval")
NOUNS = tuple(
    str.split(
        "refund courier parcel booking diary workshop till order history warranty receipt helmet chart "
        "battery display motor app pairing firmware price list stock website gift card deposit label "
        "printer queue phone line frame seatpost tyre wheel brake chain gear guide invoice discount "
        "voucher delivery address weekend portal tracking link manager approval e-mail confirmation "
        "service loan bike saddle lock light charger catalogue newsletter login password account"
    )
)
VERBS = tuple(
    str.split("expires needs loses skips hides drops refuses shows forgets blocks delays duplicates")
)
CATEGORIES = ("Policy", "Procedure", "Tool", "Product", "Knowledge")


def make_gaps(n: int):
    from listen.domain import Gap, GapLink

    rng = random.Random(12)
    gaps = []
    for i in range(n):
        a, b, c = rng.sample(NOUNS, 3)
        title = f"{a.capitalize()} {rng.choice(VERBS)} the {b} {c}"
        description = " ".join([*rng.sample(NOUNS, 8), rng.choice(VERBS), *rng.sample(NOUNS, 4)])
        links = [GapLink(clip_id=f"c{i}-{k}", session_id=f"s{k}") for k in range(1 + i % 4)]
        gaps.append(
            Gap(
                id=f"G-{i + 1}",
                category=CATEGORIES[i % 5],
                title=title,
                description=description,
                links=links,
                created_at=f"2026-{1 + i % 12:02d}-01T09:00:00+00:00",
            )
        )
    return gaps


def prefixes(text: str) -> list[str]:
    return [text[: k + 1] for k in range(len(text))]


def bench_search(gaps) -> tuple[float, list[float], list[float]]:
    from listen.session.gap_search import GapIndex

    start = time.perf_counter()
    index = GapIndex(gaps)
    built = time.perf_counter() - start
    index.search("warm up")
    costs, cpu = [], []
    for text in TYPED:
        for typed in prefixes(text):
            start, start_cpu = time.perf_counter(), time.thread_time()
            index.search(typed, limit=12)
            costs.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)
    return built, costs, cpu


async def bench_picker(gaps) -> tuple[list[float], list[float], list[float]]:
    from textual.app import App
    from textual.widgets import OptionList

    from listen.settings import Settings
    from listen.tui.screens.gap_picker import GapPicker

    class Host(App):
        pass

    app = Host()
    latencies: list[float] = []
    async with app.run_test(size=(120, 35)) as pilot:
        picker = GapPicker(gaps, Settings())
        app.push_screen(picker)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = picker.query_one("#gap-matches", OptionList)
        updates: list[float] = []
        cpu: list[float] = []
        refresh = picker._refresh_matches

        def timed_refresh(query: str) -> None:
            start, start_cpu = time.perf_counter(), time.thread_time()
            refresh(query)
            updates.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)

        picker._refresh_matches = timed_refresh  # type: ignore[method-assign]
        waiting: list[tuple[float, str]] = []
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if waiting and picker.shown_query == waiting[0][1]:
                latencies.append(time.perf_counter() - waiting.pop()[0])

        app._display = display
        for text in TYPED:
            await pilot.press("ctrl+a", "ctrl+k")
            await pilot.pause(0.05)
            for key, typed in zip(text, prefixes(text), strict=True):
                await pilot.pause(0.05)  # a person's moment between keys
                waiting.append((time.perf_counter(), typed))
                await pilot.press("space" if key == " " else key)
                for _ in range(200):
                    if not waiting:
                        break
                    await pilot.pause(0.002)
                waiting.clear()
        assert options.option_count >= 1
    return updates, cpu, latencies


def summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values) or [float("nan")]
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    median = statistics.median(ms)
    return f"median {median:6.2f} ms   p95 {p95:6.2f} ms   max {ms[-1]:6.2f} ms   (n={len(ms)})"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gaps", type=int, default=2000)
    args = parser.parse_args(argv)
    gaps = make_gaps(args.gaps)
    built, costs, cpu = bench_search(gaps)
    print(f"{args.gaps} gaps indexed in {built * 1000:.0f} ms (once, in a worker when the picker opens)")
    print(f"search per keystroke (target < 16 ms):         {summary(costs)}")
    print(f"  the same, CPU time:                          {summary(cpu)}")
    updates, cpu, latencies = asyncio.run(bench_picker(gaps))
    print(f"picker update per keystroke (target < 16 ms):  {summary(updates)}")
    print(f"  the same, CPU time of the UI thread:         {summary(cpu)}")
    print(f"key to new list on screen:                     {summary(latencies)}")
    _few_updates, _few_cpu, few_latencies = asyncio.run(bench_picker(gaps[:5]))
    print(f"key to new list on screen with 5 gaps:         {summary(few_latencies)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
