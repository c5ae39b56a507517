"""The app starts without the heavy libraries: speech engines and PyAV load only inside the
workers that need them. Checked in a fresh interpreter, as a user would start it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
HEAVY = ("faster_whisper", "ctranslate2", "torch", "whisper", "av")

SCRIPT = """
import asyncio, json, sys
from pathlib import Path
from tui.builders import build_workspace, make_app, settle

async def main():
    workspace, store, _ = build_workspace(Path(sys.argv[1]))
    app = make_app(workspace, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in "23456":
            await pilot.press(key)
            await settle(pilot)
        mounted = type(app.screen).__name__
    heavy = [name for name in {heavy!r} if name in sys.modules]
    print(json.dumps({{"mounted": mounted, "heavy": heavy}}))

asyncio.run(main())
"""


def test_no_heavy_import_when_the_app_runs(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=HEAVY), str(tmp_path / "ws")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["mounted"] == "MinutesScreen"
    assert result["heavy"] == []


def test_the_command_line_does_not_load_textual() -> None:
    code = "import sys, listen.cli; listen.cli.build_parser(); print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


PLOTTING = ("plotext", "textual_plotext")

TRENDS_SCRIPT = """
import asyncio, json, sys
from pathlib import Path
from tui.builders import build_workspace, make_app, settle

async def main():
    workspace, store, _ = build_workspace(Path(sys.argv[1]))
    app = make_app(workspace, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        at_start = [name for name in {plotting!r} if name in sys.modules]
        await pilot.press("7")
        await settle(pilot)
        mounted = type(app.screen).__name__
    on_trends = [name for name in {plotting!r} if name in sys.modules]
    print(json.dumps({{"mounted": mounted, "at_start": at_start, "on_trends": on_trends}}))

asyncio.run(main())
"""


def test_the_plotting_widget_loads_only_when_trends_opens(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    done = subprocess.run(
        [sys.executable, "-c", TRENDS_SCRIPT.format(plotting=PLOTTING), str(tmp_path / "ws")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["mounted"] == "TrendsScreen"
    assert result["at_start"] == []
    assert sorted(result["on_trends"]) == sorted(PLOTTING)
