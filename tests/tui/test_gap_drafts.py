"""Issue 12, point 2, for gaps: every field of the gap form is saved as it is typed.

A new gap is a draft kept in the session (per clip) until it is created: Esc, then g again, brings
it back; creating the gap takes the draft away, and an emptied form is no draft. An existing gap's
edits reach the store as they are made (Tab, Esc), without ctrl+s or Enter."""

from __future__ import annotations

import asyncio

from textual.widgets import Input
from tui.builders import add_open_session_at, make_app, settle

from listen.session import service
from listen.store import Store
from listen.tui.screens.gap_edit import GapEditModal
from listen.tui.screens.gap_picker import GapPicker
from listen.tui.steps.listen import ListenStep
from listen.tui.widgets.choice import ChoiceRow


def run(coro):
    return asyncio.run(coro)


def test_a_new_gap_typed_then_left_with_esc_is_back_when_g_is_pressed_again(built) -> None:
    workspace, store, ids = built
    sid = add_open_session_at(store, ids, "listen")
    warranty = ids["warranty-email.txt"]
    app = make_app(workspace, store)
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("y")  # resume at the first clip
            await settle(pilot)
            assert isinstance(app.screen.step_view, ListenStep)
            await pilot.press("g")
            await settle(pilot)
            await pilot.press("ctrl+n")  # describe a new gap
            await settle(pilot)
            await pilot.press("right", "right")  # category: the third one
            await pilot.press("tab", *"Warranty needs a receipt we never send", "tab", *"half typed")
            await pilot.press("escape", "escape")  # back to the search, then out
            await settle(pilot)
            seen["closed"] = not isinstance(app.screen, GapPicker)
            seen["stored"] = Store(workspace).session(sid).gap_drafts.get(warranty)
            await pilot.press("g")
            await settle(pilot)
            picker = app.screen
            assert isinstance(picker, GapPicker)
            seen["form"] = picker.query_one("#new-gap-form").display
            seen["title"] = picker.query_one("#gap-title", Input).value
            seen["description"] = picker.query_one("#gap-description", Input).value
            seen["category"] = picker.query_one("#gap-category", ChoiceRow).value
            await pilot.press("ctrl+s")  # now create it
            await settle(pilot)

    run(scenario())
    categories = load_categories(workspace)
    assert seen["closed"]
    assert seen["stored"] is not None
    assert seen["stored"]["title"] == "Warranty needs a receipt we never send"  # type: ignore[index]
    assert seen["form"] is True
    assert seen["title"] == "Warranty needs a receipt we never send"
    assert seen["description"] == "half typed"
    assert seen["category"] == categories[2]
    fresh = Store(workspace)
    made = [g for g in fresh.gaps() if g.title == "Warranty needs a receipt we never send"]
    assert len(made) == 1 and made[0].description == "half typed" and made[0].category == categories[2]
    assert fresh.session(sid).gap_drafts == {}  # the draft became the gap


def test_emptying_the_form_takes_the_draft_away(built) -> None:
    workspace, store, ids = built
    sid = add_open_session_at(store, ids, "listen")
    warranty = ids["warranty-email.txt"]
    fields = {
        "category": "Tool",
        "title": "Half a thought",
        "description": "",
        "severity": "2",
        "verdict": "",
    }
    service.save_gap_draft(store, sid, warranty, fields)
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            await pilot.press("g")
            await settle(pilot)
            assert isinstance(app.screen, GapPicker)
            assert app.screen.query_one("#gap-title", Input).value == "Half a thought"
            await pilot.press("ctrl+u", "escape", "escape")
            await settle(pilot)

    run(scenario())
    assert Store(workspace).session(sid).gap_drafts == {}
    assert not [g for g in Store(workspace).gaps() if g.title == "Half a thought"]


async def edit_a_gap(pilot, *filter_keys: str) -> GapEditModal:
    """From the app's start: no resume, the Gaps screen (filtered by ``filter_keys``), e."""
    await settle(pilot)
    await pilot.press("n", "4")  # no resume; the Gaps screen
    await settle(pilot)
    if filter_keys:
        await pilot.press("slash", *filter_keys, "enter")
        await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, GapEditModal)
    return modal


def test_an_existing_gaps_edits_reach_the_store_without_enter(built) -> None:
    workspace, store, ids = built
    add_open_session_at(store, ids, "listen")
    app = make_app(workspace, store)
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            modal = await edit_a_gap(pilot, *"next-day")
            gap_id = modal.gap.id
            seen["id"] = gap_id
            await pilot.press("ctrl+u", *"Product page promises a day the courier cannot keep")
            seen["pending"] = modal.autosave._timer is not None  # saved once typing pauses...
            await pilot.press("tab")  # ...or at once when the field is left
            await settle(pilot)
            seen["after_tab"] = Store(workspace).gap(gap_id).title
            await pilot.press(*"Slots run out by noon")
            await pilot.press("escape")  # closes, keeping what was typed
            await settle(pilot)
            seen["closed"] = not isinstance(app.screen, GapEditModal)

    run(scenario())
    gap = Store(workspace).gap(str(seen["id"]))
    assert seen["pending"] is True
    assert seen["after_tab"] == "Product page promises a day the courier cannot keep"
    assert seen["closed"]
    assert gap.title == "Product page promises a day the courier cannot keep"
    assert gap.description.endswith("Slots run out by noon")


def test_an_emptied_title_is_not_saved_and_the_form_says_so(built) -> None:
    workspace, store, ids = built
    add_open_session_at(store, ids, "listen")
    app = make_app(workspace, store)
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            modal = await edit_a_gap(pilot)
            seen["id"], seen["title"] = modal.gap.id, modal.gap.title
            await pilot.press("ctrl+u", "tab")
            await settle(pilot)
            seen["problem"] = str(modal.query_one("#gap-problem").render())
            await pilot.press("escape")
            await settle(pilot)

    run(scenario())
    assert Store(workspace).gap(str(seen["id"])).title == seen["title"]
    assert "needs a title" in str(seen["problem"])


def load_categories(workspace) -> list[str]:
    from listen.settings import load_settings

    return list(load_settings(workspace.settings_path).gap_categories)
