"""Commit: each picked idea becomes an action with one owner and a due date. No orphans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from listen.domain import Action, FixIdea
from listen.session import service
from listen.tui.safe import one_line
from listen.tui.screens.action_form import ActionDraft, ActionForm
from listen.tui.steps.base import StepView
from listen.tui.widgets.table import Col, ListenTable, Row

COLUMNS = (
    Col("idea", "Picked idea"),
    Col("action", "Action", 6),
    Col("owner", "Owner", 12),
    Col("due", "Due", 10),
)
PLAIN = "plain:"


@dataclass(frozen=True)
class CommitData:
    picked: list[FixIdea]
    actions: list[Action]  # committed in this session


class CommitStep(StepView):
    KIND = "commit"
    FOCUS = "#commit-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "commit", "Owner & due", id="commit-action"),
        Binding("a", "plain_action", "Other action", id="commit-plain"),
    ]

    data: CommitData | None = None

    def compose(self) -> ComposeResult:
        yield self.prompt_card()
        yield Static("", id="commit-summary", classes="summary")
        yield ListenTable(COLUMNS, id="commit-table")
        yield self.detail_line()

    def load_data(self) -> Any:
        reuse = self.reuse  # only documents changed since the last load are made again
        picked = [i for i in self.store.ideas(self.session_id, reuse=reuse.ideas) if i.picked]
        return CommitData(picked, service.session_actions(self.store, self.session_id, reuse=reuse))

    def show_data(self, data: Any) -> None:
        self.data = data
        self._fill()

    def _action_for(self, idea: FixIdea) -> Action | None:
        assert self.data is not None
        return next(
            (a for a in self.data.actions if a.origin_kind == "idea" and a.origin_id == idea.id), None
        )

    def _fill(self) -> None:
        assert self.data is not None
        today = self.listen.clock.today()
        rows: list[Row] = []
        orphans = 0
        for idea in self.data.picked:
            action = self._action_for(idea)
            text = Text(f"{idea.id} ", style="dim")
            text.append(one_line(idea.text))
            if action is None:
                orphans += 1
                needs = Text("needs one", style="bold red")
                rows.append((idea.id, [text, Text("—", style="bold red"), needs, Text("(o)", style="red")]))
            else:
                due = Text(action.due or "", style="bold red" if action.is_overdue(today) else "")
                rows.append((idea.id, [text, Text(action.id, style="bold green"), action.owner, due]))
        idea_ids = {i.id for i in self.data.picked}
        for action in self.data.actions:
            if action.origin_kind == "idea" and action.origin_id in idea_ids:
                continue
            rows.append(
                (
                    PLAIN + action.id,
                    [
                        Text.assemble(("other: ", "dim"), one_line(action.title)),
                        Text(action.id, style="bold green"),
                        action.owner,
                        action.due or "",
                    ],
                )
            )
        self.query_one(ListenTable).replace_rows(rows)
        summary = Text()
        if not self.data.picked and not self.data.actions:
            summary.append(
                "No idea was picked: go back (b) to Decide and pick 1-3, or add an action (a).", style="dim"
            )
        elif orphans:
            summary.append(f"{orphans} picked idea(s) still need an owner and a due date", style="bold red")
        else:
            summary.append("Every picked idea has an owner and a due date. No orphans.", style="bold green")
        self.query_one("#commit-summary", Static).update(summary)
        self.show_detail()

    def detail_text(self) -> Text:
        """The highlighted idea and its action in full."""
        key = self.query_one(ListenTable).current_key
        text = Text()
        if self.data is None or key is None:
            return text
        idea = next((i for i in self.data.picked if i.id == key), None)
        action_id = key.removeprefix(PLAIN) if key.startswith(PLAIN) else None
        action = (
            self._action_for(idea)
            if idea
            else next((a for a in self.data.actions if a.id == action_id), None)
        )
        if idea is not None:
            text.append(f"{idea.id} ", style="dim")
            text.append(one_line(idea.text), style="bold")
        if action is not None:
            text.append("\n" if idea is not None else "")
            text.append(f"{action.id} ", style="bold green")
            text.append(one_line(action.title))
            owner = f" · {action.owner}" + (f" · due {action.due}" if action.due else "")
            text.append(one_line(owner), style="dim")
        elif idea is not None:
            text.append("\nno action yet: o gives it an owner and a due date", style="bold red")
        return text

    def _people(self) -> list[str]:
        names = [a.name for a in self.session.attendees]
        names += [m.name for m in self.listen.settings.members if m.name not in names]
        return names

    def action_commit(self) -> None:
        if self.data is None:
            return
        key = self.query_one(ListenTable).current_key
        idea = next((i for i in self.data.picked if i.id == key), None)
        if idea is None:
            return
        if self._action_for(idea) is not None:
            self.notify(f"{idea.id} already has an action; edit it on the Actions screen (5).")
            return
        self._ask(f"Commit {idea.id}", idea.text, idea.id)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_commit()

    def action_plain_action(self) -> None:
        self._ask("A new action", "", None)

    def _committed(self, action: Action) -> None:
        self.notify(f"{action.id}: {action.owner} by {action.due}")
        self.reload()

    def _ask(self, heading: str, title: str, idea_id: str | None) -> None:
        store, session_id = self.store, self.session_id
        today = self.listen.clock.today()

        def filled(draft: ActionDraft | None) -> None:
            if draft is None:
                return

            def commit() -> Action:
                if draft.new_person_role is not None:  # someone new to the team: one of the session
                    service.add_attendee(store, session_id, draft.owner, draft.new_person_role)
                return service.commit_action(
                    store,
                    session_id=session_id,
                    idea_id=idea_id,
                    title=draft.title,
                    owner=draft.owner,
                    due=draft.due,
                    today=today,
                )

            self.save(f"action {draft.title[:30]}", commit, self._committed)

        earliest = dt.date.fromisoformat(self.session.date[:10])  # no action is due before the session
        form = ActionForm(heading, title=title, people=self._people(), today=today, earliest=earliest)
        self.app.push_screen(form, filled)
