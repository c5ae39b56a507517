"""`/` in the app: the same search, in a modal; a result opens the clip at that moment (audio
loaded and sought there), a gap on the Gaps screen. Real workspace, real store, real audio file
(no output device is needed: the clip loads and seeks without one)."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from search.documents import transcript_of
from tui.builders import build_workspace, make_app, running, settle

from listen.domain import Gap
from listen.ingest.submit import submit_file
from listen.tui.commands import commands_in_scope

SPEECH = Path(__file__).resolve().parent.parent / "fixtures" / "speech" / "austen-0870.flac"


def run(coro):
    return asyncio.run(coro)


def test_slash_finds_a_moment_and_opens_the_clip_there(tmp_path: Path) -> None:
    workspace, store, _ids = build_workspace(tmp_path / "ws")
    clip = submit_file(store, SPEECH, submitted_by="Ana", channel="phone", title="Saddle call").clip
    store.write_transcript(clip.id, transcript_of([(0.0, "hello there"), (2.5, "the saddle squeaks loudly")]))
    with store.transaction() as tx:
        tx.put(dataclasses.replace(clip, status="transcribed", has_transcript=True))
    app = make_app(workspace, store)

    async def scenario() -> dict[str, object]:
        seen: dict[str, object] = {}
        async with running(app, size=(110, 34)) as pilot:
            seen["palette"] = [c.name for c in commands_in_scope(app.screen)]
            await pilot.press("slash")
            await settle(pilot)
            seen["modal"] = type(app.screen).__name__
            await pilot.press(*"saddle squeak")
            await settle(pilot)
            seen["hits"] = [(h.kind, h.clip_id, h.at) for h in app.screen.hits]
            await pilot.press("down", "enter")
            await settle(pilot)
            screen = app.screen
            seen["screen"] = (type(screen).__name__, getattr(screen, "clip_id", None), screen.start_at)
            from listen.tui.widgets.player import PlayerPanel

            player = screen.query_one(PlayerPanel).player
            seen["position"] = None if player is None else player.position
        return seen

    seen = run(scenario())
    assert "App: Search everything" in seen["palette"]
    assert seen["modal"] == "SearchModal"
    assert seen["hits"][0] == ("segment", clip.id, 2.5)  # the words side by side, at their moment
    assert seen["screen"] == ("ClipScreen", clip.id, 2.5)
    assert seen["position"] is not None and abs(seen["position"] - 2.5) < 0.1  # the audio is ready there


def test_a_gap_result_opens_the_gaps_screen_on_it_and_escape_closes(tmp_path: Path) -> None:
    workspace, store, _ids = build_workspace(tmp_path / "ws")
    with store.transaction() as tx:
        for number in range(1, 9):
            tx.put(Gap(id=f"G-{90 + number}", category="Tool", title=f"Filler gap {number}"))
        hostile = "Bell \x1b[31m rusts \x1b[0m fast"
        tx.put(Gap(id="G-99", category="Tool", title=hostile, description="salt air"))
    app = make_app(workspace, store)

    async def scenario() -> dict[str, object]:
        seen: dict[str, object] = {}
        async with running(app, size=(110, 34)) as pilot:
            await pilot.press("ctrl+f", *"rusts")
            await settle(pilot)
            hits = app.screen.hits
            seen["hits"] = [(h.kind, h.ref) for h in hits]
            from textual.widgets import OptionList

            shown = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
            seen["shown"] = shown
            await pilot.press("enter")
            await settle(pilot)
            from listen.tui.widgets.table import ListenTable

            seen["mode"] = app.current_mode
            seen["gap"] = app.screen.query_one(ListenTable).current_key
            await pilot.press("slash")  # on Gaps, "/" filters the list; ctrl+f searches everything
            await settle(pilot)
            seen["after slash"] = type(app.screen).__name__
            await pilot.press("escape", "ctrl+f", "escape")
            await settle(pilot)
            seen["after escape"] = type(app.screen).__name__
        return seen

    seen = run(scenario())
    assert seen["hits"] == [("gap", "G-99")]
    assert "\x1b" not in seen["shown"] and "rusts" in seen["shown"]
    assert (seen["mode"], seen["gap"]) == ("gaps", "G-99")
    assert seen["after slash"] == "GapsScreen" and seen["after escape"] == "GapsScreen"
