"""Snapshots of each main screen at 80x24 and 160x48, on a fixed workspace with a fixed clock.

Review a changed snapshot before accepting it (pytest --snapshot-update): open the SVG report
pytest writes, or the .svg files under __snapshots__/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from tui.builders import add_open_session_at, make_app, settle, start_session

SIZES = {"small": (80, 24), "large": (160, 48)}


async def start_session_at_first_clip(pilot) -> None:
    await start_session(pilot)
    await pilot.press("n")
    await settle(pilot)
    await pilot.press("n", "y")  # yes, move on with last week's action undecided
    await settle(pilot)
    await pilot.press("down")


async def resume_at_decide(pilot) -> None:
    await pilot.press("y")  # the resume offer
    await settle(pilot)


def go(keys: str) -> Callable[[object], Awaitable[None]]:
    async def steps(pilot) -> None:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return steps


SCREENS: dict[str, Callable[[object], Awaitable[None]]] = {
    "home": go(""),
    "inbox": go("2"),
    "session": start_session_at_first_clip,
    "decide": resume_at_decide,
    "gaps": go("4"),
    "actions": go("5"),
    "minutes": go("6"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_snapshot(snap_compare, built, screen: str, size: str) -> None:
    workspace, store, ids = built
    if screen == "decide":
        add_open_session_at(store, ids, "decide")
    app = make_app(workspace, store)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await SCREENS[screen](pilot)
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
