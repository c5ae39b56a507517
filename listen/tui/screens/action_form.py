"""Commit an action: a title, one owner and a due date (typed as people say it: +7d, friday).

The owner is one of the team (completed from listen.toml members and attendees; Tab, →, Enter take
the completion). A name that matches no one is asked about once: a new person, with a role?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from listen.session.dates import parse_due_from
from listen.session.errors import SessionError
from listen.tui.autosave import KeptDialog
from listen.tui.safe import lines, one_line, plain
from listen.tui.viewmodels import one_person_placeholder
from listen.tui.widgets.person_input import PersonInput, settle_person

DEFAULT_DUE = "+7d"


@dataclass(frozen=True)
class ActionDraft:
    title: str
    owner: str
    due: str  # as typed; the service resolves it
    new_person_role: str | None = None  # the owner is someone new to the team, with this role


class ActionForm(ModalScreen[ActionDraft | None]):
    CSS_PATH = "import_files.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="action-form-cancel"),
        Binding("ctrl+s", "save", "Commit", id="action-form-save"),
    ]

    def __init__(
        self,
        heading: str,
        *,
        title: str,
        people: Sequence[str],
        today: dt.date,
        owner: str = "",
        due: str = DEFAULT_DUE,
        earliest: dt.date | None = None,
    ) -> None:
        super().__init__()
        self.earliest = earliest or today  # the session's date: no action is due before it
        self.heading = heading
        self.initial_title = title
        self.people = [p for p in people if p]
        self.today = today
        self.owner = owner
        self.due = due

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as box:
            box.border_title = plain(self.heading)
            box.border_subtitle = "enter moves on · ctrl+s commits · esc cancels"
            with Horizontal(classes="field"):
                yield Label("Action")
                yield Input(one_line(self.initial_title), id="a-title", compact=True)
            with Horizontal(classes="field"):
                yield Label("Owner")
                yield PersonInput(
                    one_line(self.owner),
                    people=self.people,
                    placeholder=one_line(one_person_placeholder(self.people, "one person")),
                    id="a-owner",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Due")
                yield Input(
                    self.due, placeholder="2026-12-04, +7d, friday, next week", id="a-due", compact=True
                )
            yield Static("", id="due-resolved")
            yield Static("", id="problem")

    _due_problem = False  # the line under the form complains about the due date

    def on_mount(self) -> None:
        self._show_due(self.due)
        self.query_one("#a-owner" if self.initial_title else "#a-title", Input).focus()

    @on(Input.Changed, "#a-due")
    def _due_changed(self, event: Input.Changed) -> None:
        self._show_due(event.value)

    def _show_due(self, text: str) -> None:
        """Echo the day the text means as it is typed (or why it is not one); a valid day clears
        an earlier complaint about the date."""
        shown = due_echo(text, self.today, self.earliest)
        self.query_one("#due-resolved", Static).update(lines(shown))  # quotes what was typed
        if shown.startswith("due ") and self._due_problem:
            self.query_one("#problem", Static).update("")
            self._due_problem = False

    @on(Input.Submitted, "#a-title")
    def _title_done(self) -> None:
        self.query_one("#a-owner", Input).focus()

    @on(Input.Submitted, "#a-owner")
    def _owner_done(self) -> None:
        self.query_one("#a-due", Input).focus()

    @on(Input.Submitted, "#a-due")
    def _due_done(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        title = self.query_one("#a-title", Input).value.strip()
        owner_field = self.query_one("#a-owner", PersonInput)
        owner = " ".join(owner_field.accept_completion().split())
        due = self.query_one("#a-due", Input).value.strip()
        problem = self.query_one("#problem", Static)
        if not title:
            problem.update("What is the action? (a title is required)")
            return
        if not owner:
            problem.update("Who owns it? No orphans: every action has one owner.")
            self.query_one("#a-owner", Input).focus()
            return
        try:
            parse_due_from(due, self.today, self.earliest)
        except SessionError as error:
            problem.update(lines(str(error)))
            self.query_one("#due-resolved", Static).update("")  # the reason once, not twice
            self._due_problem = True  # cleared as soon as the date is valid
            self.query_one("#a-due", Input).focus()
            return
        settle_person(
            owner_field,
            "warehouse",
            lambda name, role: self._done(ActionDraft(title, name, due, new_person_role=role)),
        )

    def _done(self, draft: ActionDraft) -> None:
        self.dismiss(draft)

    def action_cancel(self) -> None:
        self.dismiss(None)


def due_echo(text: str, today: dt.date, earliest: dt.date, *, what: str = "the session") -> str:
    """What a due-date field shows under itself: 'due Friday 04 December 2026', or the reason."""
    try:
        day = dt.date.fromisoformat(parse_due_from(text, today, earliest, what=what))
    except SessionError as error:
        return str(error)
    return f"due {day:%A %d %B %Y}"


class CarryForward(KeptDialog[tuple[str, str] | None]):
    """Carry an action forward: a new due date (default a week after the session, echoed as
    typed, never before the session) and a note for the minutes. Returns (ISO due, note).

    A note typed anew is kept as done's and drop's are: Esc saves as ctrl+s does (a refused date
    stays on screen), and so does the app ending with the dialog open; Esc with the note
    untouched (or emptied) cancels."""

    CSS_PATH = "import_files.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="carry-cancel"),
        Binding("ctrl+s", "save", "Carry forward", id="carry-save"),
    ]

    def __init__(
        self, heading: str, *, label: str, today: dt.date, earliest: dt.date, note: str = ""
    ) -> None:
        super().__init__()
        self.heading = heading
        self.label = label
        self.today = today
        self.earliest = earliest
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as box:
            box.border_title = self.heading
            box.border_subtitle = "enter moves on · ctrl+s saves · esc cancels"
            yield Static(self.label, markup=False)
            with Horizontal(classes="field"):
                yield Label("New due")
                default = (self.earliest + dt.timedelta(days=7)).isoformat()
                yield Input(default, placeholder="2026-12-04, +7d, friday", id="c-due", compact=True)
            yield Static("", id="due-resolved")
            with Horizontal(classes="field"):
                yield Label("Note")
                yield Input(self.note, placeholder="for the minutes (optional)", id="c-note", compact=True)
            yield Static("", id="problem")

    def on_mount(self) -> None:
        self._echo(self.query_one("#c-due", Input).value)
        self.query_one("#c-due", Input).focus()

    @on(Input.Changed, "#c-due")
    def _due_changed(self, event: Input.Changed) -> None:
        self._echo(event.value)
        self._keep_typed()

    @on(Input.Changed, "#c-note")
    def _keep_typed(self) -> None:
        """What Esc (or the app ending) would save now: the answer, once a note is typed anew."""
        note = self.query_one("#c-note", Input).value
        self.keep(self._answer() if self._note_anew(note) else None)

    def _note_anew(self, note: str) -> bool:
        return bool(note.strip()) and note != self.note

    def _answer(self) -> tuple[str, str] | None:
        """(ISO due, note) as the fields hold them, or None while the date is not one."""
        try:
            return self._due(), self.query_one("#c-note", Input).value.strip()
        except SessionError:
            return None

    def _due(self) -> str:
        return parse_due_from(self.query_one("#c-due", Input).value, self.today, self.earliest)

    def _echo(self, text: str) -> None:
        shown = due_echo(text, self.today, self.earliest)
        self.query_one("#due-resolved", Static).update(shown)
        if shown.startswith("due "):
            self.query_one("#problem", Static).update("")

    @on(Input.Submitted, "#c-due")
    def _due_done(self) -> None:
        self.query_one("#c-note", Input).focus()

    @on(Input.Submitted, "#c-note")
    def _note_done(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        try:
            due = self._due()
        except SessionError as error:
            self.query_one("#problem", Static).update(str(error))
            self.query_one("#due-resolved", Static).update("")  # the reason once, not twice
            self.query_one("#c-due", Input).focus()
            return
        self.dismiss((due, self.query_one("#c-note", Input).value.strip()))

    def action_cancel(self) -> None:
        if self._note_anew(self.query_one("#c-note", Input).value):
            self.action_save()  # the note typed is kept, as done's and drop's are
        else:
            self.dismiss(None)
