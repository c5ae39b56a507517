"""The smaller points of issue 12, each as a user meets it: session setup's ticks and counts, the
Inbox's transcription wording, the help list, the Listen step's questions, table widths, the
Close preview's tables."""

from __future__ import annotations

import asyncio

from tui.builders import make_app, running, settle

from listen.tui.screens.session_setup import SessionSetup, SetupData


def run(coro):
    return asyncio.run(coro)


def test_session_setup_unticked_rows_look_unticked_and_the_picked_count_follows(built) -> None:
    from textual.widgets import Label

    from listen.tui.widgets.tick_list import TickList

    workspace, store, _ids = built
    app = make_app(workspace, store)
    clips = store.clips()[:3]
    data = SetupData(
        members=[("Ana", "support lead"), ("Ben", "support"), ("Chloe", "operations")],
        packs=["weekly"],
        default_pack="weekly",
        clips=clips,
        picked=[clips[0].id],
    )

    async def scenario() -> tuple[list[str], list[str], list[str]]:
        async with running(app, size=(80, 24)) as pilot:
            app.push_screen(SessionSetup(data))
            await settle(pilot)
            before = [str(label.render()) for label in app.screen.query(Label)]
            members = app.screen.query_one("#members", TickList)
            members.focus()
            await pilot.press("down", "space")  # untick Ben
            await settle(pilot)
            after = [str(label.render()) for label in app.screen.query(Label)]
            marks = [members.render_line(y).text[:3] for y in range(3)]
            return before, after, marks

    before, after, marks = run(scenario())
    assert "Who is here · 3 picked" in before
    assert "Clips to hear (3 not heard yet) · 1 picked" in before
    assert "Who is here · 2 picked" in after
    assert marks == ["▐X▌", "▐ ▌", "▐X▌"]  # Ben's box is empty, not an X told apart by colour


def test_inbox_says_which_clip_is_transcribing_and_how_much_audio_is_done(built) -> None:
    from textual.widgets import Static

    from listen.tui.transcription import TranscriptionState

    workspace, store, _ids = built
    app = make_app(workspace, store)

    async def scenario() -> tuple[str, str]:
        async with running(app, "2", size=(120, 35)) as pilot:
            app.transcription = TranscriptionState(True, 7.4, 31.0, "loading", 0, 7)
            await settle(pilot)
            loading = str(app.screen.query_one("#inbox-summary", Static).render())
            app.transcription = TranscriptionState(True, 7.4, 31.0, "Refund (2 of 7)", 2, 7)
            await settle(pilot)
            return loading, str(app.screen.query_one("#inbox-summary", Static).render())

    loading, summary = run(scenario())
    assert "transcribing: loading the speech model" in loading
    assert "transcribing clip 2 of 7 · 0:07 of 0:31" in summary
    assert "7/31" not in summary


def test_help_lists_listens_keys_grouped_by_where_they_work_then_by_key(built) -> None:
    from listen.tui.screens.help import HelpScreen

    workspace, store, _ids = built
    app = make_app(workspace, store)

    async def scenario() -> dict[str, list[tuple[str, str]]]:
        found = {}
        async with running(app, size=(120, 35)) as pilot:
            for mode in ("1", "2"):
                await pilot.press(mode)
                await settle(pilot)
                await pilot.press("question_mark")
                await settle(pilot)
                assert isinstance(app.screen, HelpScreen)
                found[mode] = app.screen.entries
                await pilot.press("escape")
                await settle(pilot)
        return found

    found = run(scenario())
    home, inbox = found["1"], found["2"]
    names = [name for _key, name in home + inbox]
    assert not [n for n in names if n.startswith(("Button:", "ListenTable:"))]  # Textual's own keys
    assert not [n for n in names if n.endswith(("Focus Next", "Copy selected text", "Cursor up"))]
    groups = [name.split(": ")[0] for _key, name in home]
    assert groups == sorted(groups, key=["Home", "App"].index)  # the screen's keys, then the app's
    home_keys = [key for key, name in home if name.startswith("Home: ")]
    assert home_keys == ["c", "s", "t"]
    app_keys = [key for key, name in home if name.startswith("App: ")]
    assert app_keys[:8] == ["/", "1", "2", "3", "4", "5", "6", "7"]
    inbox_keys = [key for key, name in inbox if name.startswith("Inbox: ")]
    assert inbox_keys.index("t") < inbox_keys.index("T") < inbox_keys.index("esc")


def test_the_demo_says_where_its_copy_is_while_the_app_runs(built) -> None:
    workspace, store, _ids = built
    app = make_app(workspace, store)
    app.startup_notice = f"Demo workspace: {workspace.root}"  # what `listen demo` sets

    async def scenario() -> list[str]:
        async with running(app, size=(80, 24)):
            return [str(n.message) for n in app._notifications]

    assert f"Demo workspace: {workspace.root}" in run(scenario())


def test_home_buttons_show_their_whole_label_at_80_columns(built) -> None:
    from textual.widgets import Button
    from tui.builders import add_open_session_at

    workspace, store, ids = built
    add_open_session_at(store, ids, "decide")  # "Resume the open session" and a long note beside it
    app = make_app(workspace, store, offer_resume=False)

    async def scenario() -> list[tuple[str, int]]:
        async with running(app, size=(80, 24)):
            return [(str(b.label), b.content_size.width) for b in app.screen.query(Button) if b.display]

    buttons = run(scenario())
    assert "Resume the open session" in [label for label, _width in buttons]
    for label, width in buttons:
        assert width >= len(label), (label, width)


def test_a_cut_title_gets_the_room_fixed_columns_do_not_use() -> None:
    from textual.app import App, ComposeResult

    from listen.tui.widgets.table import Col, ListenTable

    columns = [Col("title", "Title"), Col("channel", "Channel", 9), Col("status", "Status", 13)]

    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ListenTable(columns)

    long_title = "Voltra electric bike will not pair with the RideLink app after the update"

    async def scenario() -> tuple[int, int, int, int, str]:
        app = TableApp()
        async with app.run_test(size=(70, 10)) as pilot:
            table = app.query_one(ListenTable)
            table.replace_rows([("a", [long_title, "chat", "queued"]), ("b", ["Short", "phone", "failed"])])
            await pilot.pause()
            widths = [table.columns[key].width for key in ("title", "channel", "status")]
            # a wider status arrives: its column widens again (and the title gives the room back)
            table.replace_rows(
                [("a", [long_title, "chat", "transcribing"]), ("b", ["Short", "phone", "failed"])]
            )
            await pilot.pause()
            return (*widths, table.columns["status"].width, str(table.get_cell("a", "status")))

    title, channel, status, status_after, cell = run(scenario())
    assert channel == len("Channel") and status == len("Status")  # as wide as what they hold
    assert title == 70 - 1 - 2 * 3 - channel - status  # the rest, for the text that is cut
    assert status_after == len("transcribing") and cell == "transcribing"


def test_the_listen_steps_questions_show_at_120_columns_and_fold_into_a_line_at_80(tmp_path) -> None:
    from textual.widgets import Collapsible
    from tui.builders import build_workspace, to_first_clip

    from listen.tui.steps.base import PromptCard

    async def at(size: tuple[int, int]) -> dict[str, object]:
        workspace, store, _ids = build_workspace(tmp_path / f"ws-{size[0]}")
        app = make_app(workspace, store)
        async with running(app, size=size) as pilot:
            await to_first_clip(pilot)
            card = app.screen.query_one("#listen-side PromptCard", PromptCard)
            line = app.screen.query_one("#prompt-line", Collapsible)
            seen = {
                "card": card.display and card.region.height > 0,
                "line": line.display and line.region.height,
                "title": str(line._title.label),
            }
            if line.display:
                await pilot.press("Q")
                await settle(pilot)
                seen["unfolded"] = not line.collapsed and line.region.height
            return seen

    normal = run(at((120, 35)))
    narrow = run(at((80, 24)))
    assert normal["card"] and not normal["line"]
    assert not narrow["card"] and narrow["line"] == 1  # one line, the transcript keeps its room
    assert str(narrow["title"]).startswith("Questions (")
    assert narrow["unfolded"] and narrow["unfolded"] > 2  # Q unfolds every question


def test_minutes_tables_share_their_width_instead_of_squeezing_the_first_column() -> None:
    from listen.tui.widgets.minutes_view import fair_widths

    # Action, Owner, Due, Outcome, Note at a Close preview's width (120 columns with the agenda)
    natural, least = [62, 13, 22, 15, 40], [11, 7, 12, 11, 10]
    widths = fair_widths(natural, least, 76)
    assert sum(widths) <= 76
    assert widths[1] == 13 and widths[3] == 15  # short columns keep their one line
    assert widths[0] >= 16 and widths[4] >= 16  # the long ones share the rest
    assert fair_widths([10, 10], [5, 5], 30) == [10, 10]  # room for all: as they are
    assert fair_widths([62, 13, 22, 15, 6], [11, 7, 12, 11, 6], 76)[2] == 22  # a date on one line


def test_the_close_preview_at_120_columns_keeps_actions_readable(built) -> None:
    from tui.builders import add_open_session_at

    from listen.tui.widgets.minutes_view import FairTableContent

    workspace, store, ids = built
    add_open_session_at(store, ids, "close")
    app = make_app(workspace, store)

    async def scenario() -> list[tuple[int, list[str], list[int]]]:
        async with running(app, "y", size=(120, 35)) as pilot:  # resume at Close
            await settle(pilot)
            return [
                (t.size.width, [h.plain for h in t.headers], [int(c.value) for c in t.styles.grid_columns])
                for t in app.screen.query(FairTableContent)
            ]

    tables = run(scenario())
    assert {"Action", "Idea"} <= {header for _w, headers, _c in tables for header in headers}
    for width, headers, columns in tables:
        assert sum(columns) + len(columns) + 1 <= width
        for header, column in zip(headers, columns, strict=True):
            if header in ("Action", "Idea"):
                assert column >= 16, (headers, columns)  # several words a line, never one


def test_homes_open_actions_card_shows_a_screenful_and_says_how_many_more(built) -> None:
    """A long history (500 open actions) is not laid out whole on Home at every refresh (it cost
    ~200 ms each time); the card lists the first rows and names the rest, found on Actions."""
    from listen.domain import Action
    from listen.tui.screens.home import HOME_ACTION_ROWS

    workspace, store, _ids = built
    with store.transaction() as tx:
        for n in range(500):
            tx.put(Action(id=f"A-{n + 100}", title=f"Action {n}", owner="Ben", due="2026-12-31"))
    app = make_app(workspace, store)

    async def scenario() -> tuple[list[str], list[str]]:
        from rich.table import Table
        from textual.widgets import Static

        async with running(app, size=(120, 35)):
            table = app.screen.query_one("#actions-body", Static).content
            assert isinstance(table, Table)
            ids, titles = (table.columns[0]._cells, table.columns[1]._cells)
            return [str(cell) for cell in ids], [str(cell) for cell in titles]

    ids, titles = asyncio.run(scenario())
    total = sum(action.status == "open" for action in store.actions())
    assert total > 500 and len([i for i in ids if i]) == HOME_ACTION_ROWS
    assert titles[-1] == f"… and {total - HOME_ACTION_ROWS:,} more: Actions (5)"
