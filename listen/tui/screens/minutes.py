"""Minutes: a session's minutes rendered in the app (as they will be exported), and the export."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown, Static

from listen.domain import Session
from listen.errors import ListenError
from listen.tui.messages import AudioLoaded
from listen.tui.safe import plain
from listen.tui.screens.base import ListenScreen
from listen.tui.widgets.minutes_view import MinutesView
from listen.tui.widgets.nav import NavBar


@dataclass(frozen=True)
class MinutesData:
    session: Session | None
    sessions: list[str]  # every session id, oldest first
    markdown: str
    audio: list[Path] = field(default_factory=list)  # the quotes' exported (bleeped) files, in order


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
        Binding(
            "a", "export_audio", "Export Markdown with audio quotes", show=False, id="minutes-export-audio"
        ),
        Binding(
            "p", "play_quote", "Play the next quote's exported audio", show=False, id="minutes-play-quote"
        ),
    ]

    data: MinutesData | None = None
    redact: bool | None = None
    player: Any = None  # listen.audio.player.Player of the quote being heard
    playing_index: int = -1  # which of data.audio

    def compose(self) -> ComposeResult:
        yield NavBar("minutes")
        yield Static("", id="minutes-head")
        with VerticalScroll(id="minutes-scroll"):
            yield MinutesView("", id="minutes-md", open_links=False)  # the audio quotes link local files
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
        exported = _exported_minutes(self.listen.workspace, session)
        audio = _quote_files(exported)
        if (
            audio and self._redacting()
        ):  # the document as the owner gets it: which quote has audio, and why not
            with contextlib.suppress(OSError, UnicodeDecodeError):
                markdown = _strip_mark(exported.read_text(encoding="utf-8"))
        return MinutesData(session, ids, markdown, audio)

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
            plain(
                f" Session {data.session.id} · {state} · {position} of {len(data.sessions)} · {redaction}"
                + self._audio_note()
            )
        )
        markdown.update(data.markdown)

    def _audio_note(self) -> str:
        if self.data is None or not self.data.audio:
            return ""
        files = self.data.audio
        playing = ""
        if 0 <= self.playing_index < len(files):
            playing = f" · playing {files[self.playing_index].stem}"
        return (
            f" · audio: {len(files)} quote file{'s' if len(files) != 1 else ''} (p plays the next){playing}"
        )

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
        def write(app: Any, session_id: str, options: Any) -> Any:
            from listen.minutes import export_minutes

            return export_minutes(
                app.store, app.settings, app.workspace, session_id, fmt=fmt, options=options
            )

        self._export(
            "", write, lambda path: self.notify(f"Minutes written to {path}", title="Exported", timeout=8)
        )

    def action_export_audio(self) -> None:
        """The Markdown minutes with each quote's bleeped sound beside them (``listen export --audio``)."""
        self._stop_quote()

        def write(app: Any, session_id: str, options: Any) -> Any:
            from listen.minutes.audio_export import export_minutes_with_audio

            return export_minutes_with_audio(
                app.store, app.settings, app.workspace, session_id, options=options,
                reel=app.settings.minutes_audio_reel,
            )  # fmt: skip

        def done(result: Any) -> None:
            lines = [f"Minutes written to {result.path}", *result.summary()[:6]]
            self.notify("\n".join(lines), title="Exported", timeout=10)  # the app's notify sanitises
            self.reload()

        self._export(" with audio", write, done)

    def _export(self, what: str, write: Callable[[Any, str, Any], Any], done: Callable[[Any], None]) -> None:
        """Write the shown session's minutes in the background, with the screen's redaction."""
        if self.data is None or self.data.session is None:
            self.notify("There is no session to export yet.", severity="warning")
            return
        session_id = self.data.session.id
        app = self.listen
        redact = self._redacting()

        def run() -> Any:
            from listen.minutes import MinutesOptions

            options = MinutesOptions(redact=redact, anonymise=app.settings.anonymise, as_of=app.clock.today())
            return write(app, session_id, options)

        app.save(f"export the minutes of {session_id}{what}", run, done)

    def action_play_quote(self) -> None:
        """Play the next exported quote (the bleeped file the owner gets); again: the one after."""
        if self.data is None or not self.data.audio:
            self.notify("No audio quotes exported yet: a exports the minutes with them.", severity="warning")
            return
        self._stop_quote()
        self.playing_index = (self.playing_index + 1) % len(self.data.audio)
        path = self.data.audio[self.playing_index]
        self.query_one("#minutes-head", Static).update(plain(f" Loading {path.stem}…"))
        self._load_quote(path)

    @work(
        thread=True, exclusive=True, group="minutes-audio", exit_on_error=False, description="loading a quote"
    )
    def _load_quote(self, path: Path) -> None:
        from listen.audio.player import Player  # decodes with PyAV: only in this thread

        device = self.listen.settings.audio.output_device or None
        try:
            player = Player(device=device)
            player.load(path)
            player.open()
        except ListenError as error:
            self.post_message(AudioLoaded(path.stem, str(error)))
            return
        self.post_message(AudioLoaded(path.stem, player=player, autoplay=True))

    @on(AudioLoaded)
    def _quote_loaded(self, message: AudioLoaded) -> None:
        message.stop()
        if message.error or message.player is None:
            self.notify(
                f"Cannot play {message.clip_id}: {message.error}", title="Cannot play", severity="warning"
            )
        else:
            self.player = message.player
            try:
                message.player.play()
            except ListenError as error:
                self.notify(str(error), title="Cannot play", severity="warning")
        if self.data is not None:
            self.show_data(self.data)

    def _stop_quote(self) -> None:
        player, self.player = self.player, None
        if player is not None:
            with contextlib.suppress(ListenError):
                player.close()

    def on_unmount(self) -> None:
        self._stop_quote()

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


def _exported_minutes(workspace: Any, session: Session) -> Path:
    from listen.minutes.paths import default_minutes_path

    return Path(default_minutes_path(workspace, session, "md"))


def _quote_files(document: Path) -> list[Path]:
    """The quote files (q01.ogg, q02.ogg...) an audio export wrote beside ``document``, in order."""
    folder = document.with_name(document.stem + ".audio")
    try:
        names = sorted(p.name for p in folder.iterdir() if p.name.startswith("q") and p.suffix == ".ogg")
    except OSError:
        return []
    return [folder / name for name in names]


def _strip_mark(text: str) -> str:
    from listen.minutes.paths import EXPORT_MARK

    return text.split(EXPORT_MARK, 1)[0]
