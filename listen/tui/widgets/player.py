"""The player: a status line (play state, position, speed) over a transcript that follows playback.

The audio is decoded and the output device opened in a thread worker; a failure (no output
device, an unreadable file) is a notification and the transcript still works. The position is
polled a few times a second on the UI thread (a cheap read of the player's counter).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker

from listen.domain import Clip, Transcript
from listen.errors import ListenError
from listen.timefmt import position
from listen.tui.messages import AudioLoaded
from listen.tui.viewmodels import format_clock
from listen.tui.widgets.correcting import CORRECTING_ACTIONS, Correcting, SegmentEditor
from listen.tui.widgets.transcript import TranscriptView, lines_of

if TYPE_CHECKING:
    from listen.audio.player import Player

TICK_SECONDS = 0.2
SEEK_STEP = 5.0
SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)


class PlayerBar(Widget):
    """▶ 1:23 / 4:56 ━━━━━━━╸──── 1.25×"""

    DEFAULT_CSS = """
    PlayerBar {
        height: 1;
        background: $boost;
    }
    """

    playing: reactive[bool] = reactive(False)
    position: reactive[float] = reactive(0.0)
    duration: reactive[float] = reactive(0.0)
    speed: reactive[float] = reactive(1.0)
    status: reactive[str] = reactive("")

    def render(self) -> RenderResult:
        icon = ("⏸ ", "bold $success") if self.playing else ("▶ ", "bold")
        times = f"{position(self.position)} / {format_clock(self.duration)} "
        tail = f" {self.speed:.2f}×"
        status = f"  {self.status}" if self.status else ""
        width = max(4, self.size.width - len(times) - len(tail) - len(status) - 3)
        done = 0 if self.duration <= 0 else min(width, round(width * self.position / self.duration))
        return Content.assemble(
            icon,
            (times, ""),
            ("━" * done, "$accent"),
            ("─" * (width - done), "$panel-lighten-2"),
            (tail, "bold"),
            (status, "$text-muted"),
        )


class PlayerPanel(Correcting):
    """Player and transcript for one clip. Keys work while the transcript has focus; the keys
    that correct the transcript are in Correcting (correcting.py)."""

    DEFAULT_CSS = """
    PlayerPanel {
        height: 1fr;
    }
    PlayerPanel .legend {
        height: auto;
        color: $text-muted;
        padding: 0 1;
        display: none;
    }
    PlayerPanel #segment-editor {
        display: none;
        border: none;
        margin: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "play_pause", "Play/pause", id="player-toggle"),
        Binding("left", "seek(-5)", "−5 s", show=False, id="player-back"),
        Binding("right", "seek(5)", "+5 s", show=False, id="player-forward"),
        Binding("less_than_sign", "speed(-1)", "Slower", show=False, key_display="<", id="player-slower"),
        Binding("greater_than_sign", "speed(1)", "Faster", show=False, key_display=">", id="player-faster"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clip: Clip | None = None
        self.player: Player | None = None
        self._audio_error: str | None = None

    def compose(self) -> ComposeResult:
        yield PlayerBar()
        yield Static("", id="transcript-legend", classes="legend", markup=False)
        yield TranscriptView(id="transcript")
        yield Static("", id="editor-hint", classes="legend", markup=False)
        yield SegmentEditor(id="segment-editor", compact=True, select_on_focus=False)

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def on_mount(self) -> None:
        self.set_interval(TICK_SECONDS, self._tick)

    def on_unmount(self) -> None:
        self.flush_corrections()
        self._close_player()

    # ---- loading
    def show_clip(
        self,
        clip: Clip,
        transcript: Transcript | None,
        *,
        media: Path | None,
        autoplay: bool = False,
        start_at: float | None = None,
    ) -> None:
        self._close_player()
        self.clip = clip
        self.refresh_bindings()
        bar = self.query_one(PlayerBar)
        bar.position = 0.0
        bar.duration = clip.duration or 0.0
        bar.playing = False
        empty = "No transcript yet (t transcribes it)." if clip.kind == "audio" else "No text."
        self.flush_corrections()  # the clip shown before: what was typed is saved
        threshold = self.app.settings.transcription.uncertain_below  # type: ignore[attr-defined]
        self.transcript.show_lines(lines_of(clip, transcript, threshold), empty=empty)
        self.start_corrections(clip, transcript)
        if clip.kind != "audio" or media is None:
            bar.status = "text clip" if clip.kind == "text" else "no audio"
            bar.display = clip.kind == "audio"
            return
        bar.display = True
        bar.status = "loading audio…"
        self._load_audio(clip.id, media, autoplay, start_at)

    @work(thread=True, exclusive=True, group="player", exit_on_error=False, description="loading the audio")
    def _load_audio(self, clip_id: str, media: Path, autoplay: bool, start_at: float | None) -> None:
        from listen.audio.player import Player  # decodes with PyAV: only in this thread

        device = self.app.settings.audio.output_device or None  # type: ignore[attr-defined]
        try:
            player = Player(device=device)
            player.load(media)
            if start_at:
                player.seek(start_at)
        except ListenError as error:
            self.post_message(AudioLoaded(clip_id, str(error)))
            return
        # Open the device here, not on the UI thread at the first key press (it can take a second
        # and may resample the clip). Without a usable device the clip still loads, so the
        # transcript can be followed and sought; pressing play then says why there is no sound.
        with contextlib.suppress(ListenError):
            player.open()
        self.post_message(AudioLoaded(clip_id, player=player, autoplay=autoplay))

    @on(AudioLoaded)
    def _audio_loaded(self, message: AudioLoaded) -> None:
        message.stop()
        bar = self.query_one(PlayerBar)
        if self.clip is None or message.clip_id != self.clip.id or not self.is_mounted:
            if message.player is not None:
                message.player.close()
            return
        if message.error or message.player is None:
            self._audio_error = message.error
            bar.status = "cannot play"
            self.notify(
                f"{message.error}. The session goes on without sound.",
                title="Cannot play",
                severity="warning",
                timeout=8,
            )
            return
        self.player = message.player
        bar.status = ""
        bar.duration = message.player.duration or bar.duration
        if message.autoplay:
            self.action_play_pause()

    def _close_player(self) -> None:
        player, self.player = self.player, None
        if player is not None:
            with contextlib.suppress(ListenError):
                player.close()

    # ---- playing
    def _tick(self) -> None:
        player = self.player
        if player is None:
            return
        bar = self.query_one(PlayerBar)
        bar.playing = player.playing
        self.keep_in_bounds()
        position = player.position
        if bar.position != position:
            bar.position = position
            self.transcript.follow_position(position)
        error = getattr(player, "error", None)
        if error is not None and bar.status != "stopped":
            bar.status = "stopped"
            self.notify(str(error), title="Playback stopped", severity="warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("play_pause", "seek", "speed"):
            return self.clip is None or self.clip.kind == "audio"
        if action in CORRECTING_ACTIONS:
            return self.correcting_allowed(action)
        return True

    def _guard(self, what: str, call: Any) -> None:
        if self.player is None:
            if self.clip is not None and self.clip.kind == "audio":
                reason = self._audio_error or "the audio is still loading"
                self.notify(f"Cannot {what}: {reason}.", severity="warning")
            return
        try:
            call(self.player)
        except ListenError as error:
            self.notify(str(error), title=f"Cannot {what}", severity="warning")
        self._tick()

    def action_play_pause(self) -> None:
        self._guard("play", lambda p: p.toggle())

    def action_seek(self, seconds: float) -> None:
        self._guard("seek", lambda p: p.seek_by(seconds))

    def action_speed(self, step: int) -> None:
        def change(player: Any) -> None:
            current = min(SPEEDS, key=lambda s: abs(s - player.speed))
            index = max(0, min(len(SPEEDS) - 1, SPEEDS.index(current) + step))
            player.speed = SPEEDS[index]
            self.query_one(PlayerBar).speed = SPEEDS[index]

        self._guard("change the speed", change)

    @on(TranscriptView.Seek)
    def _seek_to(self, message: TranscriptView.Seek) -> None:
        message.stop()

        def seek(player: Any) -> None:
            player.seek(message.seconds)
            if not player.playing:
                player.play()

        self._guard("seek", seek)

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.app.worker_state_changed(event)  # type: ignore[attr-defined]
