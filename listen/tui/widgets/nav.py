"""The top line of every screen: the app name, the seven screens (with their keys), the workspace."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from listen.tui.safe import one_line

TABS: tuple[tuple[str, str, str], ...] = (
    ("1", "home", "Home"),
    ("2", "inbox", "Inbox"),
    ("3", "session", "Session"),
    ("4", "gaps", "Gaps"),
    ("5", "actions", "Actions"),
    ("6", "minutes", "Minutes"),
    ("7", "trends", "Trends"),
)


class NavBar(Widget):
    """Clickable tabs; the current screen stands out."""

    DEFAULT_CSS = """
    NavBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text-muted;
        link-style: none;
        link-style-hover: bold reverse;
        link-background-hover: $accent 30%;
        link-color: $text;
    }
    """

    def __init__(self, current: str, *, note: str = "") -> None:
        super().__init__()
        self.current = current
        self.note = one_line(note)  # a folder name, a facilitator's name

    def set_note(self, note: str) -> None:
        self.note = one_line(note)
        self.refresh()

    def render(self) -> RenderResult:
        parts: list[Content] = [Content.from_markup(" [b $accent]listen[/] ")]
        for key, mode, title in TABS:
            if mode == self.current:
                tab = Content.from_markup(f"[reverse $accent] {key} {title} [/]")
            else:  # constants only: safe to place in markup
                tab = Content.from_markup(f"[@click=app.switch_mode('{mode}')] [dim]{key}[/] {title} [/]")
            parts.append(tab)
        line = Content("").join(parts)
        if self.note:
            room = self.size.width - line.cell_length - 2
            if room > 8:
                note = self.note if len(self.note) <= room else "…" + self.note[-(room - 1) :]
                line = line + Content(" " * (room - len(note) + 1)) + Content(note)
        return line
