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

USING = """\
## Running a session
The agenda on the left follows the prompt pack. Each step shows its timebox and the time spent:
**n** moves on, **b** goes back, **k** skips a step, **+** gives the step two more minutes,
**j** jumps to any step, **A** adds someone who arrives late, **N** adds a note to the minutes.
Every change is saved at once; if the terminal closes, open the app again and resume.

## Listening and tagging
In the transcript, **enter** (or a click) plays from a segment, **shift+↑/↓** selects a range,
**q** marks it as a quote, **g** tags a gap at that moment, **s** starts a minute of silent notes.
**p** plays and pauses, **←/→** skip five seconds, **<**/**>** change the speed.
The gap picker searches the gaps you already have first, so a recurring gap is linked, not
duplicated. Gaps belong to the system, never to a person: blame phrasing earns a gentle hint.
"""


def _section(title: str, doc: str | None, marker: str) -> str:
    """The part of a core module's documentation that explains a figure (one source of truth)."""
    text = doc or ""
    if marker in text:
        text = text[text.index(marker) :]
        text = text.split("\n", 2)[-1] if text.startswith(marker) else text
    return f"## {title}\n{text.strip()}\n"


def notes() -> str:
    from listen.session import recurrence, story

    return "\n".join(
        [
            USING,
            _section(
                "Story check: how cohesion is computed", story.__doc__, "How the cohesion figure is computed"
            ),
            "## Recurring gaps\n"
            "*Seen* counts every clip moment a gap was tagged on; *weeks* counts the calendar weeks "
            f"it was seen in. A gap tagged in {recurrence.RECURRING_RUN} or more sessions in a row "
            "is marked recurring (sessions, not weeks: a holiday week does not break the run).\n",
        ]
    )


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
            yield Markdown(notes(), id="help-notes")
        yield Footer(compact=True)

    @property
    def entries(self) -> list[tuple[str, str]]:
        """(key, what it does) for every key in scope on the screen help was opened from: the keys
        of what has focus first (the step being run, the player), the app-wide ones last."""
        commands = sorted(
            commands_in_scope(self.origin), key=lambda c: (-len(c.node.ancestors_with_self), c.name)
        )
        return [(self.app.get_key_display(Binding(c.key, c.action)), c.name) for c in commands]

    def _keys_table(self) -> Table:
        table = Table(title="Keys on this screen", expand=True, show_edge=False, title_justify="left")
        table.add_column("key", no_wrap=True, style="bold")
        table.add_column("does", ratio=1)
        for key, name in self.entries:
            table.add_row(key, Text(name))
        return table
