"""A row-cursor DataTable that can be refilled without losing the row the user was on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


class ListenTable(DataTable[Any]):
    DEFAULT_CSS = """
    ListenTable {
        height: 1fr;
    }
    """

    def __init__(self, columns: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._column_spec = list(columns)  # (key, label)

    def on_mount(self) -> None:
        for key, label in self._column_spec:
            self.add_column(label, key=key)

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:
            return None
        return row_key.value

    def replace_rows(self, rows: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Put these (key, cells) rows in place, keeping the cursor on the same key if it is there."""
        keep = self.current_key
        old_index = self.cursor_row
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if not rows:
            return
        index = min(old_index, len(rows) - 1)
        if keep is not None:
            try:
                index = self.get_row_index(keep)
            except RowDoesNotExist:
                pass
        self.move_cursor(row=max(0, index), animate=False)
