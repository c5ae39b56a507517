"""Small text formatting shared by the human-readable command outputs."""

from __future__ import annotations

from listen.display import one_line
from listen.timefmt import short_time

__all__ = ["short_time", "table"]


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned text table (no colour, safe to pipe). Every cell goes through the display
    sanitiser: one line each, no control characters."""
    headers = [one_line(h) for h in headers]
    rows = [[one_line(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)
