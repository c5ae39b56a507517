"""The listen app: one screen per mode (Home, Inbox, Session, Gaps, Actions, Minutes).

The app is a switchboard: it owns what every screen shares (the store, the settings, the clock)
and routes messages between the screens and the small objects that do the work: the ordered
writes (writes.py), the transcription batch (transcription.py), crash recovery at start
(recovery.py) and the watcher that notices other processes' writes (watcher.py).
"""

from __future__ import annotations

import asyncio
import importlib
import signal
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from listen.errors import ListenError, StoreError
from listen.settings import Settings, load_settings
from listen.store import Store
from listen.store.store import Reuses
from listen.tui.clock import Clock
from listen.tui.commands import ListenCommands
from listen.tui.messages import (
    DataChanged,
    SessionClosed,
    StartReady,
    TranscriptionFinished,
    TranscriptionProgress,
    WorkspaceChanged,
    Write,
    WriteDone,
    WriteFailed,
)
from listen.tui.recovery import Recovery
from listen.tui.safe import multi_line, one_line
from listen.tui.screens.home import HomeScreen
from listen.tui.transcription import TranscriptionController, TranscriptionState, clips_written
from listen.tui.watcher import SETTINGS, WorkspaceWatcher, changed_clip_shards
from listen.tui.writes import WriteQueue
from listen.workspace import Workspace

if TYPE_CHECKING:
    from listen.search import Hit
    from listen.tui.screens.base import ListenScreen

DEFAULT_CLIPS = 4  # a session hears three or four clips
SETUP_CLIPS = 60  # clips offered when starting a session (the picked ones always are)

SCREEN_CLASSES: dict[str, str] = {  # mode -> "module:class"; imported when first shown
    "inbox": "listen.tui.screens.inbox:InboxScreen",
    "session": "listen.tui.screens.session:SessionScreen",
    "gaps": "listen.tui.screens.gaps:GapsScreen",
    "actions": "listen.tui.screens.actions:ActionsScreen",
    "minutes": "listen.tui.screens.minutes:MinutesScreen",
    "trends": "listen.tui.screens.trends:TrendsScreen",
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
    "trends": "Trends",
}


# what each screen shows, to refresh only those another process's write concerns (None: all)
SCREEN_TABLES: dict[str, frozenset[str] | None] = {
    "home": None,
    "inbox": frozenset({"clips", "sessions", "meta", SETTINGS}),
    "session": None,
    "gaps": frozenset({"gaps", "clips", "sessions", "ideas", SETTINGS}),
    "actions": frozenset({"actions", "ideas", "gaps", "sessions", SETTINGS}),
    "minutes": None,
    "trends": frozenset({"gaps", "actions", "clips", "sessions", SETTINGS}),
}


def _no_room(error: BaseException) -> bool:
    """A write refused by the disk or the database files (full, read-only, locked), not for what
    it says: worth keeping to retry."""
    import errno

    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES)
    return isinstance(error, StoreError)


def describe_error(error: BaseException) -> str:
    """One line for a notification: our own errors as they are, others with their type."""
    if isinstance(error, ListenError):
        return str(error)
    if isinstance(error, OSError):  # a full disk, a read-only folder: said in words, not as a type
        from listen.ingest.limits import write_failure_reason

        where = f"{error.filename}: " if error.filename else ""
        return f"{where}not saved: {write_failure_reason(error)}"
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
        Binding("7", "switch_mode('trends')", "Trends", show=False, id="go-trends"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        # ctrl+f too: on Inbox and Gaps "/" filters the list
        Binding("slash,ctrl+f", "search", "Search everything", key_display="/", show=False, id="search"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit"),
        Binding("ctrl+r", "retry_saves", "Retry unsaved changes", show=False, id="retry-saves"),
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
        # what Home and Trends made of the whole tables they read, for each other's next read
        self.reuses = Reuses()
        self.settings = settings or load_settings(workspace.settings_path)
        self.clock = clock or Clock()
        self.offer_resume = offer_resume
        self.session_id: str | None = None  # the session the Session screen shows
        self.minutes_session_id: str | None = None  # the session the Minutes screen shows
        self.gap_focus: str | None = None  # the gap the Gaps screen puts its cursor on next
        from listen.session.service import next_session_picks

        # clips picked in the Inbox for the next session (saved in the store, so they survive a restart)
        self.picked_clip_ids: list[str] = next_session_picks(self.store)
        self.writes = WriteQueue(self)
        self.transcriber = TranscriptionController(self)
        self.watcher = WorkspaceWatcher(workspace, self._outside_change, committed=self.store.committed)
        self._resume_offered = False
        self._new_workspace = not workspace.exists()  # made by the first save, which says so
        self._unsaved: list[Write] = []  # changes a full disk refused, kept to retry (ctrl+r)
        self.sub_title = one_line(workspace.root)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text through the display sanitiser: messages name clips,
        gaps, people and files, so markup is never parsed (``markup`` is ignored) and no control
        character reaches the terminal. Widgets' and screens' notify() come here too."""
        super().notify(
            multi_line(message), title=one_line(title), severity=severity, timeout=timeout, markup=False
        )

    startup_notice = ""  # said once the app is on screen (`listen demo`: where its copy is)
    unsaved_at_exit: tuple[str, ...] = ()  # changes the last writes at exit could not save (said after)

    def on_mount(self) -> None:
        Recovery(self, self.store).start()
        self.watcher.start()
        self._exit_on_signals()
        if self.startup_notice:
            self.notify(self.startup_notice, timeout=20)

    def on_unmount(self) -> None:
        self.watcher.stop()
        # the screens are gone: what they saved as they went (typed text) is written now
        self.unsaved_at_exit = tuple(
            f"{write.label}: {describe_error(error)}" for write, error in self.writes.finish()
        )
        loop = asyncio.get_running_loop()
        for signum in self._signals:
            loop.remove_signal_handler(signum)

    def _exit_on_signals(self) -> None:
        """A closed terminal (SIGHUP) or a polite kill (SIGTERM) ends the app the ordinary way,
        through on_unmount, instead of killing it where it stands."""
        self._signals: list[int] = []
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self.exit)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, Windows
                continue
            self._signals.append(signum)

    def clips_counted(self, transcribing: int) -> None:
        """Home has counted the clips: the start-up reading is done (see memory.py)."""
        from listen.tui.memory import calm_garbage_collector

        calm_garbage_collector()

    # ------------------------------------------------------------------ other processes' writes
    def _outside_change(self, tables: frozenset[str]) -> None:
        """The watcher's thread: read what every screen shares (settings, picks), then post."""
        settings = error = picks = None
        if SETTINGS in tables:
            try:
                settings = load_settings(self.workspace.settings_path)
            except ListenError as problem:
                error = str(problem)
        if "meta" in tables:
            from listen.session.service import next_session_picks

            try:
                picks = next_session_picks(self.store)
            except ListenError:
                picks = None
        self.post_message(WorkspaceChanged(tables, settings=settings, settings_error=error, picks=picks))

    @on(WorkspaceChanged)
    def _workspace_changed(self, message: WorkspaceChanged) -> None:
        if message.settings is not None:
            self.settings = message.settings
        if message.settings_error is not None:
            self.notify(
                message.settings_error + " (the settings in use are kept)",
                title="listen.toml changed",
                severity="error",
                timeout=15,
            )
        if message.picks is not None:
            self.picked_clip_ids = message.picks
        self.post_message(DataChanged("another window", tables=message.tables, outside=True))

    # ------------------------------------------------------------------ navigation
    def action_help(self) -> None:
        from listen.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_search(self) -> None:
        from listen.tui.screens.search import SearchModal

        if not isinstance(self.screen, SearchModal):
            self.push_screen(SearchModal(), self.open_search_hit)

    def open_search_hit(self, hit: Hit | None) -> None:
        """A search result: its clip at that moment, its gap, its session's minutes, the actions."""
        if hit is None:
            return
        if hit.clip_id is not None:
            from listen.tui.screens.clip import ClipScreen

            self.push_screen(ClipScreen(hit.clip_id, start_at=hit.at))
        elif hit.kind == "gap":
            self.switch_mode("gaps")
            self._select_gap(hit.ref or "")
        elif hit.kind == "action":
            self.switch_mode("actions")
        elif hit.session_id is not None:
            self.minutes_session_id = hit.session_id
            self.switch_mode("minutes")
            self.screen.reload()  # type: ignore[attr-defined]  # the mode screens are ListenScreens

    def _select_gap(self, gap_id: str) -> None:
        """Put the Gaps table on ``gap_id`` now, or once a worker has loaded its rows."""
        from listen.tui.screens.gaps import GapsScreen
        from listen.tui.widgets.table import ListenTable

        screen = self.screen
        if not isinstance(screen, GapsScreen):
            return
        if screen.data is None:
            screen.pending_gap = gap_id
        else:
            screen.query_one(ListenTable).select_key(gap_id)

    def open_session(self, session_id: str) -> None:
        """Show a session on the Session screen (resuming it where it stopped)."""
        self.session_id = session_id
        self.switch_mode("session")
        screen = self.screen
        if isinstance(screen, screen_class("session")):
            screen.show_session(session_id)  # type: ignore[attr-defined]

    def open_gap(self, gap_id: str) -> None:
        """Show one gap in the ledger (the Gaps screen), e.g. from its line on Trends."""
        self.gap_focus = gap_id
        self.switch_mode("gaps")
        screen = self.screen
        if isinstance(screen, screen_class("gaps")):
            screen.focus_gap()  # type: ignore[attr-defined]

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

    @on(SessionClosed)
    def _session_closed(self, message: SessionClosed) -> None:
        """Closed here: its minutes are shown. Closed in another window: the notice is enough."""
        if self.session_id == message.session_id:
            self.session_id = None
        if not message.elsewhere:
            self.open_minutes(message.session_id)

    async def action_quit(self) -> None:
        """Leave (the session screen saves its clocks as it unmounts, see SessionScreen)."""
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
        self.writes.save(Write(label, run, done, failed, applied))

    @on(WriteDone)
    def _write_done(self, message: WriteDone) -> None:
        if message.write.done is not None:
            message.write.done(message.result)
        self.post_message(DataChanged(message.write.label, shown_is_current=message.write.applied))

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        self.log.error(f"saving {message.write.label} failed", message.error)
        retry = ""
        if _no_room(message.error):  # the change itself is fine: keep it until there is room
            self._unsaved.append(message.write)
            self.refresh_bindings()
            retry = " The change is kept: press ctrl+r to save it again once there is room."
        self.notify(
            describe_error(message.error) + retry,
            title=f"Could not save: {message.write.label}",
            severity="error",
            timeout=10,
        )
        if message.write.failed is not None:
            message.write.failed(message.error)

    def action_retry_saves(self) -> None:
        """Save again the changes a full disk (or a read-only folder) refused, in their order."""
        writes, self._unsaved = self._unsaved, []
        self.refresh_bindings()
        for write in writes:  # the screens reload after: what they show may have been undone
            self.save(write.label, write.run, write.done, write.failed)
        self.notify(f"Saving {len(writes)} kept change(s) again…" if writes else "Nothing waits to be saved.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_saves":
            return bool(self._unsaved)
        return True

    @property
    def has_pending_writes(self) -> bool:
        return self.writes.pending

    # ------------------------------------------------------------------ transcription
    def transcribe(self, clip_ids: list[str] | None = None) -> None:
        """Start transcribing the given clips (or every queued one) in the background."""
        self.transcriber.start(clip_ids)

    def cancel_transcription(self) -> None:
        self.transcriber.cancel()

    @on(TranscriptionProgress)
    def _transcription_progress(self, message: TranscriptionProgress) -> None:
        self.transcriber.progressed(message)

    @on(TranscriptionFinished)
    def _transcription_finished(self, message: TranscriptionFinished) -> None:
        self.transcriber.finished(message)
        if message.clip_ids:  # patched clip by clip as the batch ran; once more, every one
            self.post_message(clips_written("transcripts", message.clip_ids))

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
                markup=False,  # errors quote stored values: "[link=…]" in one is text, not markup
            )
            if worker.group == "transcribe":
                self.transcriber.failed()
        finished = event.state in (WorkerState.SUCCESS, WorkerState.ERROR)
        if finished and self.writes.is_writer(worker):
            self.writes.writer_finished()

    @on(DataChanged)
    def _data_changed(self, message: DataChanged) -> None:
        """The screen on show that shows what changed reloads now (an outside change keeps its
        cursor and what is typed: see ListenScreen.outside_change); the others when shown."""
        from listen.tui.screens.base import ListenScreen

        if self._new_workspace and self.workspace.exists():
            self._new_workspace = False
            self.notify(f"created workspace {self.workspace.root}")

        try:
            shown = self.screen
        except ScreenStackError:  # the app is closing: a watcher's report can still arrive
            return
        screens = [s for s in self._all_mode_screens() if isinstance(s, ListenScreen)]
        for screen in screens:
            if message.tables is not None:
                shows = SCREEN_TABLES.get(screen.MODE)
                if shows is not None and not (shows & message.tables):
                    continue
            if screen is not shown:
                screen.stale = True
            elif message.outside or changed_clip_shards(message.tables) is not None:
                # another process wrote, or the app's transcription names the clips it wrote:
                # read what changed, keeping the cursor (rows patched, not the table refilled)
                screen.outside_change(message.tables, outside=message.outside)
            elif not message.shown_is_current:
                screen.data_changed(message.what)

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
