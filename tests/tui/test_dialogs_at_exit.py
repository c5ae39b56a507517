"""Issue 12, nothing typed is lost: a note, an idea or a quote typed into its dialog is kept when
the app ends with the dialog open (ctrl+q here; a closed terminal ends the app the same way), as
Esc keeps it. Nothing is settled between the typing and ctrl+q."""

from __future__ import annotations

import asyncio

from tui.builders import add_open_session_at, make_app, running, settle
from tui.test_text_quotes import session_on_chat

from listen.tui.screens.modals import TextPrompt
from listen.tui.screens.quote_prompt import QuotePrompt


def quit_while_typing(app, *keys: str, opened: type) -> None:
    """Open the session screen (y), press the first key to open a dialog, type the rest, ctrl+q."""

    async def scenario() -> None:
        async with running(app, "y") as pilot:
            await pilot.press(keys[0])
            await settle(pilot)
            assert isinstance(app.screen, opened)
            await pilot.press(*keys[1:], "ctrl+q")

    asyncio.run(scenario())
    assert app.unsaved_at_exit == ()


def test_a_note_typed_then_ctrl_q_is_kept(built) -> None:
    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "ideas")
    quit_while_typing(make_app(workspace, store), "N", *"Ana calls the courier", opened=TextPrompt)
    assert store.session(session_id).notes == ["Ana calls the courier"]


def test_an_idea_typed_then_ctrl_q_is_kept(built) -> None:
    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "ideas")
    before = {i.id for i in store.ideas()}
    quit_while_typing(make_app(workspace, store), "i", *"Show the payment status", opened=TextPrompt)
    added = [i for i in store.ideas() if i.id not in before]
    assert [(i.text, i.session_id) for i in added] == [("Show the payment status", session_id)]


def test_an_untouched_note_is_not_saved_at_ctrl_q(built) -> None:
    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "ideas")
    quit_while_typing(make_app(workspace, store), "N", opened=TextPrompt)
    assert store.session(session_id).notes == []


def quote_then_quit(built, folder, *keys: str) -> list[str]:
    """On the Listen step of a chat, quote its second line, press ``keys`` then ctrl+q; returns
    the session's quotes."""
    workspace, store, _ids = built
    session_id = session_on_chat(store, folder)
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with running(app, "y") as pilot:
            await pilot.press("down", "q")
            await settle(pilot)
            assert isinstance(app.screen, QuotePrompt)
            await pilot.press(*keys, "ctrl+q")

    asyncio.run(scenario())
    assert app.unsaved_at_exit == ()
    return [q.text for q in store.session(session_id).quotes]


def test_a_quote_edited_then_ctrl_q_is_kept(built, tmp_path) -> None:
    said = "Sorry to hear that. The courier portal says it was delivered on Saturday."
    assert quote_then_quit(built, tmp_path, *" (twice)") == [f"{said} (twice)"]


def test_a_quote_left_untouched_at_ctrl_q_is_not_marked(built, tmp_path) -> None:
    assert quote_then_quit(built, tmp_path) == []
