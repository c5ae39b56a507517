"""Issue 12, owners are people: the Actions screen's owner edit (w) takes a name as the Commit
step's form does: completed from the team, never a fragment, someone new asked about once."""

from __future__ import annotations

import asyncio

from tui.builders import make_app, running, settle


def edit_owner(built, *keys: str) -> tuple[str, list[str]]:
    """On the Actions screen, edit A-1's owner (Chloe, from last week's closed session): clear the
    field, press ``keys``; returns the stored owner and the screen shown at the end."""
    workspace, store, _ids = built
    app = make_app(workspace, store)

    async def scenario() -> list[str]:
        async with running(app, "5") as pilot:
            await pilot.press("w")
            await settle(pilot)
            await pilot.press("ctrl+u")
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            return [type(screen).__name__ for screen in app.screen_stack]

    stack = asyncio.run(scenario())
    return store.action("A-1").owner, stack


def test_a_fragment_typed_as_owner_is_completed_never_saved(built) -> None:
    owner, stack = edit_owner(built, "A", "enter")
    assert owner == "Ana"  # not "A"
    assert stack[-1] == "ActionsScreen"


def test_the_owner_completion_is_taken_with_tab_then_enter(built) -> None:
    owner, _stack = edit_owner(built, "b", "tab", "enter")
    assert owner == "Ben"


def test_a_name_nobody_has_is_asked_about_once_and_esc_keeps_the_old_owner(built) -> None:
    owner, stack = edit_owner(built, *"Zed", "enter")
    assert stack[-1] == "TextPrompt"  # "Someone new?"
    assert owner == "Chloe"
    owner, stack = edit_owner(built, *"Zed", "enter", "escape", "escape")
    assert owner == "Chloe" and stack[-1] == "ActionsScreen"


def test_a_new_person_confirmed_becomes_the_owner(built) -> None:
    owner, _stack = edit_owner(built, *"Zed", "enter", *"warehouse", "enter")
    assert owner == "Zed"


def test_an_emptied_owner_is_refused(built) -> None:
    owner, stack = edit_owner(built, "enter")
    assert owner == "Chloe" and stack[-1] == "PersonPrompt"
