"""The minutes drawn in the app (Minutes screen, Close step): Textual's Markdown with tables whose
columns share the width fairly.

Textual shrinks a table that is too wide by taking the whole excess from the first column down to
its longest word, then from the next: in the minutes the first column is the action or the idea, so
at 120 columns "A-2 Ask the courier for tracking links that last 30 days" stood one word per line
beside a roomy note. Here the widest columns give up room first, down to a shared cap, so short
columns (owner, due date) keep their text on one line and long ones wrap evenly."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.layout import Layout
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownTable, MarkdownTableContent

CELL_PADDING = 2  # a cell's padding: one on each side
GUTTER = 1  # the line between two columns
UNWRAP = 4  # a column this many cells short of its one-line width is given them...
MIN_WIDE = 16  # ...by the widest column, if that keeps at least this much


def fair_widths(natural: Sequence[int], least: Sequence[int], room: int) -> list[int]:
    """Column widths that fit ``room``: each column's ``natural`` width when they all fit; else the
    widest are cut to one shared cap (never below a column's ``least``, its longest word), so the
    narrow columns keep their natural width. When even the least widths do not fit, the least."""
    if sum(natural) <= room:
        return list(natural)
    floor = [min(n, m) for n, m in zip(natural, least, strict=True)]
    if sum(floor) >= room:
        return floor

    def widths(cap: int) -> list[int]:
        return [max(f, min(n, cap)) for n, f in zip(natural, floor, strict=True)]

    low, high = 0, max(natural)
    while low < high:  # the largest cap that still fits
        middle = (low + high + 1) // 2
        if sum(widths(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    result = widths(low)
    spare = room - sum(result)
    for index in sorted(range(len(result)), key=lambda i: natural[i] - result[i], reverse=True):
        if spare <= 0:
            break
        if result[index] < natural[index]:  # the columns still cut get the last few cells
            result[index] += 1
            spare -= 1
    # a column a few cells short of one line ("2026-11-20 (overdue)") takes them from the widest,
    # which wraps anyway
    for index in sorted(range(len(result)), key=lambda i: natural[i] - result[i]):
        short = natural[index] - result[index]
        widest = max(range(len(result)), key=lambda i: result[i])
        if 0 < short <= UNWRAP and widest != index and result[widest] - short >= max(floor[widest], MIN_WIDE):
            result[index] += short
            result[widest] -= short
    return result


def _longest_word(content: Content) -> int:
    return max((len(word) for word in content.plain.split()), default=0)


class FairTableContent(MarkdownTableContent):
    _shared = ""  # the grid-columns last set

    def pre_layout(self, layout: Layout) -> None:
        super().pre_layout(layout)
        layout.shrink = False  # type: ignore[attr-defined]  # the widths below already fit
        layout.auto_minimum = False  # type: ignore[attr-defined]

    def on_resize(self, event: events.Resize) -> None:
        self._share_width(event.size.width)

    def _share_width(self, width: int) -> None:
        columns = len(self.headers)
        if not columns or width <= 0:
            return
        cells = [self.headers, *self.rows]
        natural = [
            max(row[i].cell_length if i < len(row) else 0 for row in cells) + CELL_PADDING
            for i in range(columns)
        ]
        least = [
            max(_longest_word(row[i]) if i < len(row) else 0 for row in cells) + CELL_PADDING
            for i in range(columns)
        ]
        room = width - GUTTER * (columns + 1)  # a line between columns, and at both edges
        shared = " ".join(str(w) for w in fair_widths(natural, least, room))
        if shared != self._shared:
            self._shared = shared
            self.styles.grid_columns = shared


class FairTable(MarkdownTable):
    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers = headers
        self._rows = rows
        yield FairTableContent(headers, rows)


class MinutesView(Markdown):
    """Markdown whose tables share their width fairly (see the module's note)."""

    BLOCKS = {**Markdown.BLOCKS, "table_open": FairTable}  # noqa: RUF012 - Textual reads it from the class
