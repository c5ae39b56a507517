"""Close: read the minutes together, export them, and close the session."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from listen.domain import Session
from listen.session import service
from listen.tui.screens.minutes import minutes_markdown
from listen.tui.screens.modals import ConfirmModal
from listen.tui.steps.base import StepView


class CloseStep(StepView):
    KIND = "close"
    FOCUS = "#close-preview"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "close_session", "Close session", id="session-close"),
        Binding("e", "export('md')", "Export", id="session-export"),
        Binding("h", "export('html')", "Export HTML", show=False, id="session-export-html"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(
                ("Minutes preview", "bold"),
                ("   c closes the session · e exports Markdown · h exports HTML", "dim"),
            ),
            id="close-head",
            classes="summary",
        )
        with VerticalScroll(id="close-preview"):
            yield Markdown("", id="close-md")

    def load_data(self) -> Any:
        return minutes_markdown(self.listen, self.session_id, redact=self.listen.settings.redact)

    def show_data(self, data: Any) -> None:
        self.query_one("#close-md", Markdown).update(data)

    def action_export(self, fmt: str) -> None:
        app, session_id = self.listen, self.session_id

        def run() -> Any:
            from listen.minutes import MinutesOptions, export_minutes

            options = MinutesOptions(
                redact=app.settings.redact, anonymise=app.settings.anonymise, as_of=app.clock.today()
            )
            return export_minutes(
                app.store, app.settings, app.workspace, session_id, fmt=fmt, options=options
            )

        self.save(
            "export the minutes", run, lambda path: self.notify(f"Minutes written to {path}", timeout=8)
        )

    def action_close_session(self) -> None:
        store = self.store
        session_id = self.session_id
        orphans = service.unassigned_picks(store, session_id)
        if orphans:
            ids = ", ".join(i.id for i in orphans)
            self.notify(
                f"Picked idea(s) {ids} have no owner yet: commit them first.", severity="error", timeout=8
            )
            self.session_screen.go_to_kind("commit")
            return

        now = self.listen.clock.now

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.session_screen.flush_progress()
                self.save(
                    "close the session",
                    lambda: service.close_session(store, session_id, now=now),
                    self._session_closed,
                )

        self.app.push_screen(
            ConfirmModal(
                f"Close session {session_id}? It becomes read-only; the minutes stay.",
                yes="Close",
                no="Not yet",
                title="Close the session",
            ),
            confirmed,
        )

    def _session_closed(self, session: Session) -> None:
        self.notify(f"Session {session.id} closed. Thank you all.", title="Closed")
        self.listen.session_closed(session.id)
