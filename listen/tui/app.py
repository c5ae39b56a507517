"""The listen app: one screen per mode (Home, Inbox, Session, Gaps, Actions, Minutes).

The app owns what every screen shares: the store, the settings, the clock, the ordered queue of
writes (saved in a thread worker, one at a time, in the order they were asked for), and the
transcription batch (a thread worker that keeps running whichever screen is shown).
"""

from __future__ import annotations

import importlib
import os
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from listen.errors import ListenError
from listen.settings import Settings, load_settings
from listen.store import Store
from listen.tui.clock import Clock
from listen.tui.commands import ListenCommands
from listen.tui.messages import (
    DataChanged,
    StartReady,
    TranscriptionFinished,
    TranscriptionProgress,
    Write,
    WriteDone,
    WriteFailed,
)
from listen.tui.screens.home import HomeScreen
from listen.workspace import Workspace

if TYPE_CHECKING:
    from listen.tui.screens.base import ListenScreen

DEFAULT_CLIPS = 4  # a session hears three or four clips
SETUP_CLIPS = 60  # clips offered when starting a session (the picked ones always are)

SCREEN_CLASSES: dict[str, str] = {  # mode -> "module:class"; imported when first shown
    "inbox": "listen.tui.screens.inbox:InboxScreen",
    "session": "listen.tui.screens.session:SessionScreen",
    "gaps": "listen.tui.screens.gaps:GapsScreen",
    "actions": "listen.tui.screens.actions:ActionsScreen",
    "minutes": "listen.tui.screens.minutes:MinutesScreen",
}


def screen_class(mode: str) -> type[ListenScreen]:
    module, _, name = SCREEN_CLASSES[mode].partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def lazy_screen(mode: str) -> Callable[[], Screen[Any]]:
    """Screens other than Home are imported the first time they are shown (a faster start)."""
    return lambda: screen_class(mode)()


MODE_TITLES: dict[str, str] = {
    "home": "Home",
    "inbox": "Inbox",
    "session": "Session",
    "gaps": "Gaps",
    "actions": "Actions",
    "minutes": "Minutes",
}


@dataclass(frozen=True)
class TranscriptionState:
    """What the Home and Inbox screens show about the running transcription batch."""

    running: bool = False
    done: float = 0.0
    total: float = 0.0
    label: str = ""


def transcription_threads(settings: Settings) -> int | None:
    """While the app is on screen, leave one core to it (unless listen.toml sets the threads)."""
    if settings.transcription.threads:
        return None  # as configured
    return max(1, (os.cpu_count() or 2) - 1)


def describe_error(error: BaseException) -> str:
    """One line for a notification: our own errors as they are, others with their type."""
    if isinstance(error, ListenError):
        return str(error)
    return f"{type(error).__name__}: {error}"


class ListenApp(App[None]):
    """The weekly listening session, on one shared screen."""

    CSS_PATH = "app.tcss"
    TITLE = "listen"
    PALETTE_GROUP = "App"  # not "Listen", which is also the name of a session step
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {ListenCommands}
    MODES: ClassVar[dict[str, Any]] = {
        "home": HomeScreen,
        **{mode: lazy_screen(mode) for mode in SCREEN_CLASSES},
    }
    DEFAULT_MODE = "home"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 - Textual reads it from the class
        (0, "-narrow"),
        (100, "-normal"),
        (140, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [  # noqa: RUF012 - Textual reads it from the class
        (0, "-short"),
        (28, "-tall"),  # tall enough for a detail panel under a list (Gaps, Inbox)
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('home')", "Home", show=False, id="go-home"),
        Binding("2", "switch_mode('inbox')", "Inbox", show=False, id="go-inbox"),
        Binding("3", "switch_mode('session')", "Session", show=False, id="go-session"),
        Binding("4", "switch_mode('gaps')", "Gaps", show=False, id="go-gaps"),
        Binding("5", "switch_mode('actions')", "Actions", show=False, id="go-actions"),
        Binding("6", "switch_mode('minutes')", "Minutes", show=False, id="go-minutes"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit"),
    ]

    transcription: reactive[TranscriptionState] = reactive(TranscriptionState, init=False)

    def __init__(
        self,
        workspace: Workspace,
        *,
        store: Store | None = None,
        settings: Settings | None = None,
        clock: Clock | None = None,
        offer_resume: bool = True,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.store = store or Store(workspace)
        self.settings = settings or load_settings(workspace.settings_path)
        self.clock = clock or Clock()
        self.offer_resume = offer_resume
        self.session_id: str | None = None  # the session the Session screen shows
        self.minutes_session_id: str | None = None  # the session the Minutes screen shows
        from listen.session.service import next_session_picks

        # clips picked in the Inbox for the next session (saved in the store, so they survive a restart)
        self.picked_clip_ids: list[str] = next_session_picks(self.store)
        self._writes: deque[Write] = deque()
        self._writer: Worker[None] | None = None
        self._writer_starting = False
        self._transcriber: Worker[None] | None = None
        self._resume_offered = False
        self._recovery_done = False
        self.sub_title = str(workspace.root)

    def clips_counted(self, transcribing: int) -> None:
        """Home has counted the clips: the start-up reading is done (see memory.py); put back any
        clip left 'transcribing' by a run that died."""
        from listen.tui.memory import calm_garbage_collector

        calm_garbage_collector()
        if transcribing and not self._recovery_done and not self.transcription.running:
            self._recovery_done = True
            self._recover_interrupted()

    @work(thread=True, group="recover", exit_on_error=False, description="checking the transcription queue")
    def _recover_interrupted(self) -> None:
        """Clips a crashed run left 'transcribing' go back to the queue."""
        from listen.transcribe.runner import recover_interrupted

        recovered = recover_interrupted(self.store)
        if recovered:
            self.post_message(DataChanged("transcripts"))
            self.call_from_thread(
                self.notify, f"{len(recovered)} clip(s) left half-transcribed are back in the queue."
            )

    # ------------------------------------------------------------------ navigation
    def action_help(self) -> None:
        from listen.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def open_session(self, session_id: str) -> None:
        """Show a session on the Session screen (resuming it where it stopped)."""
        self.session_id = session_id
        self.switch_mode("session")
        screen = self.screen
        if isinstance(screen, screen_class("session")):
            screen.show_session(session_id)  # type: ignore[attr-defined]

    def open_minutes(self, session_id: str | None) -> None:
        self.minutes_session_id = session_id
        self.switch_mode("minutes")
        screen = self.screen
        if isinstance(screen, screen_class("minutes")):
            screen.reload()

    def offer_to_resume(self, session_id: str, label: str) -> None:
        """Once per run: an unfinished session was found; ask whether to carry on with it."""
        if self._resume_offered or not self.offer_resume:
            return
        self._resume_offered = True
        from listen.tui.screens.modals import ConfirmModal

        def answer(resume: bool | None) -> None:
            if resume:
                self.open_session(session_id)

        self.push_screen(
            ConfirmModal(
                f"An unfinished session was found: {label}.\nResume it where it stopped?",
                yes="Resume",
                no="Not now",
                title="Resume session",
            ),
            answer,
        )

    # ------------------------------------------------------------------ starting and closing sessions
    def action_start_session(self) -> None:
        """Resume the open session, or ask who is here and which clips to hear, then start one."""
        self._prepare_start()

    @work(
        thread=True, exclusive=True, group="start", exit_on_error=False, description="preparing the session"
    )
    def _prepare_start(self) -> None:
        from listen.session import service
        from listen.session.packs import available_packs
        from listen.tui.screens.session_setup import SetupData

        store = self.store
        session = service.open_session(store)
        if session is not None:
            self.post_message(StartReady(session.id, None))
            return
        clips = service.unheard_clips(store)
        clips.sort(key=lambda c: (c.submitted_at, c.id), reverse=True)
        picked = [cid for cid in self.picked_clip_ids if any(c.id == cid for c in clips)]
        if not picked:  # nothing picked in the Inbox: offer the newest transcribed ones, ticked
            picked = [c.id for c in clips if c.status == "transcribed"][:DEFAULT_CLIPS]
        shown = [c for c in clips if c.id in picked] + [c for c in clips if c.id not in picked][:SETUP_CLIPS]
        data = SetupData(
            members=[(m.name, m.role) for m in self.settings.members],
            packs=available_packs(self.workspace),
            default_pack=self.settings.prompt_pack,
            clips=shown,
            picked=picked,
            waiting=len(clips),
        )
        self.post_message(StartReady(None, data))

    @on(StartReady)
    def _start_ready(self, message: StartReady) -> None:
        if message.session_id is not None:
            self.open_session(message.session_id)
            return
        from listen.tui.screens.session_setup import SessionSetup, SetupChoice

        def chosen(choice: SetupChoice | None) -> None:
            if choice is None:
                return
            from listen.session import service

            store, day = self.store, self.clock.today().isoformat()
            self.save(
                "start the session",
                lambda: service.start_session(
                    store,
                    facilitator=choice.facilitator,
                    attendees=choice.attendees,
                    pack_name=choice.pack,
                    clip_ids=choice.clip_ids,
                    date=day,
                    now=self.clock.now,
                ),
                self._started,
            )

        self.push_screen(SessionSetup(message.data), chosen)

    def _started(self, session: Any) -> None:
        self.picked_clip_ids = []
        self._resume_offered = True
        self.notify(f"Session {session.id} started with {len(session.clip_ids)} clip(s).")
        self.open_session(session.id)

    def session_closed(self, session_id: str) -> None:
        self.session_id = None
        self.open_minutes(session_id)

    async def action_quit(self) -> None:
        """Save the session's time spent before leaving (the rest is saved already)."""
        for screen in self._all_mode_screens():
            if hasattr(screen, "flush_progress"):
                screen.flush_progress()
        self.exit()

    # ------------------------------------------------------------------ writes
    def save(
        self,
        label: str,
        run: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        *,
        applied: bool = False,
    ) -> None:
        """Save a change in the background; changes are written one at a time, in order.

        ``run`` is called in a thread (it must not touch widgets); ``done`` gets its result on
        the UI thread. A failure is shown as a notification (then ``failed`` runs) and the app
        goes on. Other screens reload when next shown; the screen on show reloads too unless
        ``applied`` says it has already drawn the change itself (a reload of 10,000 clips is
        seconds, a changed cell is nothing).
        """
        self._writes.append(Write(label, run, done, failed, applied))
        if not self._writer_starting and (self._writer is None or self._writer.is_finished):
            self._writer_starting = True
            self.call_after_refresh(self._start_writer)  # after the frame: what changed shows first

    def _start_writer(self) -> None:
        self._writer_starting = False
        if self._writes and (self._writer is None or self._writer.is_finished):
            self._writer = self._drain_writes()

    @work(thread=True, group="writes", exit_on_error=False, description="saving changes")
    def _drain_writes(self) -> None:
        while True:
            try:
                write = self._writes.popleft()
            except IndexError:
                return
            try:
                result = write.run()
            except Exception as error:
                self.post_message(WriteFailed(write, error))
            else:
                self.post_message(WriteDone(write, result))

    @on(WriteDone)
    def _write_done(self, message: WriteDone) -> None:
        if message.write.done is not None:
            message.write.done(message.result)
        self.post_message(DataChanged(message.write.label, shown_is_current=message.write.applied))

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        self.log.error(f"saving {message.write.label} failed", message.error)
        self.notify(
            describe_error(message.error),
            title=f"Could not save: {message.write.label}",
            severity="error",
            timeout=10,
        )
        if message.write.failed is not None:
            message.write.failed(message.error)

    @property
    def has_pending_writes(self) -> bool:
        running = self._writer is not None and not self._writer.is_finished
        return bool(self._writes) or running or self._writer_starting

    # ------------------------------------------------------------------ transcription
    def transcribe(self, clip_ids: list[str] | None = None) -> None:
        """Start transcribing the given clips (or every queued one) in the background."""
        if self._transcriber is not None and not self._transcriber.is_finished:
            self.notify("A transcription batch is already running.", severity="warning")
            return
        self.transcription = TranscriptionState(running=True, label="starting…")
        self._transcriber = self._run_transcription(clip_ids)

    def cancel_transcription(self) -> None:
        if self._transcriber is not None and not self._transcriber.is_finished:
            self._transcriber.cancel()
            self.notify("Stopping the transcription after the current clip…")

    @work(thread=True, group="transcribe", exit_on_error=False, description="transcribing clips")
    def _run_transcription(self, clip_ids: list[str] | None) -> None:
        from listen.transcribe.runner import Progress, transcribe_clips  # the engine loads lazily

        worker = get_current_worker()

        def progress(p: Progress) -> None:
            if p.clip_id is None:
                label = "loading the speech model…"
            else:
                label = f"{p.label} ({p.clip_index} of {p.clip_count})"
            self.post_message(TranscriptionProgress(p.done, p.total, p.clip_id, label))

        summary = transcribe_clips(
            self.store,
            self.settings,
            clip_ids,
            threads=transcription_threads(self.settings),
            on_progress=progress,
            cancel=lambda: worker.is_cancelled,
        )
        self.post_message(
            TranscriptionFinished(len(summary.done), len(summary.failed), cancelled=summary.cancelled)
        )

    @on(TranscriptionProgress)
    def _transcription_progress(self, message: TranscriptionProgress) -> None:
        self.transcription = TranscriptionState(True, message.done, message.total, message.label)

    @on(TranscriptionFinished)
    def _transcription_finished(self, message: TranscriptionFinished) -> None:
        self.transcription = TranscriptionState(running=False)
        if message.cancelled:
            self.notify(f"Transcription stopped: {message.done} done.")
        elif message.failed:
            self.notify(
                f"Transcription finished: {message.done} done, {message.failed} failed "
                "(see the Inbox for the reasons).",
                severity="warning",
            )
        elif message.done:
            self.notify(f"Transcription finished: {message.done} clip(s) ready.")
        else:
            self.notify("Nothing waits for transcription.")
        self.post_message(DataChanged("transcripts"))

    # ------------------------------------------------------------------ one place for worker errors
    @on(Worker.StateChanged)
    def _app_worker_state(self, event: Worker.StateChanged) -> None:
        self.worker_state_changed(event)

    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every screen forwards its workers' state changes here: errors become a notification."""
        worker = event.worker
        if event.state == WorkerState.ERROR and worker.error is not None:
            self.log.error(f"worker {worker.name} failed", worker.error)
            self.notify(
                describe_error(worker.error),
                title=f"{worker.description or worker.name} failed",
                severity="error",
                timeout=10,
            )
            if worker.group == "transcribe":
                self.transcription = TranscriptionState(running=False)
        finished = event.state in (WorkerState.SUCCESS, WorkerState.ERROR)
        if worker is self._writer and finished and self._writes:
            self._writer = self._drain_writes()  # a write arrived while the writer was finishing

    @on(DataChanged)
    def _data_changed(self, message: DataChanged) -> None:
        from listen.tui.screens.base import ListenScreen

        shown = self.screen
        screens: list[ListenScreen] = [s for s in self._all_mode_screens() if isinstance(s, ListenScreen)]
        for screen in screens:
            if screen is shown:
                if not message.shown_is_current:
                    screen.data_changed(message.what)
            else:
                screen.stale = True

    def _all_mode_screens(self) -> Iterable[Screen[Any]]:
        for stack in self._screen_stacks.values():
            yield from stack

    # ------------------------------------------------------------------ palette
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, title in MODE_TITLES.items():
            yield SystemCommand(
                f"Go to {title}",
                f"Show the {title} screen",
                lambda mode=mode: self.switch_mode(mode),  # type: ignore[misc]
            )
