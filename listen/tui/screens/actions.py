"""Actions: every committed fix with its owner, due date, status and origin; overdue ones stand out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from listen.domain import Action
from listen.session import service
from listen.session.dates import parse_due_from
from listen.session.errors import SessionError
from listen.store.validate import InvalidDocumentError
from listen.tui.safe import one_line
from listen.tui.screens.action_form import due_echo
from listen.tui.screens.base import ListenScreen
from listen.tui.screens.modals import PersonPrompt, TextPrompt
from listen.tui.widgets.nav import NavBar
from listen.tui.widgets.table import Col, ListenTable

COLUMNS = (
    Col("id", "ID", 5),
    Col("title", "Title"),
    Col("owner", "Owner", 12),
    Col("due", "Due", 18),
    Col("status", "Status", 7),
    Col("origin", "Origin", 12, min_table=110),
    Col("session", "Session", 10, min_table=100),
)
STATUS_STYLE = {"open": "bold", "done": "green", "dropped": "dim"}
OUTCOME_WORDS = {"done": "done", "carried": "carried forward", "dropped": "dropped"}


@dataclass(frozen=True)
class ActionsData:
    actions: list[Action]
    origins: dict[str, str]  # "idea I-4" / "gap G-1" -> the idea's text or the gap's title
    invalid: list[InvalidDocumentError] = field(default_factory=list)  # left out, named
    attendees: dict[str, list[str]] = field(default_factory=dict)  # session id -> who was there
    open_sessions: set[str] = field(default_factory=set)


def action_detail(action: Action, today: dt.date, origins: dict[str, str]) -> Text:
    """An action in full: title, owner, due, status, where it came from and every follow-up."""
    text = Text()
    text.append(one_line(f"{action.id} "), style="dim")
    text.append(one_line(action.title), style="bold")
    text.append("\n" + one_line(action.owner))
    if action.due:
        text.append(one_line(f" · due {action.due}"))
        if action.is_overdue(today):
            late = (today - dt.date.fromisoformat(action.due)).days
            text.append(f" (overdue by {late} day{'s' if late != 1 else ''})", style="bold red")
    text.append(one_line(f" · {action.status}"), style=STATUS_STYLE.get(action.status, ""))
    if action.session_id:
        text.append(one_line(f" · committed {action.session_id}"), style="dim")
    origin = f"{action.origin_kind} {action.origin_id}" if action.origin_id else ""
    if origin:
        text.append("\n" + one_line(f"from {origin}"), style="dim")
        if origins.get(origin):
            text.append(one_line(f": {origins[origin]}"), style="dim")
    for follow_up in action.follow_ups:
        outcome = OUTCOME_WORDS.get(follow_up.outcome, follow_up.outcome)
        text.append("\n" + one_line(f"{follow_up.session_id}: {outcome}"))
        if follow_up.note:
            text.append(one_line(f" · {follow_up.note}"), style="italic")
    return text


class ActionsScreen(ListenScreen):
    MODE = "actions"
    CSS_PATH = "actions.tcss"
    AUTO_FOCUS = "#actions-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "set_status('done')", "Done", id="action-done"),
        Binding("x", "set_status('dropped')", "Drop", id="action-drop"),
        Binding("o", "set_status('open')", "Reopen", id="action-reopen"),
        Binding("w", "edit_owner", "Owner", id="action-owner"),
        Binding("u", "edit_due", "Due date", id="action-due"),
        Binding("e", "edit_title", "Title", show=False, id="action-title"),
        Binding("a", "toggle_all", "Open / all", id="action-filter"),
    ]

    show_all: bool = False
    data: ActionsData | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("actions")
        yield Static("", id="actions-summary")
        yield ListenTable(COLUMNS, id="actions-table")
        yield Static("", id="action-detail")
        yield Footer(compact=True)

    def load_data(self) -> Any:
        store = self.listen.store
        invalid: list[InvalidDocumentError] = []  # one bad action, idea or gap costs only itself
        origins = {f"idea {idea.id}": idea.text for idea in store.ideas(skipped=invalid)}
        gaps = store.gaps(include_merged=True, skipped=invalid)
        origins |= {f"gap {gap.id}": gap.title for gap in gaps}
        sessions = store.sessions(skipped=invalid)
        attendees = {s.id: [a.name for a in s.attendees] for s in sessions}
        open_sessions = {s.id for s in sessions if s.status == "open"}
        return ActionsData(store.actions(skipped=invalid), origins, invalid, attendees, open_sessions)

    def show_data(self, data: Any) -> None:
        self.data = data
        self._fill()
        self.tell_unreadable(data.invalid)

    def _fill(self) -> None:
        if self.data is None:
            return
        today = self.listen.clock.today()
        actions = self.data.actions
        shown = actions if self.show_all else [a for a in actions if a.status == "open"]
        shown = sorted(shown, key=lambda a: (a.status != "open", a.due or "9999", a.id))
        rows = []
        for action in shown:
            overdue = action.is_overdue(today)
            due = Text(action.due or "—", style="bold red" if overdue else "")
            if overdue:
                due.append(" overdue", style="red")
            origin = f"{action.origin_kind} {action.origin_id or ''}".strip()
            rows.append(
                (
                    action.id,
                    [
                        Text(action.id, style="dim"),
                        action.title,
                        action.owner,
                        due,
                        Text(action.status, style=STATUS_STYLE.get(action.status, "")),
                        origin,
                        action.session_id or "",
                    ],
                )
            )
        self.query_one(ListenTable).replace_rows(rows)
        open_count = sum(1 for a in actions if a.status == "open")
        late = sum(1 for a in actions if a.is_overdue(today))
        summary = Text()
        summary.append(f" {open_count} open", style="bold")
        if late:
            summary.append(f" · {late} overdue", style="bold red")
        summary.append(f" · {len(actions)} in all", style="dim")
        summary.append("   showing " + ("all" if self.show_all else "open only") + " (a)", style="dim")
        self.query_one("#actions-summary", Static).update(summary)
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        action = self._current()
        detail = self.query_one("#action-detail", Static)
        if action is None or self.data is None:
            detail.update(Text("No action here yet: actions are committed in a session.", style="dim"))
            return
        detail.update(action_detail(action, self.listen.clock.today(), self.data.origins))

    # ---- actions
    def _current(self) -> Action | None:
        key = self.query_one(ListenTable).current_key
        if key is None or self.data is None:
            return None
        return next((a for a in self.data.actions if a.id == key), None)

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self._fill()

    def action_set_status(self, status: str) -> None:
        action = self._current()
        if action is None:
            return
        store, now = self.listen.store, self.listen.clock.now
        self.listen.save(
            f"{action.id} {status}",
            lambda: service.set_action_status(store, action.id, status, now=now),
            lambda updated: self.notify(f"{updated.id} is now {updated.status}."),
        )

    def action_edit_owner(self) -> None:
        """The owner as the Commit step's form takes one: completed from the team (listen.toml
        members and the action's session's attendees), never a fragment; someone new is asked
        about once, and joins the action's session (with the role typed) while it is open."""
        action = self._current()
        if action is None or self.data is None:
            return
        store = self.listen.store
        session_id = action.session_id or ""
        people = list(self.data.attendees.get(session_id, []))
        people += [m.name for m in self.listen.settings.members if m.name not in people]
        joins = session_id in self.data.open_sessions
        prompt = PersonPrompt(
            f"Owner of {action.id}",
            people=people,
            label=one_line(action.title),
            value=action.owner,
            joins="the open session's people" if joins else "",
        )

        def save(owner: str | None) -> None:
            if not owner or owner == action.owner:
                return
            role = prompt.new_role

            def write() -> Action:
                if role is not None and joins:  # someone new to the team: one of that session
                    service.add_attendee(store, session_id, owner, role)
                return service.update_action(store, action.id, owner=owner)

            self.listen.save(f"{action.id} owner", write)

        self.app.push_screen(prompt, save)

    def action_edit_due(self) -> None:
        action = self._current()
        if action is None:
            return
        store = self.listen.store
        today = self.listen.clock.today()

        def check(text: str) -> str | None:
            try:
                service.action_due(store, action, text, today)
                parse_due_from(text, today, today, what="today")  # never a day already past
            except SessionError as error:
                return str(error)
            return None

        def save(due: str | None) -> None:
            if due:
                self.listen.save(
                    f"{action.id} due date",
                    lambda: service.update_action(store, action.id, due=due, today=today),
                )

        self.app.push_screen(
            TextPrompt(
                f"Due date of {action.id}",
                label=one_line(action.title),
                value=action.due or "",
                placeholder="2026-12-04, +7d, friday",
                check=check,
                hint=lambda text: due_echo(text, today, today, what="today"),  # the day it means, as typed
            ),
            save,
        )

    def action_edit_title(self) -> None:
        action = self._current()
        if action is None:
            return
        store = self.listen.store

        def save(title: str | None) -> None:
            if title:
                self.listen.save(
                    f"{action.id} title", lambda: service.update_action(store, action.id, title=title)
                )

        self.app.push_screen(TextPrompt(f"Title of {action.id}", value=action.title), save)
