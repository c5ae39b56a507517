"""Minutes: a session's minutes rendered in the app (as they will be exported), and the export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown, Static

from listen.domain import Session
from listen.tui.safe import plain
from listen.tui.screens.base import ListenScreen
from listen.tui.widgets.minutes_view import MinutesView
from listen.tui.widgets.nav import NavBar


@dataclass(frozen=True)
class MinutesData:
    session: Session | None
    sessions: list[str]  # every session id, oldest first
    markdown: str


def minutes_markdown(app: Any, session_id: str, *, redact: bool) -> str:
    """Build and render a session's minutes with the workspace's settings (called in a thread)."""
    from listen.minutes import MinutesOptions, build_minutes, render_minutes

    options = MinutesOptions(redact=redact, anonymise=app.settings.anonymise, as_of=app.clock.today())
    return render_minutes(build_minutes(app.store, app.settings, session_id, options), "md")


class MinutesScreen(ListenScreen):
    MODE = "minutes"
    CSS_PATH = "minutes.tcss"
    AUTO_FOCUS = "#minutes-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export('md')", "Export Markdown", id="minutes-export"),
        Binding("h", "export('html')", "Export HTML", id="minutes-export-html"),
        Binding("left_square_bracket", "step(-1)", "Earlier session", key_display="[", id="minutes-prev"),
        Binding("right_square_bracket", "step(1)", "Later session", key_display="]", id="minutes-next"),
        Binding("r", "toggle_redact", "Redaction on/off", show=False, id="minutes-redact"),
        Binding("R", "reopen", "Reopen the session to correct it", show=False, id="minutes-reopen"),
    ]

    data: MinutesData | None = None
    redact: bool | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("minutes")
        yield Static("", id="minutes-head")
        with VerticalScroll(id="minutes-scroll"):
            yield MinutesView("", id="minutes-md")
        yield Footer(compact=True)

    def _redacting(self) -> bool:
        return self.listen.settings.redact if self.redact is None else self.redact

    def load_data(self) -> Any:
        store = self.listen.store
        sessions = store.sessions()
        ids = [s.id for s in sessions]
        wanted = self.listen.minutes_session_id
        session = next((s for s in sessions if s.id == wanted), None)
        if session is None and sessions:
            closed = [s for s in sessions if s.status == "closed"]
            session = (closed or sessions)[-1]
        if session is None:
            return MinutesData(None, ids, "")
        markdown = minutes_markdown(self.listen, session.id, redact=self._redacting())
        return MinutesData(session, ids, markdown)

    def load_failed(self, error: BaseException) -> None:
        """The minutes read every session (recurrence): one that cannot be read stops them; say
        which, where "loading" would stay (the app's notification says it too)."""
        self.query_one("#minutes-head", Static).update(plain(f" The minutes cannot be built: {error}"))

    def show_data(self, data: Any) -> None:
        self.data = data
        head = self.query_one("#minutes-head", Static)
        markdown = self.query_one("#minutes-md", Markdown)
        if data.session is None:
            head.update(" No session yet: the minutes appear here once a session has run.")
            markdown.update("")
            return
        self.listen.minutes_session_id = data.session.id
        position = data.sessions.index(data.session.id) + 1
        state = "open (draft)" if data.session.status == "open" else "closed"
        redaction = "personal data redacted" if self._redacting() else "NOT redacted"
        head.update(
            plain(f" Session {data.session.id} · {state} · {position} of {len(data.sessions)} · {redaction}")
        )
        markdown.update(data.markdown)

    def action_step(self, delta: int) -> None:
        if self.data is None or self.data.session is None:
            return
        ids = self.data.sessions
        index = ids.index(self.data.session.id) + delta
        if 0 <= index < len(ids):
            self.listen.minutes_session_id = ids[index]
            self.reload()

    def action_toggle_redact(self) -> None:
        self.redact = not self._redacting()
        self.reload()

    def action_export(self, fmt: str) -> None:
        if self.data is None or self.data.session is None:
            self.notify("There is no session to export yet.", severity="warning")
            return
        session_id = self.data.session.id
        app = self.listen
        redact = self._redacting()

        def run() -> Any:
            from listen.minutes import MinutesOptions, export_minutes

            options = MinutesOptions(redact=redact, anonymise=app.settings.anonymise, as_of=app.clock.today())
            return export_minutes(
                app.store, app.settings, app.workspace, session_id, fmt=fmt, options=options
            )

        app.save(
            f"export the minutes of {session_id}",
            run,
            lambda path: self.notify(f"Minutes written to {path}", title="Exported", timeout=8),
        )

    def data_changed(self, what: str) -> None:
        if not what.startswith("export"):
            self.reload()

    def action_reopen(self) -> None:
        """Reopen a closed session (after a confirmation) and go to it; its minutes are frozen
        again when it closes."""
        if self.data is None or self.data.session is None:
            return
        session = self.data.session
        if session.status != "closed":
            self.notify(f"Session {session.id} is open: its minutes are a draft until it closes.")
            return
        from listen.session import service
        from listen.tui.screens.modals import ConfirmModal

        app = self.listen
        store = app.store

        def confirmed(yes: bool | None) -> None:
            if yes:
                app.save(
                    f"reopen {session.id}",
                    lambda: service.reopen_session(store, session.id),
                    lambda reopened: app.open_session(reopened.id),
                )

        self.app.push_screen(
            ConfirmModal(
                f"Reopen session {session.id} to correct it?\n"
                "Its minutes stop being frozen until you close it again; then they are frozen anew.",
                yes="Reopen",
                no="Cancel",
                title="Reopen a closed session",
            ),
            confirmed,
        )
