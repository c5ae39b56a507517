"""Drive a whole session by keyboard, as a facilitator would, then check the store and the minutes."""

from __future__ import annotations

import asyncio
import datetime as dt

from tui.builders import TODAY, make_app, settle, start_session

from listen.minutes import MinutesOptions, build_minutes, render_minutes
from listen.settings import load_settings
from listen.tui.screens.session import SessionScreen
from listen.tui.steps.decide import DecideStep
from listen.tui.steps.listen import ListenStep


def test_a_whole_session_by_keyboard(built) -> None:
    workspace, store, _ids = built
    app = make_app(workspace, store)
    session_id, first_clip = asyncio.run(run_the_session(app))
    check_the_store_and_minutes(workspace, store, session_id, first_clip)


async def run_the_session(app) -> tuple[str, str]:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Start: facilitator Ana, the three members ticked, the two waiting clips ticked.
        await start_session(pilot)
        assert isinstance(app.screen, SessionScreen)
        session_id = app.session_id
        assert session_id == TODAY.isoformat()

        # Follow up last week's action: done, with a note.
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("d")
        await pilot.press(*"shipped on the 19th", "enter")
        await settle(pilot)
        await pilot.press("up")  # back on the action just decided (the cursor moved on)
        await settle(pilot)
        detail = str(app.screen.step_view.query_one(".detail").render())
        assert "Decided: done: shipped on the 19th" in detail  # in full, though the table is narrow

        # Listen to the first clip: quote the second segment, link the known gap, tag a new one.
        await pilot.press("n")
        await settle(pilot)
        step = app.screen.step_view
        assert isinstance(step, ListenStep)
        first_clip = step.entry.clip_id
        await pilot.press("down", "q")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press(*"refund tool")
        await pilot.press("down", "enter")  # the first match: G-1, seen last week
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press(*"slot picker hides rural slots", "ctrl+n")
        await pilot.press("right")  # category: Policy -> Procedure
        await pilot.press("ctrl+s")
        await settle(pilot)

        # Second clip: nothing to tag; on to the ideas.
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("i")
        await pilot.press(*"Show the payment status to reps", "enter")
        await settle(pilot)
        await pilot.press("end", "i")  # the last row: the new gap
        await pilot.press(*"Offer rural slots on the product page", "enter")
        await settle(pilot)

        # Decide: Ana and Ben put a dot on the first idea, which is picked.
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen.step_view, DecideStep)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("right_square_bracket", "space")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)

        # Commit: Ben owns it, due in a week.
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"Ben", "enter", "enter")  # owner, then the default due date (+7d)
        await settle(pilot)

        # Skip the optional story check, close.
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.current_mode == "minutes"
    return session_id, first_clip


def check_the_store_and_minutes(workspace, store, session_id: str, first_clip: str) -> None:
    session = store.session(session_id)
    assert session.status == "closed"
    assert session.ended_at is not None
    assert [a.name for a in session.attendees] == ["Ana", "Ben", "Chloe"]
    assert len(session.clip_ids) == 2

    # The follow-up.
    followed = store.action("A-1")
    assert followed.status == "done"
    assert [(f.session_id, f.outcome, f.note) for f in followed.follow_ups] == [
        (session_id, "done", "shipped on the 19th")
    ]

    # The quote: the second segment of the first clip.
    transcript = store.transcript(first_clip)
    assert transcript is not None
    assert [(q.clip_id, q.text) for q in session.quotes] == [(first_clip, transcript.segments[1].text)]

    # The known gap was linked (now seen twice, in two sessions), the new one created.
    known = store.gap("G-1")
    assert known.times_seen == 2
    assert session_id in known.session_ids
    new = [g for g in store.gaps() if g.title == "slot picker hides rural slots"]
    assert len(new) == 1
    assert new[0].category == "Procedure"
    assert [(link.clip_id, link.session_id) for link in new[0].links] == [(first_clip, session_id)]
    assert len(store.gaps()) == 3  # linked, not duplicated

    # Ideas, votes, the pick.
    ideas = {i.text: i for i in store.ideas(session_id)}
    assert set(ideas) == {"Show the payment status to reps", "Offer rural slots on the product page"}
    voted = ideas["Show the payment status to reps"]
    assert voted.votes == {"Ana": 1, "Ben": 1}
    assert voted.picked
    assert voted.gap_ids == ["G-1"]
    assert ideas["Offer rural slots on the product page"].gap_ids == [new[0].id]

    # The action: no orphan.
    actions = [a for a in store.actions() if a.session_id == session_id]
    assert [(a.title, a.owner, a.due, a.origin_kind, a.origin_id) for a in actions] == [
        (
            "Show the payment status to reps",
            "Ben",
            (TODAY + dt.timedelta(days=7)).isoformat(),
            "idea",
            voted.id,
        )
    ]

    # The minutes say all of it.
    settings = load_settings(workspace.settings_path)
    markdown = render_minutes(build_minutes(store, settings, session_id, MinutesOptions(as_of=TODAY)), "md")
    assert "shipped on the 19th" in markdown
    # the quote, attributed to its sender by role (the segment holds the words, not "Customer: ...")
    quoted = transcript.segments[1]
    assert f"{quoted.speaker.capitalize()}: “{quoted.text[:30]}" in markdown
    assert "slot picker hides rural slots" in markdown
    assert "Refund tool hides the payment status" in markdown
    assert "Show the payment status to reps" in markdown
    assert "2026-11-30" in markdown
    assert "Ben" in markdown
