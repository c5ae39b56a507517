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

from listen.session.dates import parse_due
from listen.session.errors import SessionError
from listen.tui.screens.modals import TextPrompt
from listen.tui.viewmodels import one_person_placeholder
from listen.tui.widgets.person_input import PersonInput

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
    ) -> None:
        super().__init__()
        self.heading = heading
        self.initial_title = title
        self.people = [p for p in people if p]
        self.today = today
        self.owner = owner
        self.due = due

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as box:
            box.border_title = self.heading
            box.border_subtitle = "enter moves on · ctrl+s commits · esc cancels"
            with Horizontal(classes="field"):
                yield Label("Action")
                yield Input(self.initial_title, id="a-title", compact=True)
            with Horizontal(classes="field"):
                yield Label("Owner")
                yield PersonInput(
                    self.owner,
                    people=self.people,
                    placeholder=one_person_placeholder(self.people, "one person"),
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

    def on_mount(self) -> None:
        self._show_due(self.due)
        self.query_one("#a-owner" if self.initial_title else "#a-title", Input).focus()

    @on(Input.Changed, "#a-due")
    def _due_changed(self, event: Input.Changed) -> None:
        self._show_due(event.value)

    def _show_due(self, text: str) -> None:
        try:
            resolved = parse_due(text, self.today)
        except SessionError as error:
            self.query_one("#due-resolved", Static).update(str(error))
            return
        day = dt.date.fromisoformat(resolved)
        self.query_one("#due-resolved", Static).update(f"due {day:%A %d %B %Y}")

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
            parse_due(due, self.today)
        except SessionError as error:
            problem.update(str(error))
            self.query_one("#a-due", Input).focus()
            return
        known = owner_field.known
        if known is not None:
            self.dismiss(ActionDraft(title, known, due))  # in the spelling the team knows
            return

        def answered(role: str | None) -> None:
            if role is None:  # not someone new after all: back to the name
                owner_field.focus()
                return
            self.dismiss(ActionDraft(title, owner, due, new_person_role=role))

        self.app.push_screen(
            TextPrompt(
                "Someone new?",
                label=f"No one on the team is called “{owner}”. Enter adds {owner} to this session's "
                "people, with the role typed here (optional); esc goes back to the name.",
                placeholder="their role, e.g. warehouse",
            ),
            answered,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
