"""The Trends screen: on the demo workspace (a copy), at 80x24 and 160x48; its range selector,
its key and palette entries, the way in from Home, and a gap's line opening the gap's ledger row."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tui.builders import make_app, settle

from listen.commands.demo import copy_demo, demo_source
from listen.store import Store
from listen.tui.commands import commands_in_scope
from listen.tui.screens.trends import CHART_IDS
from listen.tui.widgets.table import ListenTable
from listen.workspace import Workspace

SIZES = {"small": (80, 24), "large": (160, 48)}


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Workspace, Store]:
    workspace = Workspace(copy_demo(demo_source(), tmp_path / "demo"))
    return workspace, Store(workspace)


@pytest.mark.parametrize("size", SIZES)
def test_trends_snapshot_on_the_demo(snap_compare, demo, size: str) -> None:
    app = make_app(*demo)  # the clock is fixed: the weeks shown never move

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


def test_range_palette_home_button_and_opening_a_gap(demo) -> None:
    app = make_app(*demo)

    async def scenario() -> dict[str, object]:
        found: dict[str, object] = {}
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.click("#trends")  # the way in from Home
            await settle(pilot)
            screen = app.screen
            found["screen"] = type(screen).__name__
            found["commands"] = [c.name for c in commands_in_scope(screen)]
            found["system"] = [c.title for c in app.get_system_commands(screen)]
            found["weeks"] = [len(screen.data.trends.weeks)]  # type: ignore[attr-defined]
            for key in "wa":
                await pilot.press(key)
                await settle(pilot)
                found["weeks"].append(len(screen.data.trends.weeks))  # type: ignore[attr-defined]
            gaps = [s.key for s in screen.data.trends.gaps.series]  # type: ignore[attr-defined]
            found["gaps"] = gaps
            await pilot.press("enter")  # the first gap's line
            await settle(pilot)
            found["after"] = type(app.screen).__name__
            found["cursor"] = app.screen.query_one(ListenTable).current_key
        return found

    found = asyncio.run(scenario())
    assert found["screen"] == "TrendsScreen"
    assert {"Trends: 4 weeks", "Trends: 12 weeks", "Trends: All weeks"} <= set(found["commands"])  # type: ignore[arg-type]
    assert "Go to Trends" in found["system"]  # type: ignore[operator]
    twelve, four, everything = found["weeks"]  # type: ignore[misc]
    assert (twelve, four) == (12, 4) and 1 <= everything <= twelve
    gaps = found["gaps"]
    assert isinstance(gaps, list) and 1 <= len(gaps) <= 6  # the demo's gaps seen in 2+ sessions
    assert found["after"] == "GapsScreen" and found["cursor"] == gaps[0]


def test_trends_takes_what_home_read_and_still_shows_a_change_made_elsewhere(demo) -> None:
    """Home and Trends share the app's Reuses: opening Trends after Home makes no new object of an
    unchanged gap, session, action or clip (the same objects), while a gap renamed by another
    process in between is read anew and its new title is on the screen."""
    from listen.session import service

    workspace, store = demo
    app = make_app(workspace, store)

    async def scenario() -> dict[str, object]:
        found: dict[str, object] = {}
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            tables = ("gaps", "sessions", "actions", "clips")
            home = {t: {k: obj for k, (_, obj) in getattr(app.reuses, t).seen.items()} for t in tables}
            found["home_read"] = {t: len(home[t]) for t in tables}
            service.update_gap(Store(workspace), "G-1", title="Renamed in another window")
            await pilot.press("7")
            await settle(pilot)
            after = {t: {k: obj for k, (_, obj) in getattr(app.reuses, t).seen.items()} for t in tables}
            found["same"] = {
                t: all(after[t][k] is obj for k, obj in home[t].items() if (t, k) != ("gaps", "G-1"))
                for t in tables
            }
            found["renamed_is_new"] = after["gaps"]["G-1"] is not home["gaps"]["G-1"]
            series = app.screen.data.trends.gaps.series  # type: ignore[attr-defined]
            found["labels"] = [s.label for s in series]
        return found

    found = asyncio.run(scenario())
    assert all(count > 0 for count in found["home_read"].values())  # type: ignore[attr-defined]
    assert found["same"] == {"gaps": True, "sessions": True, "actions": True, "clips": True}
    assert found["renamed_is_new"] is True
    assert any("Renamed in another window" in label for label in found["labels"])  # type: ignore[attr-defined]


def test_trends_styles_follow_a_theme_change_after_it_opened(demo) -> None:
    """Trends hands its stylesheet to the app itself and counts as styled when made (no CSS
    refresh on the switch): its own rules are applied, and a later theme change still restyles it."""
    app = make_app(*demo)

    async def scenario() -> dict[str, object]:
        found: dict[str, object] = {}
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await pilot.press("7")
            await settle(pilot)
            screen = app.screen
            found["wide"] = screen.has_class("-wide")
            found["layout"] = screen.query_one("#trends-grid").styles.layout.name  # grid when wide
            found["head_height"] = screen.query_one("#trends-head").outer_size.height
            head_before = screen.query_one("#trends-head").styles.background
            app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
            await settle(pilot)
            found["head_changed"] = screen.query_one("#trends-head").styles.background != head_before
        return found

    found = asyncio.run(scenario())
    assert found["wide"] is True and found["layout"] == "grid"
    assert found["head_height"] == 1
    assert found["head_changed"] is True


def test_on_a_small_terminal_page_down_brings_the_charts_below_into_view(demo) -> None:
    """At 80x24 one chart fits; the gap list has the keyboard, yet PageDown reaches the others."""
    app = make_app(*demo)

    def in_view(screen, chart_id: str) -> bool:
        grid = screen.query_one("#trends-grid")
        chart = screen.query_one(f"#{chart_id}")
        return grid.region.overlaps(chart.region)

    async def scenario() -> list[list[bool]]:
        seen = []
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("7")
            await settle(pilot)
            screen = app.screen
            last = CHART_IDS[-1]
            seen.append([in_view(screen, "trend-gaps"), in_view(screen, last)])
            for _ in range(len(CHART_IDS) + 2):
                await pilot.press("pagedown")
            await settle(pilot)
            seen.append([in_view(screen, "trend-gaps"), in_view(screen, last)])
            await pilot.press("pageup", "pageup", "pageup", "pageup", "pageup", "pageup")
            await settle(pilot)
            seen.append([in_view(screen, "trend-gaps"), in_view(screen, last)])
        return seen

    first, paged, back = asyncio.run(scenario())
    assert first == [True, False]
    assert paged == [False, True]
    assert back == [True, False]
