"""A row-cursor DataTable that fits its width: one flexible column takes the room left (its text
cut with an ellipsis), optional columns appear only when the table is wide enough, and refilling
keeps the cursor on the row the user was on. A fixed column's width is its most: when the flexible
column's text is cut, the fixed columns narrow to what they hold (header included), so the room
goes to the text that needs it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual._two_way_dict import TwoWayDict
from textual.coordinate import Coordinate
from textual.geometry import Region, Spacing
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, RowDoesNotExist, RowKey

from listen.textfit import cut
from listen.tui.safe import one_line, safe

CELL_PADDING = 2  # DataTable pads each cell by one on both sides
MIN_FLEX = 12
UNMEASURED = 10_000  # the width taken for a cell that is neither str nor Text
PATCH_LIMIT = 200  # rows that differ: beyond that, redrawing them all is as quick


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    width: int = 0  # 0: the flexible column (there is one)
    min_table: int = 0  # shown only when the table is at least this wide


Row = tuple[str, Sequence[Any]]  # (key, one cell per Col, in order)


class ListenTable(DataTable[Any]):
    DEFAULT_CSS = """
    ListenTable {
        height: 1fr;
    }
    """

    def __init__(self, columns: Sequence[Col], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.spec = list(columns)
        self._rows: list[Row] = []
        self._order: list[str] | None = None  # the keys of _rows, when update_rows last set them
        self._layout: tuple[tuple[str, ...], tuple[int, ...], int] | None = None
        self._measured: dict[str, int] = {}  # column key -> the widest cell (or header) it holds
        self._keys: dict[str, RowKey] = {}  # each row's key as DataTable holds it

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:
            return None
        return row_key.value

    def _plan(self) -> tuple[list[Col], int]:
        shown, _widths, flex = self._plan_widths()
        return shown, flex

    def _plan_widths(self) -> tuple[list[Col], list[int], int]:
        """The columns shown, each one's width (0 for the flexible one) and the flexible width."""
        width = self.size.width or 80
        shown = [c for c in self.spec if width >= c.min_table]
        widths = [c.width for c in shown]
        room = width - CELL_PADDING * len(shown) - 1  # one column for the scrollbar
        flex = room - sum(widths)
        flexible = next((c.key for c in shown if not c.width), None)
        if flexible is not None and self._measured.get(flexible, 0) > flex:  # its text is cut
            widths = [min(c.width, self._measured.get(c.key, c.width)) if c.width else 0 for c in shown]
            flex = room - sum(widths)
        return shown, widths, max(MIN_FLEX, flex)

    def _layout_now(self) -> tuple[tuple[str, ...], tuple[int, ...], int]:
        shown, widths, flex = self._plan_widths()
        return tuple(c.key for c in shown), tuple(widths), flex

    def _measure(self, rows: Sequence[Row], *, fresh: bool) -> None:
        """Note the widest cell of each column (``fresh``: these are all the rows; otherwise rows
        added or changed, which can only widen a column). Column by column: 10,000 rows of 8
        cells take ~30 ms of CPU (a full redraw of them takes ~700 ms)."""
        measured = {c.key: cell_len(c.label) for c in self.spec} if fresh else self._measured
        for index, col in enumerate(self.spec):
            cells = (row[1][index] for row in rows if len(row[1]) > index)
            widest = max(map(_width_of, cells), default=0)
            if widest > measured.get(col.key, 0):
                measured[col.key] = widest
        self._measured = measured

    def replace_rows(self, rows: Sequence[Row]) -> None:
        """Put these rows in place, keeping the cursor on the same key if it is still there.

        When most rows are the same as before (a reload after one clip was submitted or
        transcribed), only the rows that differ are touched: adding 10,000 rows again takes
        about 0.7 s of CPU, patching a few takes milliseconds."""
        before, self._rows = self._rows, list(rows)
        self._order = list(map(itemgetter(0), self._rows))  # the next update_rows may patch in place
        if not self._patch(before):
            self._render_rows()

    def _patch(self, before: list[Row]) -> bool:
        """Change, add and remove only the rows that differ, then put them in order. False
        (nothing done) when a full redraw is simpler: another layout, or many rows differ."""
        if self._layout is None or not before:
            return False
        old = dict(before)
        keys = [key for key, _ in self._rows]
        if len(old) != len(before) or len(set(keys)) != len(keys):
            return False  # repeated keys: let the full redraw say so
        added = [row for row in self._rows if row[0] not in old]
        removed = old.keys() - set(keys)
        changed = [row for row in self._rows if row[0] in old and list(old[row[0]]) != list(row[1])]
        if len(added) + len(removed) + len(changed) > PATCH_LIMIT:
            return False
        self._measure([*added, *changed], fresh=False)
        if self._layout != self._layout_now():  # a wider cell: the columns change
            return False
        self._apply(old, added, removed, changed, keys, list(old) != keys)
        return True

    def update_rows(self, rows: Sequence[Row], removed: Iterable[str], order: Sequence[str]) -> None:
        """Put these rows (new or changed) in place and take out ``removed``, leaving every other
        row as it is; ``order`` is every key in the order shown. What replace_rows does, for a
        caller that knows what changed (a few clips another process wrote) and so need not build
        and compare 10,000 rows. The work on all the rows is done by dicts, maps and zips (C
        loops) that make no new row (10,000 new tuples cost as much again in garbage
        collections): one new clip in 10,000 costs the UI thread a few ms, then the redraw of
        the rows in view."""
        keys, removed = list(order), list(removed)
        if self._update_in_place(rows, removed, keys):
            return
        before = dict(zip(map(itemgetter(0), self._rows), self._rows, strict=True))
        now = before.copy()
        now.update((row[0], row) for row in rows)
        gone = {key for key in removed if key in before}
        for key in gone:
            del now[key]
        if len(keys) != len(now) or not now.keys() >= set(keys):
            raise ValueError("update_rows: the order must name every row once")
        reordered = list(before) != keys
        self._rows, self._order = list(map(now.__getitem__, keys)), keys
        added = [row for row in rows if row[0] not in before]
        changed = [row for row in rows if row[0] in before and list(before[row[0]][1]) != list(row[1])]
        self._measure([*added, *changed], fresh=False)
        if self._layout != self._layout_now() or not before:
            self._render_rows()
            return
        self._apply({key: before[key][1] for key, _ in changed}, added, gone, changed, keys, reordered)

    def _update_in_place(self, rows: Sequence[Row], removed: list[str], keys: list[str]) -> bool:
        """update_rows when nothing is taken out and the new rows go on top or at the end of the
        order last given (the Inbox: a clip submitted or transcribed): no walk through the
        rows, only list compares that stop at the first difference or find the same objects.
        False (nothing done): the general way."""
        if self._order is None or removed or self._layout != self._layout_now():
            return False
        before = self._order
        added = [row for row in rows if row[0] not in self._keys]
        count = len(added)
        if len(keys) != len(before) + count:
            return False
        new_keys = [key for key, _ in added]
        if keys[:count] == new_keys and keys[count:] == before:
            place = "top"
        elif keys[len(before) :] == new_keys and keys[: len(before)] == before:
            place = "end"
        else:
            return False
        places = self._row_locations
        at: dict[str, int] = {}  # each changed row's place
        for key, _cells in rows:
            if key in self._keys:
                index = places.get(self._keys[key])
                if index is None or self._rows[index][0] != key:
                    return False
                at[key] = index
        changed, old = [], {}
        for key, cells in rows:
            if key in at and list(self._rows[at[key]][1]) != list(cells):
                changed.append((key, cells))
                old[key] = self._rows[at[key]][1]
                self._rows[at[key]] = (key, cells)
        self._measure([*added, *changed], fresh=False)
        if self._layout != self._layout_now():  # a wider cell: every row drawn again
            self._rows = [*added, *self._rows] if place == "top" else [*self._rows, *added]
            self._order = None
            self._render_rows()
            return True
        if place == "top":
            self._rows[:0] = added
        else:
            self._rows.extend(added)
        self._order = keys
        self._apply(old, added, (), changed, keys, False, on_top=place == "top")
        return True

    def _apply(
        self,
        old: dict[str, Sequence[Any]],
        added: list[Row],
        removed: Iterable[str],
        changed: list[Row],
        keys: list[str],
        reordered: bool,
        *,
        on_top: bool = False,
    ) -> None:
        """Draw the rows ``added`` and ``changed`` (``old``: each changed row's cells as drawn),
        take out ``removed``, and, ``reordered``, put every row in the order of ``keys``."""
        shown, flex = self._plan()
        keep = self.current_key
        positions = [self.spec.index(c) for c in shown]
        removed = list(removed)
        self._drop_rows(removed)
        for key, cells in changed:
            for col, index in zip(shown, positions, strict=True):
                if old[key][index] != cells[index]:
                    self.update_cell(key, col.key, self._fitted(col, cells[index], flex))
        for key, cells in added:
            self.add_row(
                *(self._fitted(c, cells[i], flex) for c, i in zip(shown, positions, strict=True)), key=key
            )
        places = self._row_locations
        if on_top and isinstance(places, _RowPlaces) and len(places) == len(keys):
            places.to_top(len(added))  # the new rows, added at the end, belong on top
            self._reordered()
        elif on_top or removed or (added and not isinstance(places, _RowPlaces)) or reordered:
            self._put_in_order(keys, len(added))
        elif added:
            self._reordered()
        if keep is not None and keep in self._keys:
            self.select_key(keep)

    def _drop_rows(self, keys: list[str]) -> None:
        """Take rows out; _put_in_order then numbers the rest. DataTable.remove_row renumbers
        every row at each call (10,000 rows: ~15 ms a row)."""
        for key in keys:
            row_key = RowKey(key)
            for column_key in self._data.get(row_key, {}):
                self._updated_cells.discard(CellKey(row_key, column_key))
            del self.rows[row_key]
            del self._data[row_key]
            del self._keys[key]
        if keys:
            self._require_update_dimensions = True

    def _put_in_order(self, keys: list[str], added: int = 0) -> None:
        """Show the rows in the order of ``keys`` (``added`` new rows were added at the end). What
        DataTable.sort does, with the order given instead of computed from the cells. New rows
        that belong at the end stay there, and new rows that belong on top (the Inbox: newest
        first) are moved there, without numbering every row again (see _RowPlaces)."""
        row_keys = list(map(self._keys.__getitem__, keys))
        places, new = self._row_locations, added
        if not isinstance(places, _RowPlaces) or len(places) != len(row_keys):
            self._row_locations = _RowPlaces(row_keys)  # rows taken out, or a full refill
        elif row_keys == places.order:
            pass  # the new rows belong at the end, where they are
        elif new and row_keys[:new] == places.order[-new:] and row_keys[new:] == places.order[:-new]:
            places.to_top(new)
        else:
            self._row_locations = _RowPlaces(row_keys)
        self._reordered()

    def _reordered(self) -> None:
        self.cursor_coordinate = self.cursor_coordinate  # kept within the rows left
        self._update_count += 1
        self.refresh()

    # Every row of a ListenTable is one line high (add_row below): a line's row and a row's place
    # on screen are its index, where DataTable sums the heights of every row above it, and builds
    # a list of all 10,000 rows in order (twice) after each change, to move the cursor or draw.
    _one_line_rows = True

    def add_row(
        self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None
    ) -> RowKey:
        if height != 1:
            self._one_line_rows = False
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._keys[row_key.value] = row_key  # type: ignore[index]
        return row_key

    def clear(self, columns: bool = False) -> ListenTable:
        super().clear(columns)
        self._keys.clear()
        return self

    @property
    def _y_offsets(self) -> Any:  # type: ignore[override]
        if not self._one_line_rows:
            return super()._y_offsets
        return _LineRows(self)

    def _get_row_region(self, row_index: int) -> Region:
        if not self._one_line_rows or not self.is_valid_row_index(row_index):
            return super()._get_row_region(row_index)
        width = sum(c.get_render_width(self) for c in self.columns.values()) + self._row_label_column_width
        top = self.header_height if self.show_header else 0
        return Region(0, top + row_index, max(self.size.width, width), 1)

    def _get_fixed_offset(self) -> Spacing:
        if not self._one_line_rows:
            return super()._get_fixed_offset()
        top = (self.header_height if self.show_header else 0) + min(self.fixed_rows, self.row_count)
        left = sum(c.get_render_width(self) for c in self.ordered_columns[: self.fixed_columns])
        return Spacing(top, 0, 0, left + self._row_label_column_width)

    def _get_cell_region(self, coordinate: Coordinate) -> Region:
        if not self._one_line_rows or not self.is_valid_coordinate(coordinate):
            return super()._get_cell_region(coordinate)
        row_index, column_index = coordinate
        x = sum(c.get_render_width(self) for c in self.ordered_columns[:column_index])
        column_key = self._column_locations.get_key(column_index)
        width = self.columns[column_key].get_render_width(self)  # type: ignore[index]
        top = self.header_height if self.show_header else 0
        return Region(x + self._row_label_column_width, top + row_index, width, 1)

    @staticmethod
    def _fitted(col: Col, value: Any, flex: int) -> Any:
        return _cell(value) if col.width else _fit(value, flex)  # a str is text, never markup

    def _render_rows(self) -> None:
        self._measure(self._rows, fresh=True)
        shown, widths, flex = self._plan_widths()
        layout = (tuple(c.key for c in shown), tuple(widths), flex)
        keep = self.current_key
        old_index = self.cursor_row
        if layout != self._layout:
            self.clear(columns=True)
            for col, size in zip(shown, widths, strict=True):
                self.add_column(col.label, key=col.key, width=size or flex)
            self._layout = layout
        else:
            self.clear()
        positions = [self.spec.index(c) for c in shown]
        for key, cells in self._rows:
            values = []
            for col, index in zip(shown, positions, strict=True):
                value = cells[index]
                values.append(_fit(value, flex) if not col.width else _cell(value))
            self.add_row(*values, key=key)
        if not self._rows:
            return
        self._row_locations = _RowPlaces(list(self._keys.values()))  # the rows in the order added
        index = min(old_index, len(self._rows) - 1)
        if keep is not None:
            with contextlib.suppress(RowDoesNotExist):
                index = self.get_row_index(keep)
        self.move_cursor(row=max(0, index), animate=False)

    def set_value(self, row_key: str, column_key: str, value: Any) -> None:
        """Change one cell (and what a later refill or resize draws) without redrawing the rows."""
        index = next(i for i, c in enumerate(self.spec) if c.key == column_key)
        self._rows = [  # the same keys in the same order: _order stays
            (k, [*cells[:index], value, *cells[index + 1 :]]) if k == row_key else (k, cells)
            for k, cells in self._rows
        ]
        self._measure([(row_key, [*[""] * index, value])], fresh=False)  # may widen its column
        if self._layout is not None and self._layout != self._layout_now():
            self._render_rows()  # the value is wider than its column
            return
        shown, flex = self._plan()
        column = self.spec[index]
        if column in shown:
            with contextlib.suppress(RowDoesNotExist, KeyError):
                self.update_cell(row_key, column_key, _fit(value, flex) if not column.width else _cell(value))

    def select_key(self, key: str) -> None:
        """Put the cursor on the row with this key, if it is shown."""
        with contextlib.suppress(RowDoesNotExist):
            self.move_cursor(row=self.get_row_index(key), animate=False)

    def on_resize(self, event: events.Resize) -> None:
        if self._layout is not None and self._layout_now() != self._layout:
            self._render_rows()


class _RowPlaces(TwoWayDict[RowKey, int]):
    """DataTable's map between a row's key and its place, kept as the rows in order and a number
    for each that stays the same when rows are added at the end or moved to the top: a new row
    on top of 10,000 is a list insert and a few numbers, where numbering the rows again hashes
    10,000 RowKeys (Python code, ~5 ms). A row's place is its number less the top row's."""

    def __init__(self, row_keys: list[RowKey]) -> None:
        self.order = row_keys
        self._number = dict(zip(row_keys, range(len(row_keys)), strict=True))
        self._top = 0

    def to_top(self, count: int) -> None:
        """Move the last ``count`` rows to the top, in the order they have."""
        rows = self.order[-count:]
        del self.order[-count:]
        self.order[:0] = rows
        self._top -= count
        for offset, key in enumerate(rows):
            self._number[key] = self._top + offset

    def __setitem__(self, key: RowKey, value: int) -> None:
        if value == len(self.order) and key not in self._number:  # DataTable.add_row: at the end
            self.order.append(key)
            self._number[key] = self._top + value
            return
        order = [k for k in self.order if k != key]
        order.insert(value, key)
        self.__init__(order)  # type: ignore[misc]

    def __delitem__(self, key: RowKey) -> None:
        self.__init__([k for k in self.order if k != key])  # type: ignore[misc]

    def __iter__(self) -> Iterator[RowKey]:
        return iter(self.order)

    def get(self, key: RowKey) -> int | None:
        number = self._number.get(key)
        return None if number is None else number - self._top

    def get_key(self, value: int) -> RowKey | None:
        return self.order[value] if 0 <= value < len(self.order) else None

    def contains_value(self, value: int) -> bool:
        return 0 <= value < len(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def __contains__(self, item: RowKey) -> bool:
        return item in self._number


class _LineRows:
    """DataTable's list of (row key, line within the row) for each line, when every row is one
    line: worked out for the line asked instead of built for all 10,000 at each change."""

    def __init__(self, table: ListenTable) -> None:
        self.table = table

    def __len__(self) -> int:
        return self.table.row_count

    def __getitem__(self, y: int) -> tuple[RowKey, int]:
        if not 0 <= y < self.table.row_count:
            raise IndexError(y)
        return self.table._row_locations.get_key(y), 0  # type: ignore[return-value]

    def clear(self) -> None:
        """DataTable.clear empties its cached list; nothing is cached here."""


def _cell(value: Any) -> Any:
    """Every cell is stored text: a str is plain text (DataTable would parse it as markup), and
    no cell holds a control character or a line break."""
    if isinstance(value, str):
        return Text(one_line(value), end="")
    if isinstance(value, Text):
        return safe(value, keep_newlines=False)
    return value


def _width_of(value: Any) -> int:
    """The cells a value takes once shown (a str as one line); another renderable is taken to need
    its column's whole declared width."""
    if isinstance(value, str):
        if value.isascii() and value.isprintable():
            return len(value)  # most cells: one cell a character
        return cell_len(value) if value.isprintable() else cell_len(one_line(value))
    if isinstance(value, Text):
        return value.cell_len
    return UNMEASURED


def _fit(value: Any, width: int) -> Any:
    if isinstance(value, str):
        value = cut(one_line(value), width)
    value = _cell(value)
    if isinstance(value, Text) and value.cell_len > width:
        value = value.copy()
        value.truncate(width, overflow="ellipsis")
    return value
