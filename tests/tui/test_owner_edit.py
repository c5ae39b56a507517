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


def test_someone_new_owning_an_action_of_the_open_session_joins_it_with_their_role(built) -> None:
    from tui.builders import TODAY, add_open_session_at

    from listen.session import service

    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "commit")
    action = service.commit_action(
        store,
        session_id=session_id,
        idea_id=None,
        title="Call the courier",
        owner="Ana",
        due="+7d",
        today=TODAY,
    )
    app = make_app(workspace, store)

    async def scenario() -> str:
        async with running(app, "y") as pilot:  # the open session resumed, then Actions
            app.switch_mode("actions")
            await settle(pilot)
            await pilot.press("down", "w")  # A-1 (due last week) comes first
            await settle(pilot)
            await pilot.press("ctrl+u", *"Zed", "enter")
            await settle(pilot)
            asked = str(app.screen.query_one(".label").render())
            await pilot.press(*"warehouse", "enter")
            await settle(pilot)
            return asked

    asked = asyncio.run(scenario())
    assert "adds Zed to the open session's people" in asked
    assert store.action(action.id).owner == "Zed"
    assert ("Zed", "warehouse") in [(a.name, a.role) for a in store.session(session_id).attendees]
    assert store.action("A-1").owner == "Chloe"


def test_someone_new_owning_an_action_of_a_closed_session_is_not_asked_for_a_role(built) -> None:
    workspace, store, _ids = built
    app = make_app(workspace, store)

    async def scenario() -> str:
        async with running(app, "5") as pilot:
            await pilot.press("w")
            await settle(pilot)
            await pilot.press("ctrl+u", *"Zed", "enter")
            await settle(pilot)
            return str(app.screen.query_one(".label").render())

    asked = asyncio.run(scenario())
    assert "that session is closed" in asked and "adds Zed" not in asked
