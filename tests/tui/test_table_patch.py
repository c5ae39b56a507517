"""ListenTable refills by patching: when a reload brings mostly the same rows (one clip submitted
or transcribed in another window), only the rows that differ are touched, the order is the new
one, and the cursor stays on the row the user was on."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult

from listen.tui.widgets.table import Col, ListenTable

COLUMNS = [Col("title", "Title"), Col("status", "Status", width=12)]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ListenTable(COLUMNS)


def keys_in_order(table: ListenTable) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


def test_a_refill_with_one_new_and_one_changed_row_patches_them_in_order() -> None:
    async def scenario() -> dict[str, object]:
        app = TableApp()
        async with app.run_test(size=(60, 20)) as pilot:
            table = app.query_one(ListenTable)
            rows = [(f"c{n}", [f"Clip {n}", "queued"]) for n in range(300, 0, -1)]
            table.replace_rows(rows)
            await pilot.pause()
            table.select_key("c150")
            redraws = []
            full = table._render_rows
            table._render_rows = lambda: (redraws.append(1), full())[1]  # type: ignore[method-assign]
            new = [("c301", ["Clip 301", "queued"])] + [
                (key, [cells[0], "transcribed" if key == "c150" else cells[1]])
                for key, cells in rows
                if key != "c7"
            ]
            table.replace_rows(new)
            await pilot.pause()
            return {
                "redraws": len(redraws),
                "order": keys_in_order(table),
                "cell": table.get_cell("c150", "status"),
                "cursor": table.current_key,
                "expected": [key for key, _ in new],
            }

    result = asyncio.run(scenario())
    assert result["redraws"] == 0  # patched, not drawn again
    assert result["order"] == result["expected"]
    assert str(result["cell"]) == "transcribed"  # Text, as a full redraw stores it (a str is markup)
    assert result["cursor"] == "c150"


def test_a_refill_that_changes_most_rows_draws_them_all() -> None:
    async def scenario() -> tuple[int, list[str]]:
        app = TableApp()
        async with app.run_test(size=(60, 20)) as pilot:
            table = app.query_one(ListenTable)
            table.replace_rows([(f"a{n}", [f"A {n}", "queued"]) for n in range(300)])
            await pilot.pause()
            redraws = []
            full = table._render_rows
            table._render_rows = lambda: (redraws.append(1), full())[1]  # type: ignore[method-assign]
            table.replace_rows([(f"b{n}", [f"B {n}", "queued"]) for n in range(300)])
            await pilot.pause()
            return len(redraws), keys_in_order(table)[:2]

    redraws, first = asyncio.run(scenario())
    assert redraws == 1
    assert first == ["b0", "b1"]


def test_rows_added_on_top_at_the_end_between_and_taken_out_keep_every_place_right() -> None:
    """update_rows moves a new row to the top without numbering the others again (the Inbox:
    newest first); each step checks every row's place both ways, the cells and the cursor."""

    async def scenario() -> list[str]:
        app = TableApp()
        problems: list[str] = []
        async with app.run_test(size=(60, 20)) as pilot:
            table = app.query_one(ListenTable)
            order = [f"c{n}" for n in range(50, 0, -1)]
            table.replace_rows([(key, [f"Clip {key}", "queued"]) for key in order])
            await pilot.pause()
            table.select_key("c40")
            steps: list[tuple[str, list[str], set[str]]] = [
                ("on top", ["c51", *order], set()),
                ("two on top", ["c53", "c52", "c51", *order], set()),
                ("at the end", ["c53", "c52", "c51", *order, "c0"], set()),
                ("between", ["c53", "c52", "c51", *order[:5], "c45b", *order[5:], "c0"], set()),
                ("taken out", ["c52", "c51", *order[:5], "c45b", *order[5:], "c0"], {"c53"}),
                ("on top again", ["c54", "c52", "c51", *order[:5], "c45b", *order[5:], "c0"], set()),
            ]
            shown = set(order)
            for label, keys, removed in steps:
                new = [(key, [f"Clip {key}", "new"]) for key in keys if key not in shown]
                shown = (shown | {key for key, _ in new}) - removed
                table.update_rows(new, removed, keys)
                await pilot.pause()
                if keys_in_order(table) != keys:
                    problems.append(f"{label}: order {keys_in_order(table)[:6]}")
                for index, key in enumerate(keys):
                    if table.get_row_index(key) != index or str(table.get_row_at(index)[0]) != f"Clip {key}":
                        problems.append(f"{label}: {key} not at {index}")
                        break
                if table.current_key != "c40":
                    problems.append(f"{label}: cursor on {table.current_key}")
            last = steps[-1][1]
            table.update_rows([("c30", ["Clip c30 renamed", "transcribed"])], set(), last)  # in place
            await pilot.pause()
            if keys_in_order(table) != last or str(table.get_cell("c30", "title")) != "Clip c30 renamed":
                problems.append(f"changed in place: {table.get_cell('c30', 'title')}")
            await pilot.press("up")
            if table.current_key != order[order.index("c40") - 1]:
                problems.append(f"the cursor moved up to {table.current_key}")
        return problems

    assert asyncio.run(scenario()) == []
