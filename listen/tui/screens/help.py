"""Help: every key in scope on the screen you came from, and how the figures are computed."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Markdown, Static

from listen.tui.commands import commands_in_scope

NOTES = """\
## Running a session
The agenda on the left follows the prompt pack. Each step shows its timebox and the time spent;
**n** moves on, **b** goes back, **k** skips a step, **+** gives the step five more minutes.
Every change is saved at once; if the terminal closes, open the app again and resume.

## Tagging
Select a transcript segment (**enter** plays from it, **space** marks it; **shift+↑/↓** extends the
range), then **q** marks a quote and **g** tags a gap. The gap picker searches the gaps you already
have first, so a recurring gap is linked, not duplicated. Gaps belong to the system, never to a
person: blame phrasing earns a gentle reframing hint.

## Story check cohesion
Each attendee answers the three questions. The cohesion figure (0-100) is the mean pairwise
similarity of the answers: each answer becomes a set of meaningful words (common words dropped),
every pair of answers is compared (shared words over all words), and the mean over all pairs is
scaled to 0-100. The words most answers share are listed, and the answer whose mean similarity to
the others is lowest is named as standing furthest apart. The figure is kept per session, so the
minutes show its trend.

## Recurring gaps
*Times seen* counts every link from a clip; *weeks recurring* counts the distinct weeks in which
sessions linked it. A gap seen in two or more weeks is marked recurring.
"""


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "dismiss(None)", "Close help", id="help-close"),
    ]

    def __init__(self, origin: Screen[Any]) -> None:
        super().__init__()
        self.origin = origin

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Help"
            body.border_subtitle = "esc to close · ctrl+p searches every command"
            yield Static(self._keys_table(), id="help-keys")
            yield Markdown(NOTES, id="help-notes")
        yield Footer(compact=True)

    def _keys_table(self) -> Table:
        table = Table(title="Keys on this screen", expand=True, show_edge=False, title_justify="left")
        table.add_column("key", no_wrap=True, style="bold")
        table.add_column("does", ratio=1)
        rows = sorted(commands_in_scope(self.origin), key=lambda c: c.name)
        for command in rows:
            table.add_row(self.app.get_key_display(_binding_for(command)), Text(command.name))
        return table


def _binding_for(command: Any) -> Binding:
    return Binding(command.key, command.action)
