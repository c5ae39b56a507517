"""Close: read the minutes together, export them, and close the session."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from listen.session import service
from listen.tui.messages import CloseSession, GoToStep
from listen.tui.screens.minutes import minutes_markdown
from listen.tui.screens.modals import ConfirmModal
from listen.tui.steps.base import StepView
from listen.tui.widgets.minutes_view import MinutesView


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
            yield MinutesView("", id="close-md")

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
            self.post_message(GoToStep("commit"))
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.post_message(CloseSession(session_id))

        self.app.push_screen(
            ConfirmModal(
                f"Close session {session_id}? It becomes read-only; the minutes stay.",
                yes="Close",
                no="Not yet",
                title="Close the session",
            ),
            confirmed,
        )
