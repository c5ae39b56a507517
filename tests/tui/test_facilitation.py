"""Issue 12 in the app: what a facilitator types is kept, owners are people, notes reach the minutes."""

from __future__ import annotations

import asyncio

from tui.builders import add_open_session_at, make_app, running, settle

from listen.session import service
from listen.tui.steps.story import StoryStep


def run(coro):
    return asyncio.run(coro)


def test_story_answers_typed_with_tab_and_esc_between_them_are_saved(built) -> None:
    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "story")
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with running(app, "y") as pilot:
            assert isinstance(app.screen.step_view, StoryStep)
            await pilot.press("a", *"We fix it the same day", "tab", *"Same day repairs")
            await pilot.press("escape")
            await settle(pilot)

    run(scenario())
    check = store.session(session_id).story_check
    assert check is not None
    assert check.answers == {"Ana": "We fix it the same day", "Ben": "Same day repairs"}


def test_enter_moves_on_without_selecting_the_next_persons_answer(built) -> None:
    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "story")
    service.save_story_check(store, session_id, {"Ben": "Parts in stock"})
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with running(app, "y") as pilot:
            await pilot.press("a", *"Same day", "enter", *" and fitted")
            await settle(pilot)
            app.switch_mode("home")  # leaving the screen keeps what was typed
            await settle(pilot)

    run(scenario())
    check = store.session(session_id).story_check
    assert check is not None
    assert check.answers == {"Ana": "Same day", "Ben": "Parts in stock and fitted"}


def test_an_answer_typed_just_before_quitting_is_saved(built) -> None:
    """Quit (ctrl+q) right after typing, before the autosave's pause has passed: the step's fields
    are gone when it unmounts, yet what was typed is written before the app ends."""
    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "story")
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with running(app, "y") as pilot:
            await pilot.press("a", *"Same day", "tab", *"Parts in stock")
            await pilot.press("ctrl+q")

    run(scenario())
    assert app.unsaved_at_exit == ()
    check = store.session(session_id).story_check
    assert check is not None
    assert check.answers == {"Ana": "Same day", "Ben": "Parts in stock"}


def test_a_session_note_left_with_esc_is_kept_and_reaches_the_exported_minutes(built) -> None:
    import subprocess
    import sys

    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "ideas")
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with running(app, "y") as pilot:
            await pilot.press("N")
            await settle(pilot)
            await pilot.press(*"Ana will call <b>the courier</b> | ana@example.com", "escape")
            await settle(pilot)
            await pilot.press("N")  # Esc on an untouched note cancels: nothing added
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)

    run(scenario())
    assert store.session(session_id).notes == ["Ana will call <b>the courier</b> | ana@example.com"]
    for fmt in ("md", "html"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "listen",
                "--workspace",
                str(workspace.root),
                "export",
                session_id,
                "--format",
                fmt,
                "-o",
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "Session notes" in done.stdout
        assert "the courier" in done.stdout and "ana@example.com" not in done.stdout  # redacted
        assert "<b>the courier" not in done.stdout  # escaped, in Markdown and HTML alike


def commit_with_owner(built, *keys: str) -> tuple[list, list]:
    """At the Commit step, open the action form on the picked idea and press ``keys``."""
    from listen.tui.steps.commit import CommitStep

    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "commit")
    service.add_attendee(store, session_id, "Leo Berg", "workshop")
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with running(app, "y") as pilot:
            assert isinstance(app.screen.step_view, CommitStep)
            await pilot.press("enter")
            await settle(pilot)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)

    run(scenario())
    actions = [a for a in store.actions() if a.session_id == session_id]
    return actions, store.session(session_id).attendees


def test_owner_completion_is_accepted_with_tab(built) -> None:
    actions, _people = commit_with_owner(built, "L", "e", "tab", "ctrl+s")
    assert [a.owner for a in actions] == ["Leo Berg"]


def test_owner_completion_is_accepted_with_enter(built) -> None:
    actions, _people = commit_with_owner(built, "c", "h", "enter", "enter")  # the name, then the due date
    assert [a.owner for a in actions] == ["Chloe"]


def test_an_owner_fragment_is_never_saved(built) -> None:
    # "Le" with ctrl+s at once: the completion is taken, never the fragment
    actions, _people = commit_with_owner(built, "L", "e", "ctrl+s")
    assert [a.owner for a in actions] == ["Leo Berg"]


def test_a_name_nobody_has_is_asked_about_and_esc_goes_back_to_it(built) -> None:
    actions, _people = commit_with_owner(built, *"Zed", "ctrl+s", "escape", "escape")
    assert actions == []


def test_a_name_nobody_has_can_be_a_new_person_with_a_role(built) -> None:
    actions, people = commit_with_owner(built, *"Zed", "ctrl+s", *"warehouse", "enter")
    assert [a.owner for a in actions] == ["Zed"]
    assert ("Zed", "warehouse") in [(p.name, p.role) for p in people]


def test_the_facilitator_is_completed_and_a_new_one_is_asked_about(built) -> None:
    workspace, store, _ids = built

    async def scenario(*keys: str) -> None:
        app = make_app(workspace, store)
        async with running(app) as pilot:
            await pilot.press("s")
            await settle(pilot)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)

    run(scenario("C", "h", "ctrl+s"))
    (session,) = store.sessions()[-1:]
    assert session.facilitator == "Chloe"  # "Ch" was never saved


def test_a_new_facilitator_is_added_with_a_role(built) -> None:
    workspace, store, _ids = built

    async def scenario() -> None:
        app = make_app(workspace, store)
        async with running(app) as pilot:
            await pilot.press("s")
            await settle(pilot)
            await pilot.press(*"Zoe", "ctrl+s")
            await settle(pilot)
            await pilot.press(*"trainer", "enter")
            await settle(pilot)

    run(scenario())
    session = store.sessions()[-1]
    assert session.facilitator == "Zoe"
    assert ("Zoe", "trainer") in [(a.name, a.role) for a in session.attendees]


def open_at_decide_with_every_dot_in_hand(store, ids) -> str:
    """A session open at its Decide step, no dot placed yet."""
    session_id = add_open_session_at(store, ids, "decide")
    for idea in store.ideas(session_id):
        for who, count in idea.votes.items():
            for _ in range(count):
                service.cast_vote(store, idea.id, who, -1)
    return session_id


def row_order(app) -> list[str]:
    """The Decide step's rows, top to bottom, by idea id."""
    from listen.tui.steps.decide import DecideStep
    from listen.tui.widgets.table import ListenTable

    step = app.screen.step_view
    assert isinstance(step, DecideStep)
    table = step.query_one(ListenTable)
    return [str(table.coordinate_to_cell_key((n, 0)).row_key.value) for n in range(table.row_count)]


def test_votes_land_on_the_intended_idea_while_the_rows_stay_in_place(built) -> None:
    workspace, store, ids = built
    session_id = open_at_decide_with_every_dot_in_hand(store, ids)
    app = make_app(workspace, store)

    async def scenario() -> tuple[list[str], list[str], list[str]]:
        async with running(app, "y") as pilot:
            before = row_order(app)
            await pilot.press("down", "down", "space")  # Ana's dot on the third idea
            await settle(pilot)
            after_dot = row_order(app)
            await pilot.press("down", "right_square_bracket", "space")  # Ben's, on the one below it
            await settle(pilot)
            await pilot.press("r")  # sorted on request
            await settle(pilot)
            return before, after_dot, row_order(app)

    before, after_dot, sorted_rows = run(scenario())
    assert after_dot == before  # the dot moved no row
    votes = {i.id: i.votes for i in store.ideas(session_id)}
    assert votes[before[2]] == {"Ana": 1}
    assert votes[before[3]] == {"Ben": 1}
    assert set(sorted_rows[:2]) == {before[2], before[3]}  # r puts the dotted ideas first


def test_another_windows_write_mid_vote_moves_no_row_and_its_new_idea_goes_last(built) -> None:
    """A reload while voting (another window's dots and idea, noticed by the watcher) keeps the
    rows and the cursor where they are (before the first dot a reload still ranks: the whole-session
    flow test, whose own ideas land after the step is shown)."""
    workspace, store, ids = built
    session_id = open_at_decide_with_every_dot_in_hand(store, ids)
    app = make_app(workspace, store)

    async def scenario() -> tuple[list[str], list[str], str, str]:
        async with running(app, "y") as pilot:
            before = row_order(app)
            await pilot.press("down", "down", "space")  # Ana's dot on the third idea
            await settle(pilot)
            # Another window: two dots on the lowest of this session's ideas, and a new idea.
            lowest = [i for i in before if i in own and i != before[2]][-1]
            for who in ("Ben", "Chloe"):
                service.cast_vote(store, lowest, who)
            service.add_idea(store, session_id=session_id, text="Call back within the hour")
            app.screen.outside_change(frozenset({"ideas"}))  # what the watcher reports
            await settle(pilot)
            after_reload = row_order(app)
            await pilot.press("i")  # an impact score: still on the third row's idea
            await settle(pilot)
            current = str(app.screen.step_view.query_one("#vote-table").current_key)
            return before, after_reload, current, lowest

    own = {idea.id for idea in store.ideas(session_id)}
    impacts = {idea.id: idea.impact for idea in store.ideas(session_id)}
    before, after_reload, current, lowest = run(scenario())
    assert before.index(lowest) > 2  # below the cursor: a re-rank would lift it over the third row
    assert after_reload[: len(before)] == before  # nothing moved, though a low row has more dots
    assert len(after_reload) == len(before) + 1  # the new idea, last
    assert current == before[2]
    ideas = {i.id: i for i in store.ideas(session_id)}
    assert ideas[before[2]].votes == {"Ana": 1}
    assert ideas[before[2]].impact != impacts.get(before[2])  # the score landed on the intended idea
    assert [i for i in ideas if ideas[i].impact != impacts.get(i)] == [before[2]]
    votes = {i: ideas[i].votes for i in ideas}
    assert votes[lowest] == {"Ben": 1, "Chloe": 1}


def test_carry_forward_asks_for_a_new_due_date_a_week_after_the_session(built) -> None:
    import datetime as dt

    from tui.builders import TODAY, open_carry_forward

    workspace, store, _ids = built
    app = make_app(workspace, store)

    async def scenario() -> str:
        async with running(app) as pilot:
            await open_carry_forward(pilot)
            echo = str(app.screen.query_one("#due-resolved").render())
            await pilot.press("enter", *"courier answers Monday", "enter")
            await settle(pilot)
            return echo

    echo = run(scenario())
    week_later = TODAY + dt.timedelta(days=7)
    assert echo == f"due {week_later:%A %d %B %Y}"  # the default, echoed
    action = store.action("A-1")
    assert action.status == "open" and action.due == week_later.isoformat()
    assert [(f.outcome, f.note) for f in action.follow_ups] == [("carried", "courier answers Monday")]


def test_moving_on_with_an_undecided_action_asks_once_and_the_minutes_say_not_discussed(built) -> None:
    from tui.builders import TODAY, start_session

    from listen.minutes import MinutesOptions, build_minutes, render_minutes
    from listen.settings import load_settings
    from listen.tui.screens.modals import ConfirmModal
    from listen.tui.steps.follow_up import FollowUpStep

    workspace, store, _ids = built
    app = make_app(workspace, store)

    async def scenario() -> tuple[bool, bool, str]:
        async with running(app) as pilot:
            await start_session(pilot)
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("n")  # A-1 undecided: asked
            await settle(pilot)
            asked = isinstance(app.screen, ConfirmModal)
            await pilot.press("escape")  # no: stay
            await settle(pilot)
            stayed = isinstance(app.screen.step_view, FollowUpStep)
            await pilot.press("n")  # asked once only: this time it moves on
            await settle(pilot)
            return asked, stayed, type(app.screen.step_view).__name__

    asked, stayed, now = run(scenario())
    assert asked and stayed and now == "ListenStep"
    session_id = TODAY.isoformat()
    settings = load_settings(workspace.settings_path)
    markdown = render_minutes(build_minutes(store, settings, session_id, MinutesOptions(as_of=TODAY)))
    assert "not discussed" in markdown.split("## Follow-up of earlier actions", 1)[1].split("##", 1)[0]


def test_a_due_date_before_the_session_is_refused_and_the_complaint_clears(built) -> None:
    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "commit")
    app = make_app(workspace, store)

    async def scenario() -> tuple[str, str, str]:
        async with running(app, "y") as pilot:
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press(*"Ben", "enter", "ctrl+a", "ctrl+k", *"2020-01-01")
            await settle(pilot)
            echo = str(app.screen.query_one("#due-resolved").render())
            await pilot.press("ctrl+s")
            await settle(pilot)
            problem = str(app.screen.query_one("#problem").render())
            once = "before the session" not in str(app.screen.query_one("#due-resolved").render())
            await pilot.press("ctrl+a", "ctrl+k", *"+7d")
            await settle(pilot)
            return echo, problem, str(app.screen.query_one("#problem").render()), once

    echo, problem, cleared, once = run(scenario())
    assert "before the session" in echo and "before the session" in problem
    assert once  # the refusal says why once: the echo line makes way for it
    assert cleared.strip() == ""
    assert [a for a in store.actions() if a.session_id == session_id] == []


def test_the_actions_screens_due_date_echoes_the_day_and_refuses_a_past_one(built) -> None:
    workspace, store, _ids = built
    app = make_app(workspace, store)
    before = store.action("A-1").due

    async def scenario() -> tuple[str, str]:
        async with running(app, "5") as pilot:
            await pilot.press("u")
            await settle(pilot)
            await pilot.press("ctrl+a", "ctrl+k", *"next friday")
            await settle(pilot)
            echo = str(app.screen.query_one("#hint").render())
            await pilot.press("ctrl+a", "ctrl+k", *"2020-01-01", "enter")
            await settle(pilot)
            refused = str(app.screen.query_one("#problem").render())
            hint = str(app.screen.query_one("#hint").render())
            await pilot.press("ctrl+a", "ctrl+k", *"friday", "ctrl+s")  # ctrl+s saves as enter does
            await settle(pilot)
            return echo, refused, hint

    echo, problem, hint = run(scenario())
    assert echo == "due Friday 04 December 2026"  # TODAY is Monday 2026-11-23 in these tests
    assert "2020-01-01 is before" in problem and "before" not in hint  # said once
    assert store.action("A-1").due == "2026-11-27"  # "friday", saved by ctrl+s
    assert before != "2026-11-27"


def earlier_idea_id(store) -> str:
    (idea,) = [i for i in store.ideas() if i.text == "Weekly finance sync on stuck refunds"]
    return idea.id


def test_the_ideas_step_shows_open_ideas_from_earlier_sessions_on_todays_gaps(built) -> None:
    from textual.widgets import OptionList

    workspace, store, ids = built
    add_open_session_at(store, ids, "ideas")
    app = make_app(workspace, store)

    async def scenario() -> tuple[str, list[str]]:
        async with running(app, "y"):
            step = app.screen.step_view
            listing = step.query_one("#ideas-list", OptionList)
            lines = [str(listing.get_option_at_index(n).prompt) for n in range(listing.option_count)]
            return str(step.query_one("#ideas-summary").render()), lines

    summary, lines = run(scenario())
    assert "1 earlier, still open" in summary
    line = next(x for x in lines if "Weekly finance sync on stuck refunds" in x)
    assert "earlier: 2026-11-16" in line
    # the picked-and-committed idea of that session is not offered again
    assert not any("Show payment status in the refund tool" in x for x in lines)


def test_an_earlier_idea_can_be_voted_picked_and_committed_like_a_new_one(built) -> None:
    from listen.tui.widgets.table import ListenTable

    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "decide")
    earlier = earlier_idea_id(store)
    ana_dot = next(i for i in store.ideas(session_id) if "Ana" in i.votes)
    service.cast_vote(store, ana_dot.id, "Ana", -1)  # a dot in Ana's hand
    app = make_app(workspace, store)

    async def to_row(pilot, key: str) -> ListenTable:
        table = app.screen.step_view.query_one(ListenTable)
        await settle(pilot)
        for _ in range(10):  # a few rows at most
            keys = [str(table.coordinate_to_cell_key((n, 0)).row_key.value) for n in range(table.row_count)]
            if table.current_key == key or key not in keys:
                break
            await pilot.press("down" if keys.index(key) > table.cursor_row else "up")
            await settle(pilot)
        assert table.current_key == key
        return table

    async def scenario() -> str:
        async with running(app, "y") as pilot:
            table = await to_row(pilot, earlier)
            shown = " ".join(str(c) for c in table.get_row(earlier))
            await pilot.press("space", "p")
            await settle(pilot)
            await pilot.press("n")  # to Commit
            await settle(pilot)
            await to_row(pilot, earlier)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press(*"Ben", "enter", "enter")
            await settle(pilot)
            return shown

    shown = run(scenario())
    assert "earlier: 2026-11-16" in shown
    idea = store.idea(earlier)
    assert (idea.session_id, idea.first_session_id) == (session_id, "2026-11-16")
    assert idea.votes == {"Ana": 1} and idea.picked
    committed = [(a.session_id, a.owner) for a in store.actions() if a.origin_id == earlier]
    assert committed == [(session_id, "Ben")]


def test_an_idea_deleted_elsewhere_before_the_first_dot_leaves_the_cursor_on_its_idea(built) -> None:
    """Not voting yet, the cursor moved to the fourth idea; another window deletes the first one:
    the next dot still lands on the idea under the cursor, not on the top row."""
    workspace, store, ids = built
    session_id = open_at_decide_with_every_dot_in_hand(store, ids)
    app = make_app(workspace, store)

    async def scenario() -> tuple[list[str], str]:
        async with running(app, "y") as pilot:
            before = row_order(app)
            await pilot.press("down", "down", "down")
            await settle(pilot)
            own = {idea.id for idea in store.ideas(session_id)}
            gone = next(i for i in before[:3] if i in own)
            service.delete_idea(store, gone)  # another window
            app.screen.outside_change(frozenset({"ideas"}))
            await settle(pilot)
            await pilot.press("space")
            await settle(pilot)
            return before, gone

    before, gone = run(scenario())
    assert gone not in {i.id for i in store.ideas(session_id)}
    dotted = [i.id for i in store.ideas(session_id) if i.votes]
    assert dotted == [before[3]]


def test_a_huge_idea_does_not_push_the_vote_table_off_the_step(built) -> None:
    """A pasted 6,000-character idea: its detail line is a few lines high, the table keeps its rows."""
    from listen.tui.widgets.table import ListenTable

    workspace, store, ids = built
    session_id = add_open_session_at(store, ids, "decide")
    huge = service.add_idea(store, session_id=session_id, text="word " * 1200)
    app = make_app(workspace, store)

    async def scenario() -> tuple[int, int]:
        async with running(app, "y", size=(80, 24)) as pilot:
            step = app.screen.step_view
            table = step.query_one(ListenTable)
            table.select_key(huge.id)
            await settle(pilot)
            assert table.current_key == huge.id
            return table.size.height, step.query_one(".detail").size.height

    table_height, detail_height = run(scenario())
    assert detail_height <= 5
    assert table_height >= 8
