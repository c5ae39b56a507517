"""A SelectionList whose unticked rows look unticked without colour: Textual draws ``▐X▌`` on every
row and tells ticked from unticked by colour alone, which a 16-colour or monochrome terminal (and
a screen reader, and a plain capture) cannot show. Here an unticked row's box is empty: ``▐ ▌``."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

UNTICKED = " " * len(Checkbox.BUTTON_INNER)


class TickList(SelectionList[Any]):
    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return line
        if selection.value in self._selected:
            return line
        segments = list(line)
        # SelectionList draws the box as its first three segments: left side, inner mark, right side
        if len(segments) > 2 and segments[1].text == Checkbox.BUTTON_INNER:
            segments[1] = Segment(UNTICKED, segments[1].style, segments[1].control)
            return Strip(segments, line.cell_length)
        return line
