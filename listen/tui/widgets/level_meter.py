"""A live microphone level: a bar from silence to full scale, green, then amber, then red."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

FLOOR_DB = -60.0


class LevelMeter(Widget):
    DEFAULT_CSS = """
    LevelMeter {
        height: 1;
        width: 1fr;
    }
    """

    dbfs: reactive[float] = reactive(-120.0)

    def render(self) -> RenderResult:
        width = max(10, self.size.width - 10)
        fraction = 0.0 if self.dbfs <= FLOOR_DB else min(1.0, (self.dbfs - FLOOR_DB) / -FLOOR_DB)
        filled = round(fraction * width)
        green_end = round(width * 0.7)
        amber_end = round(width * 0.9)
        parts: list[str | tuple[str, str]] = []
        for start, end, style in (
            (0, green_end, "$success"),
            (green_end, amber_end, "$warning"),
            (amber_end, width, "$error"),
        ):
            lit = max(0, min(filled, end) - start)
            if lit:
                parts.append(("█" * lit, style))
        parts.append(("░" * (width - filled), "$panel-lighten-2"))
        label = "silence" if self.dbfs <= -119 else f"{self.dbfs:5.0f} dB"
        parts.append((f" {label:>8}", "dim"))
        return Content.assemble(*parts)
