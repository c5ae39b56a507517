"""The record panel: a live level meter, the time recorded, pause/resume, stop to keep it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.worker import Worker

from listen.audio.recordings import temp_recording_path
from listen.errors import ListenError
from listen.settings import Settings
from listen.tui.safe import plain
from listen.tui.viewmodels import format_clock
from listen.tui.widgets.level_meter import LevelMeter
from listen.workspace import Workspace, make_private_dir

if TYPE_CHECKING:
    from listen.audio.record import Recorder

POLL_SECONDS = 0.1
RECORDING_KEYS = "space pauses · s stops and keeps · esc cancels"


class RecorderStarted(Message):
    def __init__(self, error: str | None, device: str = "") -> None:
        super().__init__()
        self.error = error
        self.device = device


class RecorderStopped(Message):
    def __init__(self, path: Path | None, *, nothing: bool = False) -> None:
        super().__init__()
        self.path = path
        self.nothing = nothing


class RecordModal(ModalScreen[Path | None]):
    """Returns the WAV file recorded (kept), or None (cancelled: the file is removed)."""

    CSS_PATH = "record.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pause", "Pause / resume", id="record-pause"),
        Binding("s", "stop", "Stop and keep", id="record-stop"),
        Binding("escape", "cancel", "Cancel", id="record-cancel"),
    ]

    def __init__(self, workspace: Workspace, settings: Settings) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings
        self.recorder: Recorder | None = None
        self.path: Path | None = None
        # Cancel can come while the microphone is still opening (a second or more on some
        # systems): the opening thread then finds ``_given_up`` set and stops what it opened.
        self._opening = threading.Lock()
        self._given_up = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Record a clip"
            box.border_subtitle = "esc cancels"
            yield Static("opening the microphone…", id="record-state")
            yield LevelMeter(id="meter")
            yield Static("0:00", id="record-time")
            with Horizontal(classes="buttons"):
                # Pause and Stop appear once the microphone records: before, only Cancel can be done
                yield Button("Pause (space)", id="pause", classes="-needs-recorder")
                yield Button("Stop & keep (s)", variant="primary", id="stop", classes="-needs-recorder")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._show_controls(False)
        # the same hidden place as `listen record`, so a recording a crash cuts short is found
        # again by either (listen/audio/recordings.py)
        make_private_dir(self.workspace.clips_dir)
        self.path = temp_recording_path(self.workspace.clips_dir)
        self._start(self.path)
        self.set_interval(POLL_SECONDS, self._poll)

    def _show_controls(self, recording: bool) -> None:
        for button in self.query(".-needs-recorder"):
            button.display = recording
        dialog = self.query_one(".dialog")
        dialog.border_subtitle = RECORDING_KEYS if recording else "esc cancels"
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pause", "stop"):
            return self.recorder is not None  # nothing to pause or keep before the device records
        return True

    @work(thread=True, exit_on_error=False, description="opening the microphone")
    def _start(self, path: Path) -> None:
        from listen.audio.record import Recorder

        audio = self.settings.audio
        recorder = Recorder(
            path,
            device=audio.input_device or None,
            max_seconds=audio.max_record_minutes * 60.0,
        )
        try:
            recorder.start()  # may take a while: the user can cancel meanwhile
        except ListenError as error:
            self.post_message(RecorderStarted(str(error)))
            return
        with self._opening:
            given_up = self._given_up
            if not given_up:
                self.recorder = recorder
        if given_up:  # cancelled while the device opened: stop it, leave no file behind
            recorder.stop()
            recorder.path.unlink(missing_ok=True)
            return
        device = recorder.device.label if recorder.device is not None else "default device"
        self.post_message(RecorderStarted(None, device))

    @on(RecorderStarted)
    def _started(self, message: RecorderStarted) -> None:
        state = self.query_one("#record-state", Static)
        if message.error:
            state.update(plain(f"Cannot record: {message.error}"))
            state.add_class("error")
            self.query_one("#cancel", Button).label = "Close"
            self.query_one("#meter").display = False  # nothing to measure or time
            self.query_one("#record-time").display = False
            self.query_one(".dialog").border_subtitle = "esc closes"
            self.notify(message.error, title="Cannot record", severity="error")
        else:
            state.update(plain(f"recording from {message.device}"))
            self._show_controls(True)

    def _poll(self) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        level = recorder.level
        self.query_one(LevelMeter).dbfs = level.dbfs if recorder.state == "recording" else -120.0
        self.query_one("#record-time", Static).update(format_clock(recorder.elapsed))
        state = recorder.state
        error = recorder.error
        label = self.query_one("#record-state", Static)
        if error is not None:
            label.update(plain(f"Stopped: {error}"))
            label.add_class("error")
        elif state == "paused":
            label.update("paused (space resumes)")
        elif state == "stopped":
            label.update("stopped: the limit was reached (s keeps it)")

    def action_pause(self) -> None:
        if self.recorder is not None:
            self.recorder.toggle_pause()
            paused = self.recorder.state == "paused"
            self.query_one("#pause", Button).label = "Resume (space)" if paused else "Pause (space)"

    def action_stop(self) -> None:
        self._finish(keep=True)

    def action_cancel(self) -> None:
        self._finish(keep=False)

    def _finish(self, *, keep: bool) -> None:
        with self._opening:
            recorder, self.recorder = self.recorder, None
            if recorder is None:
                self._given_up = True  # still opening (or it failed): the opener cleans up
        if recorder is None:
            self.dismiss(None)
            return
        self._stop(recorder, keep)

    @work(thread=True, exit_on_error=False, description="closing the recording")
    def _stop(self, recorder: Recorder, keep: bool) -> None:
        path = recorder.stop()  # joins the writer thread: not on the UI thread
        if not keep or recorder.elapsed <= 0:
            path.unlink(missing_ok=True)
            self.post_message(RecorderStopped(None, nothing=keep))
        else:
            self.post_message(RecorderStopped(path))

    @on(RecorderStopped)
    def _stopped(self, message: RecorderStopped) -> None:
        if message.nothing:
            self.notify("Nothing was recorded.", severity="warning")
        self.dismiss(message.path)

    @on(Button.Pressed, "#pause")
    def _pause_pressed(self) -> None:
        self.action_pause()

    @on(Button.Pressed, "#stop")
    def _stop_pressed(self) -> None:
        self.action_stop()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.app.worker_state_changed(event)  # type: ignore[attr-defined]
