"""A live workspace, refreshed by delta: when another process changes only clips, the screen on
show reads just the clip shards whose files changed (the watcher names them) and patches what
it shows, instead of reading and redrawing every clip (seconds with 10,000 of them).

A REAL second process writes (`listen submit`, and a Python process driving the store as
another window would: the command line cannot rename or remove a clip). Each test checks the
result against what a full reload shows, that no full reload ran, and that the rows nobody
changed were left as they were (the same cell objects), with the cursor where it was."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui.builders import make_app, running, settle
from tui.test_live_workspace import NOTICE_SECONDS, in_another_process, submit, within

from listen.store import Store
from listen.tui.screens.gaps import GapsScreen
from listen.tui.screens.home import HomeScreen
from listen.tui.screens.inbox import InboxScreen, _cells
from listen.tui.viewmodels import clip_counts
from listen.tui.widgets.table import ListenTable

CHANGE = """
import dataclasses, sys
from listen.domain import Clip
from listen.store import Store
from listen.workspace import resolve_workspace
store = Store(resolve_workspace(sys.argv[1]))
renamed, status, removed = sys.argv[2:5]
with store.transaction() as tx:
    if renamed:
        tx.put(dataclasses.replace(tx.clip(renamed), title="Renamed [bold]elsewhere[/bold]"))
    if status:
        tx.put(dataclasses.replace(tx.clip(status), status="failed", failure="decoder said no"))
    if removed:
        tx.delete(Clip, removed)
"""


async def change(workspace, renamed: str = "", status: str = "", removed: str = "") -> None:
    done = await asyncio.to_thread(in_another_process, CHANGE, str(workspace.root), renamed, status, removed)
    assert done.returncode == 0, done.stderr


def count_reloads(screen) -> list[int]:
    """Count the screen's full reloads (the delta path never calls reload)."""
    calls = [0]
    reload = screen.reload

    def counted() -> None:
        calls[0] += 1
        reload()

    screen.reload = counted
    return calls


def test_the_inbox_patches_the_clips_another_process_added_changed_and_removed(built, tmp_path: Path) -> None:
    workspace, store, ids = built
    app = make_app(workspace, store, offer_resume=False)
    renamed, removed = ids["warranty-email.txt"], ids["delivery-chat.txt"]

    async def scenario() -> dict[str, object]:
        async with running(app, "2") as pilot:
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            table = screen.query_one(ListenTable)
            keys = [key for key, _ in table._rows]
            kept = next(key for key in keys if key not in (renamed, removed))
            table.select_key(kept)
            await settle(pilot)
            before = dict(table._rows)
            reloads = count_reloads(screen)

            await change(workspace, renamed=renamed, removed=removed)
            added = await submit(workspace, tmp_path, "late.txt", "Customer: a late one.\n\nAgent: noted.")

            def shown() -> bool:
                rows = dict(table._rows)
                title = rows.get(renamed, [None, None])[1]
                return added in rows and removed not in rows and "Renamed" in str(title)

            result: dict[str, object] = {"shown": await within(pilot, NOTICE_SECONDS, shown)}
            await settle(pilot)
            after = dict(table._rows)
            result["reloads"] = reloads[0]
            result["untouched"] = [
                key for key in before if key not in (renamed, removed) and after[key] is before[key]
            ]
            result["others"] = [key for key in before if key not in (renamed, removed)]
            result["cursor"] = table.current_key == kept
            result["table keys"] = [str(row.key.value) for row in table.ordered_rows]  # as drawn
            result["patched"] = [(key, list(cells)) for key, cells in table._rows]
            result["title cell"] = table.get_cell(renamed, "title")
            # what a full reload shows
            data = await asyncio.to_thread(screen.load_data)
            picked = screen._picked_ids()
            result["full"] = [(row.clip.id, _cells(row, picked)) for row in data.rows]
            result["data ids"] = [row.clip.id for row in screen.data.rows] if screen.data else []
            result["added"] = added
        return result

    result = asyncio.run(scenario())
    assert result["shown"], "the Inbox did not show the clips another process changed"
    assert result["reloads"] == 0, "the whole Inbox was read again for a change of a few clips"
    assert result["patched"] == result["full"]
    assert result["data ids"] == [key for key, _ in result["full"]]
    assert result["table keys"] == [key for key, _ in result["full"]]
    assert result["untouched"] == result["others"] and result["others"]
    assert result["cursor"]
    assert "[bold]" in str(result["title cell"])  # shown as typed, not as markup


def test_a_filtered_inbox_takes_in_only_the_changed_clips_that_match(built, tmp_path: Path) -> None:
    workspace, store, ids = built
    app = make_app(workspace, store, offer_resume=False)
    renamed = ids["warranty-email.txt"]

    async def scenario() -> tuple[bool, list[str], int, str]:
        async with running(app, "2") as pilot:
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            reloads = count_reloads(screen)
            screen.filter_box().value = "elsewhere"  # what typing does
            await settle(pilot)
            table = screen.query_one(ListenTable)
            assert table.row_count == 0
            await change(workspace, renamed=renamed)
            seen = await within(pilot, NOTICE_SECONDS, lambda: table.row_count == 1)
            await submit(workspace, tmp_path, "other.txt", "Customer: nothing to do with it.")
            await within(pilot, NOTICE_SECONDS, lambda: len(screen.data.rows) == 4 if screen.data else False)
            await settle(pilot)
            return seen, [key for key, _ in table._rows], reloads[0], screen.filter_box().value

    seen, keys, reloads, typed = asyncio.run(scenario())
    assert seen
    assert keys == [renamed]  # the new clip does not match the filter: not shown
    assert reloads == 0
    assert typed == "elsewhere"


def test_home_counts_the_clips_another_process_changed_from_the_delta(built) -> None:
    workspace, store, ids = built
    app = make_app(workspace, store, offer_resume=False)

    async def scenario() -> tuple[bool, object, object, int]:
        async with running(app) as pilot:
            screen = app.screen
            assert isinstance(screen, HomeScreen) and screen.summary and screen.summary.clips
            total = screen.summary.clips.total
            reloads = count_reloads(screen)
            await change(workspace, status=ids["warranty-email.txt"], removed=ids["delivery-chat.txt"])

            def counted() -> bool:
                clips = screen.summary.clips if screen.summary else None
                return clips is not None and clips.total == total - 1 and clips.failed == 1

            seen = await within(pilot, NOTICE_SECONDS, counted)
            await settle(pilot)
            fresh = Store(workspace)
            assert screen.summary is not None
            return seen, screen.summary.clips, clip_counts(fresh, fresh.sessions()), reloads[0]

    seen, shown, full, reloads = asyncio.run(scenario())
    assert seen
    assert shown == full  # the same figures as counting every clip
    assert reloads == 0


def test_gaps_show_a_linked_clip_renamed_elsewhere_without_reading_the_gaps_again(built) -> None:
    workspace, store, _ids = built
    [linked] = {clip_id for gap in store.gaps() for clip_id in gap.clip_ids} or {None}
    assert linked is not None, "the built workspace links one clip to its gaps"
    app = make_app(workspace, store, offer_resume=False)

    async def scenario() -> tuple[bool, int]:
        async with running(app, "4") as pilot:
            screen = app.screen
            assert isinstance(screen, GapsScreen) and screen.data is not None
            reloads = count_reloads(screen)
            await change(workspace, renamed=linked)

            def renamed() -> bool:
                clip = screen.data.clips.get(linked) if screen.data else None
                return clip is not None and clip.title.startswith("Renamed")

            seen = await within(pilot, NOTICE_SECONDS, renamed)
            return seen, reloads[0]

    seen, reloads = asyncio.run(scenario())
    assert seen
    assert reloads == 0


RENAME_GAP = """
import sys
from listen.session import service
from listen.store import Store
from listen.workspace import resolve_workspace
service.update_gap(Store(resolve_workspace(sys.argv[1])), sys.argv[2], title=sys.argv[3])
"""


def test_gaps_show_a_gap_renamed_elsewhere_and_keep_the_other_rows_as_drawn(built) -> None:
    """The Gaps screen reuses what it drew for a gap whose document did not change: the gap
    another process renamed is drawn anew, the others are left as they were."""
    workspace, store, _ids = built
    app = make_app(workspace, store, offer_resume=False)

    async def scenario() -> tuple[bool, dict[str, object], dict[str, object], str]:
        async with running(app, "4") as pilot:
            screen = app.screen
            assert isinstance(screen, GapsScreen)
            table = screen.query_one(ListenTable)
            renamed, *others = [key for key, _ in table._rows]
            assert others
            before = dict(table._rows)
            done = await asyncio.to_thread(
                in_another_process, RENAME_GAP, str(workspace.root), renamed, "Renamed in another window"
            )
            assert done.returncode == 0, done.stderr
            seen = await within(
                pilot, NOTICE_SECONDS, lambda: "another window" in str(dict(table._rows)[renamed][2])
            )
            await settle(pilot)
            return seen, before, dict(table._rows), str(table.get_cell(renamed, "title"))

    seen, before, after, title = asyncio.run(scenario())
    assert seen
    assert title == "Renamed in another window"
    assert after[next(iter(before))] is not before[next(iter(before))]
    assert all(after[key] is before[key] for key in list(before)[1:])
