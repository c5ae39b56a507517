"""Undo and edit in the app, driven by keys: untag a gap, delete a quote, edit a gap, undo a
merge, delete an idea, edit an action. Each is checked in the store and in the minutes."""

from __future__ import annotations

import asyncio

from tui.builders import add_open_session_at, make_app, settle

from listen.minutes import build_minutes
from listen.session import service
from listen.settings import load_settings
from listen.store import Store
from listen.tui.screens.gap_edit import GapEditModal
from listen.tui.screens.modals import ChoiceModal
from listen.tui.steps.ideas import IdeasStep
from listen.tui.steps.listen import ListenStep


def _minutes(workspace, session_id: str):
    return build_minutes(Store(workspace), load_settings(workspace.settings_path), session_id)


def test_untag_a_gap_and_delete_a_quote_in_the_listen_step(built) -> None:
    workspace, store, ids = built
    sid = add_open_session_at(store, ids, "listen")
    warranty = ids["warranty-email.txt"]
    service.mark_quote(store, sid, warranty, None, None, "a receipt we never sent")
    before = _minutes(workspace, sid)
    assert [g.gap_id for g in before.clips[0].gaps] == ["G-1"] and len(before.clips[0].quotes) == 1
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("y")  # resume at the first clip
            await settle(pilot)
            step = app.screen.step_view
            assert isinstance(step, ListenStep) and step.clip_id == warranty
            await pilot.press("x")
            await settle(pilot)
            assert isinstance(app.screen, ChoiceModal)
            await pilot.press("enter")  # G-1, the only gap tagged here
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            assert isinstance(app.screen, ChoiceModal)
            await pilot.press("enter")
            await settle(pilot)
            tags = str(step.query_one("#tags").render())
            assert "Quotes (0)" in tags and "Gaps (0)" in tags

    asyncio.run(scenario())
    fresh = Store(workspace)
    assert not any(k.session_id == sid and k.clip_id == warranty for k in fresh.gap("G-1").links)
    assert fresh.gap("G-1").links  # last week's link stays
    assert fresh.session(sid).quotes == []
    after = _minutes(workspace, sid)
    warranty_section = next(c for c in after.clips if c.clip_id == warranty)
    assert warranty_section.gaps == () and warranty_section.quotes == ()


def test_edit_a_gap_and_undo_a_merge_on_the_gaps_screen(built) -> None:
    workspace, store, ids = built
    sid = add_open_session_at(store, ids, "listen")
    service.merge_gaps(store, "G-1", "G-3")  # the product-page gap folded into the refund-tool gap
    assert [g.gap_id for grp in _minutes(workspace, sid).gap_groups for g in grp.gaps] == ["G-1"]
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("n", "4")  # no resume; the Gaps screen
            await settle(pilot)
            await pilot.press("slash", *"refund tool", "enter")
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            assert isinstance(app.screen, ChoiceModal)
            await pilot.press("enter")  # G-3, the only gap merged into G-1
            await settle(pilot)
            await pilot.press("slash", "ctrl+u", *"next-day", "enter")
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, GapEditModal)
            await pilot.press("ctrl+u", *"Product page promises a day the courier cannot keep")
            await pilot.press("shift+tab", "right")  # category: Product -> Knowledge
            await pilot.press("tab", "tab", "tab", "right")  # severity 2 -> 3
            await pilot.press("ctrl+s")
            await settle(pilot)

    asyncio.run(scenario())
    fresh = Store(workspace)
    g3 = fresh.gap("G-3")
    assert g3.merged_into is None
    assert (g3.title, g3.category, g3.severity) == (
        "Product page promises a day the courier cannot keep",
        "Knowledge",
        3,
    )
    assert fresh.gap("G-1").times_seen == 2  # last week's link and this week's: G-3's went back
    lines = {g.gap_id: g for grp in _minutes(workspace, sid).gap_groups for g in grp.gaps}
    assert set(lines) == {"G-1", "G-3"}
    assert (lines["G-3"].title, lines["G-3"].category) == (g3.title, "Knowledge")


def test_delete_an_idea_and_edit_an_action(built) -> None:
    workspace, store, ids = built
    sid = add_open_session_at(store, ids, "ideas")
    service.follow_up(store, sid, "A-1", "carried")
    app = make_app(workspace, store)
    ideas_before = [i.id for i in store.ideas(sid)]

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen.step_view, IdeasStep)
            await pilot.press("end", "delete")  # the last row
            await settle(pilot)
            await pilot.press("enter")  # the confirmation: Delete
            await settle(pilot)
            await pilot.press("5")
            await settle(pilot)
            await pilot.press("u", "ctrl+u", *"2026-11-10", "enter")  # before its session: refused
            await settle(pilot)
            assert type(app.screen).__name__ == "TextPrompt"
            await pilot.press("ctrl+u", *"2026-12-04", "enter")
            await settle(pilot)

    asyncio.run(scenario())
    fresh = Store(workspace)
    remaining = [i.id for i in fresh.ideas(sid)]
    assert len(remaining) == len(ideas_before) - 1
    assert fresh.action("A-1").due == "2026-12-04"
    minutes = _minutes(workspace, sid)
    assert {line.idea_id for line in minutes.ideas} == set(remaining)
    assert [(f.action_id, f.due) for f in minutes.follow_ups] == [("A-1", "2026-12-04")]


def test_a_key_in_the_gap_form_adds_to_the_title_and_description_never_replaces_them(built) -> None:
    """Entering a field of the gap form puts the cursor after its text, nothing selected: one key
    must not wipe a stored title (the form saves as you type, so it would be gone at once)."""
    workspace, store, _ids = built
    before = store.gap("G-1")
    assert before.title and before.description
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("4")  # the Gaps screen
            await settle(pilot)
            await pilot.press("slash", *before.title[:12], "enter")
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, GapEditModal)
            await pilot.press("Q", "tab", "Z", "shift+tab")  # title, description, back to the title
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)

    asyncio.run(scenario())
    after = Store(workspace).gap("G-1")
    assert after.title == before.title + "Q"
    assert after.description == before.description + "Z"
