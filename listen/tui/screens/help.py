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


def _key_order(key: str) -> tuple[int, str, str]:
    """Letters first (a before A), then digits and signs, then keys with names (tab, ^p, ⏎)."""
    rank = 0 if len(key) == 1 and key.isalpha() else 1 if len(key) == 1 else 2
    return (rank, key.lower(), key.swapcase())


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
        """(key, what it does) for every key in scope on the screen help was opened from, grouped
        by where it works: what has focus first (the step being run, the player), then the screen,
        the app-wide keys last; in each group by key (letters, then digits and signs, then named
        keys such as tab or ⏎)."""
        rows = [
            (len(c.node.ancestors_with_self), self.app.get_key_display(Binding(c.key, c.action)), c.name)
            for c in commands_in_scope(self.origin)
        ]
        rows.sort(key=lambda row: (-row[0], row[2].split(": ", 1)[0], _key_order(row[1]), row[2]))
        return [(key, name) for _depth, key, name in rows]

    def _keys_table(self) -> Table:
        table = Table(title="Keys on this screen", expand=True, show_edge=False, title_justify="left")
        table.add_column("key", no_wrap=True, style="bold")
        table.add_column("does", ratio=1)
        group = None
        for key, name in self.entries:
            where = name.split(": ", 1)[0]
            table.add_row(key, Text(name), end_section=False)
            if group is not None and where != group:
                table.rows[-2].end_section = True  # a line between one group of keys and the next
            group = where
        return table
