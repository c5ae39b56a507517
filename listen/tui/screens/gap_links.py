"""The clips and quotes behind one gap; choose one to open the clip at that moment."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from listen.domain import Clip
from listen.tui.safe import multi_line, one_line, plain
from listen.tui.viewmodels import GapRow
from listen.tui.widgets.gap_detail import link_label


class GapLinksModal(ModalScreen[None]):
    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="gap-links-close"),
    ]

    def __init__(self, row: GapRow, clips: dict[str, Clip]) -> None:
        super().__init__()
        self.row = row
        self.clips = clips

    def compose(self) -> ComposeResult:
        gap = self.row.gap
        with Vertical(classes="dialog wide") as dialog:
            dialog.border_title = plain(f"{gap.id}: clips & quotes")
            yield Static(_head(self.row), classes="question")
            options = []
            for index, link in enumerate(gap.links):
                disabled = link.clip_id not in self.clips
                options.append(Option(link_label(link, self.clips), id=str(index), disabled=disabled))
            if options:
                yield OptionList(*options, id="links")
            else:
                yield Static("No clip is linked to this gap yet.", classes="question")
            yield Static("enter: open the clip at that moment · esc: close", classes="keys")

    @on(OptionList.OptionSelected, "#links")
    def _open(self, event: OptionList.OptionSelected) -> None:
        link = self.row.gap.links[int(event.option.id or 0)]
        clip = self.clips.get(link.clip_id or "")
        if clip is None:
            return
        from listen.tui.screens.clip import ClipScreen

        self.dismiss(None)
        self.app.push_screen(ClipScreen(clip.id, start_at=link.at))


def _head(row: GapRow) -> Text:
    """The gap's title and figures (one line each) and its description: plain text, no markup."""
    gap = row.gap
    figures = f"{gap.category} · seen {row.times_seen}× · {row.weeks_recurring} week(s)"
    parts = [one_line(gap.title), one_line(figures)]
    if gap.description:
        parts.append(multi_line(gap.description))
    return Text("\n".join(parts), end="")
