"""`listen serve` on this machine: upload to "queued", many reps at once, idle CPU, memory per app tab.

Run: .venv/bin/python bench/bench_serve.py [--runs 3] [--idle-seconds 20] [--cross-tab-reps 10]
Targets (issue 14): a 10-minute MP3 uploaded to "queued" (transcription excluded) under 2 s;
10 reps uploading at once, every clip present; the server's idle CPU and the memory of each
connected app tab are reported.

How it measures: a real `listen serve` process on 127.0.0.1 (ephemeral port), real HTTP uploads
(urllib, multipart, as a browser sends them) of MP3s made here with PyAV; the upload servers run
--no-transcribe (transcription is not part of the figure). Idle CPU: the server's user + system
time (/proc/PID/stat) over the idle seconds divided by the wall time, with its transcription
worker on and nothing queued. Memory per tab: the resident memory of the server's descendant
processes after each app tab (a websocket to /app/ws) shows Home, on a copy of the demo.
Cross-tab: two tabs on the demo; one renames an action, key by key, the other shows it on Home;
from the write (db/actions.json's mtime) to the websocket frame that drew it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from tests.audio.media import noise_bursts, tone, write_media  # noqa: E402
from tests.serve.apptab import ENTER, Tab  # noqa: E402
from tests.serve.server import Browser, Server  # noqa: E402

RATE = 16000


def mp3(path: Path, seconds: float, freq: float) -> Path:
    samples = (0.5 * tone(seconds, RATE, freq=freq) + 0.5 * noise_bursts(seconds, RATE)).astype("float32")
    write_media(path, samples, RATE, "mp3")
    return path


def upload(server: Server, path: Path, by: str) -> tuple[float, str]:
    browser = Browser(server.url)
    page = browser.get("/")
    data = path.read_bytes()
    start = time.perf_counter()
    reply = browser.upload({"csrf": page.csrf(), "by": by}, path.name, data)
    took = time.perf_counter() - start
    return took, reply.message or f"status {reply.status}"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, []))
    return found


def descendants_rss_mb(pid: int) -> float:
    total = 0
    for child in descendants(pid):
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def tree_cpu_seconds(pid: int) -> float:
    total = 0.0
    for each in [pid, *descendants(pid)]:
        try:
            total += cpu_seconds(each)
        except OSError:
            continue
    return total


async def open_tab(server: Server) -> Tab:
    tab = await Tab.open(server.url)
    assert await tab.shows("Clips waiting", "Open actions", timeout=120), tab.screen.text
    return tab


async def cross_tab(server: Server, root: Path, reps: int) -> list[float]:
    """Two tabs on the demo: the first renames the first open action (Actions screen, typed key
    by key), the second shows the new title on Home; seconds from the write (db/actions.json
    replaced) to the frame that drew it, once a rename."""
    from listen.store import Store
    from listen.workspace import Workspace

    open_actions = [a for a in Store(Workspace(root)).actions() if a.status == "open"]
    action = sorted(open_actions, key=lambda a: (a.due or "9999", a.id))[0]
    editor, watcher = await open_tab(server), await open_tab(server)
    latencies = []
    try:
        await editor.key("5")
        assert await editor.shows("showing open only", timeout=60), editor.screen.text
        title = action.title
        for rep in range(reps):
            new = f"Quokka saddle refit {rep + 1}"
            await editor.retitle(title, new)
            title = new
            seen = watcher.expect(f"{action.id} {title}")
            await editor.key(ENTER)
            drawn = await asyncio.wait_for(seen, 60)
            latencies.append(drawn - (root / "db" / "actions.json").stat().st_mtime_ns / 1e9)
            await asyncio.sleep(0.5)
    finally:
        await editor.close()
        await watcher.close()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    parser.add_argument("--cross-tab-reps", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        tmp = Path(temp)
        media = tmp / "media"
        media.mkdir()
        long = [mp3(media / f"call-{i}.mp3", 600, 300 + 50 * i) for i in range(args.runs)]
        size = long[0].stat().st_size
        reps = [mp3(media / f"rep-{i}.mp3", 60, 500 + 37 * i) for i in range(10)]

        server = Server(tmp / "ws", "--no-transcribe", "--no-app")
        try:
            times, cpu = [], []
            for path in long:
                before = cpu_seconds(server.process.pid)
                took, message = upload(server, path, "Ana")
                cpu.append(cpu_seconds(server.process.pid) - before)
                assert "queued for transcription" in message, message
                times.append(took)
            print(f"10-minute MP3 ({size / 1e6:.1f} MB) to queued: median {statistics.median(times):.2f} s, "
                  f"max {max(times):.2f} s over {len(times)} runs (target < 2 s); the server's CPU time "
                  f"median {statistics.median(cpu):.2f} s; load {os.getloadavg()[0]:.1f}")  # fmt: skip
            start = time.perf_counter()
            with ThreadPoolExecutor(10) as pool:
                results = list(pool.map(lambda i: upload(server, reps[i], f"Rep {i}"), range(10)))
            wall = time.perf_counter() - start
            queued = sum("queued for transcription" in message for _, message in results)
            from listen.store import Store
            from listen.workspace import Workspace

            present = len(Store(Workspace(tmp / "ws")).clips())
            slowest = max(t for t, _ in results)
            print(f"10 reps at once (1-minute MP3s): {wall:.2f} s wall, slowest {slowest:.2f} s; "
                  f"{queued}/10 queued, {present} clips present (expected {len(long) + 10})")  # fmt: skip
        finally:
            server.stop()

        idle = Server(tmp / "idle")
        try:
            time.sleep(3)
            before, wall_start = cpu_seconds(idle.process.pid), time.perf_counter()
            time.sleep(args.idle_seconds)
            used = cpu_seconds(idle.process.pid) - before
            wall = time.perf_counter() - wall_start
            print(
                f"idle server (worker on, nothing queued): {100 * used / wall:.2f} % of one core "
                f"over {wall:.0f} s"
            )

        finally:
            idle.stop()

        demo = tmp / "demo"
        command = [sys.executable, "-m", "listen", "demo", "--copy-only", "--workspace", str(demo)]
        made = subprocess.run(command, capture_output=True, text=True)
        assert made.returncode == 0, made.stderr
        app = Server(demo, "--no-transcribe")
        try:

            async def tabs() -> None:
                base = descendants_rss_mb(app.process.pid)
                opened = []
                for n in (1, 2, 3):
                    opened.append(await open_tab(app))
                    await asyncio.sleep(1)
                    total = descendants_rss_mb(app.process.pid)
                    print(
                        f"app tabs open on the demo: {n}: {total - base:.0f} MB in their processes "
                        f"({(total - base) / n:.0f} MB a tab)"
                    )
                await asyncio.sleep(3)
                before, wall_start = tree_cpu_seconds(app.process.pid), time.perf_counter()
                await asyncio.sleep(args.idle_seconds)
                used = tree_cpu_seconds(app.process.pid) - before
                wall = time.perf_counter() - wall_start
                print(
                    f"idle with {len(opened)} app tabs open (the server and their processes): "
                    f"{100 * used / wall:.2f} % of one core over {wall:.0f} s"
                )
                for tab in opened:
                    await tab.close()
                latencies = await cross_tab(app, demo, args.cross_tab_reps)
                print(
                    f"cross-tab (a title typed in one tab, drawn on the other's Home, from the write): "
                    f"median {statistics.median(latencies):.3f} s, max {max(latencies):.3f} s over "
                    f"{len(latencies)} renames (target <= 2 s)"
                )

            asyncio.run(tabs())
        finally:
            app.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
