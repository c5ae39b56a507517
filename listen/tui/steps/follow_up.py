"""Follow up: the actions still open from earlier sessions: done, carry forward (with a new due
date, a week after the session unless changed), or drop, with a note. Moving on while some are
undecided asks once; the minutes list those as "not discussed"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from listen.domain import Action
from listen.session import service
from listen.tui.safe import one_line
from listen.tui.screens.action_form import CarryForward
from listen.tui.screens.modals import TextPrompt
from listen.tui.steps.base import StepView
from listen.tui.widgets.table import Col, ListenTable

COLUMNS = (
    Col("id", "ID", 5),
    Col("title", "Action"),
    Col("owner", "Owner", 12),
    Col("due", "Due", 10),
    Col("now", "Decided", 13),  # the outcome; the note is in the line under the table
)
OUTCOME_STYLE = {"done": "bold green", "carried": "bold yellow", "dropped": "dim"}
OUTCOME_WORD = {"done": "done", "carried": "carry forward", "dropped": "drop"}


@dataclass(frozen=True)
class FollowUpData:
    actions: list[Action]


class FollowUpStep(StepView):
    KIND = "follow_up"
    FOCUS = "#follow-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "decide('done')", "Done", id="follow-done"),
        Binding("c", "decide('carried')", "Carry forward", id="follow-carry"),
        Binding("x", "decide('dropped')", "Drop", id="follow-drop"),
    ]

    actions: list[Action]

    def compose(self) -> ComposeResult:
        yield self.prompt_card()
        yield Static("", id="follow-summary", classes="summary")
        yield ListenTable(COLUMNS, id="follow-table")
        yield self.detail_line()

    def on_mount(self) -> None:
        self.actions = []
        super().on_mount()

    def load_data(self) -> Any:
        return FollowUpData(service.actions_to_follow_up(self.store, self.session_id, reuse=self.reuse))

    def show_data(self, data: Any) -> None:
        self.actions = list(data.actions)
        self._fill()

    def _fill(self) -> None:
        today = self.listen.clock.today()
        rows = []
        decided = 0
        for action in self.actions:
            decision = service.follow_up_in(action, self.session_id)
            now = Text("—", style="dim")
            if decision is not None:
                decided += 1
                now = Text(OUTCOME_WORD[decision.outcome], style=OUTCOME_STYLE[decision.outcome])
            due = Text(action.due or "", style="bold red" if action.is_overdue(today) else "")
            rows.append((action.id, [Text(action.id, style="dim"), action.title, action.owner, due, now]))
        self.query_one(ListenTable).replace_rows(rows)
        summary = Text()
        if not self.actions:
            summary.append(
                "No open actions from earlier sessions: nothing to follow up. n moves on.", style="dim"
            )
        else:
            summary.append(f"{decided} of {len(self.actions)} followed up", style="bold")
            summary.append("   d done · c carry forward · x drop (each asks for a note)", style="dim")
        self.query_one("#follow-summary", Static).update(summary)
        self.show_detail()

    def detail_text(self) -> Text:
        """The highlighted action in full and what was decided."""
        key = self.query_one(ListenTable).current_key
        action = next((a for a in self.actions if a.id == key), None)
        detail = Text()
        if action is not None:
            overdue = action.is_overdue(self.listen.clock.today())
            detail.append(one_line(f"{action.id} "), style="dim")
            detail.append(one_line(action.title), style="bold")
            detail.append(one_line(f" · {action.owner}" + (f" · due {action.due}" if action.due else "")))
            if overdue:
                detail.append(" (overdue)", style="bold red")
            decision = service.follow_up_in(action, self.session_id)
            if decision is not None:
                detail.append("\nDecided: ", style="dim")
                detail.append(OUTCOME_WORD[decision.outcome], style=OUTCOME_STYLE[decision.outcome])
                if decision.note:
                    detail.append(one_line(f": {decision.note}"), style="italic")
        return detail

    def action_decide(self, outcome: str) -> None:
        key = self.query_one(ListenTable).current_key
        action = next((a for a in self.actions if a.id == key), None)
        if action is None:
            return
        previous = service.follow_up_in(action, self.session_id)
        store, session_id = self.store, self.session_id

        def noted(note: str | None, due: str | None = None) -> None:
            if note is None:
                return
            self.save(
                f"follow-up of {action.id}",
                lambda: service.follow_up(store, session_id, action.id, outcome, note, due),
                self._updated,
            )

        if outcome == "carried":  # a new due date too, or it stays overdue with its old one
            session_day = dt.date.fromisoformat(self.session.date[:10])

            def carried(answer: tuple[str, str] | None) -> None:
                if answer is not None:
                    noted(answer[1], answer[0])

            self.app.push_screen(
                CarryForward(
                    f"{action.id}: carry forward",
                    label=f"{action.title}\nwas due {action.due or 'no date'}",
                    today=self.listen.clock.today(),
                    earliest=session_day,
                    note=previous.note if previous else "",
                ),
                carried,
            )
            return
        self.app.push_screen(
            TextPrompt(
                f"{action.id}: {OUTCOME_WORD[outcome]}",
                label=f"{one_line(action.title)}\nA note for the minutes (optional; enter saves)",
                value=previous.note if previous else "",
                keep_on_escape=True,
            ),
            noted,
        )

    _warned = False  # asked once about moving on with undecided actions

    def before_leaving(self) -> str | None:
        """A question for the screen to ask before the agenda moves on (once), or None."""
        if self._warned:
            return None
        undecided = [a.id for a in self.actions if service.follow_up_in(a, self.session_id) is None]
        if not undecided:
            return None
        self._warned = True
        return (
            f"{len(undecided)} earlier action(s) not decided yet ({', '.join(undecided)}). "
            "Move on anyway? The minutes will list them as not discussed."
        )

    def _updated(self, action: Action) -> None:
        self.actions = [action if a.id == action.id else a for a in self.actions]
        self._fill()
        table = self.query_one(ListenTable)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)
