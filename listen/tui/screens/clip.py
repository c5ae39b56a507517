"""One clip: the rep's view, the player and the transcript that follows playback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from listen.domain import Clip, Transcript
from listen.tui.messages import Loaded
from listen.tui.widgets.clip_facts import clip_facts_text
from listen.tui.widgets.player import PlayerPanel


@dataclass(frozen=True)
class ClipData:
    clip: Clip
    transcript: Transcript | None


class ClipScreen(Screen[None]):
    CSS_PATH = "clip.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="clip-back"),
        Binding("t", "transcribe", "Transcribe", id="clip-screen-transcribe"),
    ]

    def __init__(self, clip_id: str, *, autoplay: bool = False, start_at: float | None = None) -> None:
        super().__init__()
        self.clip_id = clip_id
        self.autoplay = autoplay
        self.start_at = start_at

    def compose(self) -> ComposeResult:
        with Horizontal(id="clip-body"):
            yield PlayerPanel(id="clip-player")
            with VerticalScroll(id="clip-side") as side:
                side.border_title = "Clip"
                yield Static("loading…", id="clip-facts")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load()
        self.watch(self.app, "transcription", self._transcription_changed, init=False)

    def _transcription_changed(self, state: object) -> None:
        """A batch ended: if it transcribed this clip again, show (and correct) the new lines."""
        if not getattr(state, "running", True):
            self._load()

    @work(thread=True, exit_on_error=False, description="loading the clip")
    def _load(self) -> None:
        from listen.ingest.thread import clip_transcript

        store = self.app.store  # type: ignore[attr-defined]
        clip = store.clip(self.clip_id)
        transcript = clip_transcript(store, clip, self.app.settings)  # type: ignore[attr-defined]
        self.post_message(Loaded(ClipData(clip, transcript)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        data: ClipData = message.data
        self.query_one("#clip-facts", Static).update(clip_facts_text(data.clip))
        media = self.app.workspace.root / data.clip.media if data.clip.media else None  # type: ignore[attr-defined]
        panel = self.query_one(PlayerPanel)
        if panel.clip is not None and panel.clip.id == data.clip.id:  # read again after a batch
            shown = panel.corrections.transcript if panel.corrections is not None else None
            made = data.transcript.created_at if data.transcript is not None else None
            if (shown.created_at if shown is not None else None) != made or shown is None:
                panel.replace_transcript(data.clip, data.transcript)
            return
        panel.show_clip(
            data.clip, data.transcript, media=media, autoplay=self.autoplay, start_at=self.start_at
        )
        panel.transcript.focus()

    def action_transcribe(self) -> None:
        self.app.transcribe([self.clip_id])  # type: ignore[attr-defined]

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.app.worker_state_changed(event)  # type: ignore[attr-defined]
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from listen.tui.app import describe_error

            text = Text("Cannot show this clip: ", style="bold")
            text.append(describe_error(event.worker.error), style="not bold")
            self.query_one("#clip-facts", Static).update(text)  # not "loading…" for ever
