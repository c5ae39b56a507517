"""The app on a workspace with a document of the wrong shape: it says which file and document cannot
be read, instead of "loading…" for ever (a real workspace, edited by hand as a user might)."""

from __future__ import annotations

import asyncio
import json

from textual.widgets import Static
from tui.builders import make_app, running

from listen.tui.screens.clip import ClipScreen


def notes_of(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_home_names_the_invalid_document_instead_of_loading(built) -> None:
    workspace, store, _ids = built
    gaps = workspace.db_dir / "gaps.json"
    data = json.loads(gaps.read_text())
    data["gaps"]["G-1"]["severity"] = "3"  # a string where a number belongs
    gaps.write_text(json.dumps(data))
    app = make_app(workspace, store)

    async def scenario() -> tuple[str, str, bool, list[str]]:
        async with running(app):
            banner = app.screen.query_one("#load-error", Static)
            waiting = app.screen.query_one("#waiting-body", Static)
            return str(banner.render()), str(waiting.render()), banner.display, notes_of(app)

    banner, waiting, shown, notes = asyncio.run(scenario())
    assert shown
    assert str(gaps) in banner and "gap G-1 is invalid" in banner and "severity" in banner
    assert "loading" not in waiting
    assert any(str(gaps) in note and "G-1" in note for note in notes)


def test_a_stored_value_quoted_in_an_error_is_not_markup(built) -> None:
    workspace, store, _ids = built
    gaps = workspace.db_dir / "gaps.json"
    data = json.loads(gaps.read_text())
    data["gaps"]["G-1"]["status"] = "[link=https://example.com]open[/link]"
    gaps.write_text(json.dumps(data))
    app = make_app(workspace, store)

    async def scenario() -> tuple[str, list[tuple[str, bool]]]:
        async with running(app):
            banner = str(app.screen.query_one("#load-error", Static).render())
            return banner, [(str(n.message), n.markup) for n in app._notifications]

    banner, notes = asyncio.run(scenario())
    assert "'[link=https://example.com]open[/link]'" in banner  # shown as typed
    quoted = [markup for message, markup in notes if "[link=https://example.com]" in message]
    assert quoted == [False]


def test_a_clip_with_an_invalid_transcript_says_so(built) -> None:
    workspace, store, ids = built
    clip_id = ids["refund-email.txt"]
    path = workspace.transcript_path(clip_id)
    path.write_text("[]")  # well-formed JSON of the wrong shape
    app = make_app(workspace, store)

    async def scenario() -> str:
        async with running(app) as pilot:
            app.push_screen(ClipScreen(clip_id))
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            return str(app.screen.query_one("#clip-facts", Static).render())

    facts = asyncio.run(scenario())
    assert "loading" not in facts
    assert str(path) in facts.replace("\n", "") and clip_id in facts
