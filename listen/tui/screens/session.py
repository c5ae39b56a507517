"""Session: the agenda from the prompt pack on the left (timebox and time spent per step), the
current step in the middle. n / b / k move on, back, skip; + extends the timebox; A adds someone
who arrives late. Every change is saved at once; the time spent is saved on every move and every
half minute, so a closed terminal loses nothing but the last seconds."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.widgets import Footer, OptionList, Static

from listen.domain import Clip, Session
from listen.errors import ListenError
from listen.session import service
from listen.session.agenda import Agenda
from listen.session.packs import PromptPack, load_pack
from listen.tui.messages import CloseSession, GoToStep, SessionChanged, SessionClosed
from listen.tui.safe import multi_line, one_line
from listen.tui.screens.base import ListenScreen
from listen.tui.screens.modals import ChoiceModal, ConfirmModal, TextPrompt
from listen.tui.steps import StepView, step_view_for
from listen.tui.viewmodels import format_clock
from listen.tui.widgets.agenda import AgendaList
from listen.tui.widgets.nav import NavBar

TICK_SECONDS = 1.0
SAVE_EVERY_TICKS = 30
EXTEND_MINUTES = 2.0
SESSION_TABLES = frozenset({"sessions", "clips", "settings"})  # what the screen itself shows


@dataclass(frozen=True)
class SessionData:
    session: Session | None
    pack: PromptPack | None = None
    clips: dict[str, Clip] = field(default_factory=dict)
    error: str | None = None


class SessionScreen(ListenScreen):
    MODE = "session"
    CSS_PATH = "session.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next", "Next step", id="step-next"),
        Binding("b", "back", "Back", show=False, id="step-back"),
        Binding("k", "skip", "Skip", show=False, id="step-skip"),
        Binding(
            "plus", "extend", f"+{EXTEND_MINUTES:.0f} min", show=False, key_display="+", id="step-extend"
        ),
        Binding("A", "add_attendee", "Add attendee", show=False, id="session-attendee"),
        Binding("N", "note", "Note", show=False, id="session-note"),
        Binding("j", "jump", "Jump to step", show=False, id="step-jump"),
        Binding("v", "toggle_agenda", "Agenda", show=False, id="agenda-toggle"),
        Binding("s", "start", "Start session", id="session-start"),
    ]

    session: Session
    agenda: Agenda | None = None
    pack: PromptPack | None = None
    clips: dict[str, Clip]
    step_view: StepView | None = None

    def __init__(self) -> None:
        super().__init__()
        self.clips = {}
        self._ticks = 0
        self._has_session = False
        self._views: dict[str, StepView] = {}

    def compose(self) -> ComposeResult:
        yield NavBar("session")
        with Container(id="session-body"):
            with Vertical(id="agenda-panel") as panel:
                panel.border_title = "Agenda"
                yield AgendaList(id="agenda")
                yield Static("", id="session-total")
            with Vertical(id="step-panel"):
                yield Static("", id="step-header")
                yield Container(id="step-host")
        yield Static("", id="no-session")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show_empty("loading…")
        self.set_interval(TICK_SECONDS, self._tick)

    # ------------------------------------------------------------------ loading
    def show_session(self, session_id: str) -> None:
        self.listen.session_id = session_id
        self.reload()

    def load_data(self) -> Any:
        store = self.listen.store
        wanted = self.listen.session_id
        try:
            session = store.session(wanted) if wanted else service.open_session(store)
        except ListenError as error:
            return SessionData(None, error=str(error))
        if session is None:
            return SessionData(None)
        clips: dict[str, Clip] = {}
        for clip_id in session.clip_ids:
            try:
                clips[clip_id] = store.clip(clip_id)
            except ListenError:
                continue
        try:
            pack = load_pack(session.prompt_pack, self.listen.workspace)
        except ListenError as error:
            return SessionData(session, None, clips, error=str(error))
        return SessionData(session, pack, clips)

    def show_data(self, data: Any) -> None:
        result: SessionData = data
        if result.session is None:
            self._has_session = False
            self._show_empty(result.error or "")
            return
        session = result.session
        if session.status != "open":
            if self._has_session and self.session.id == session.id:  # closed by another window
                self._let_go(session.id, elsewhere=True)
                return
            self._has_session = False
            self._show_empty(f"Session {session.id} is closed: its minutes are on the Minutes screen (6).")
            return
        if result.pack is None:
            self._has_session = False
            self._show_empty(f"Session {session.id} cannot run: {result.error}")
            self.notify(result.error or "", title="Prompt pack", severity="error", timeout=15)
            return
        same = self._has_session and self.agenda is not None and self.session.id == session.id
        self.session = session
        self.clips = dict(result.clips)
        self.listen.session_id = session.id
        self._has_session = True
        if same:
            self.set_session(session)  # another window may have added a clip or an attendee
        else:
            self._forget_steps()
            self.pack = result.pack
            self.agenda = Agenda.for_session(result.pack, session, now=self.listen.clock.monotonic)
            self.query_one("#session-body").display = True
            self.query_one("#no-session").display = False
            self._show_step()

    def _show_empty(self, reason: str) -> None:
        self.query_one("#session-body").display = False
        empty = self.query_one("#no-session", Static)
        empty.display = True
        text = Text()
        text.append("No session is running.\n\n", style="bold")
        if reason and reason != "loading…":
            text.append(multi_line(reason) + "\n\n")
        text.append("Press s to start this week's session", style="bold")
        text.append(" (or resume the open one).\nPick clips first in the Inbox (2) with space.", style="dim")
        empty.update(Text("loading…", style="dim") if reason == "loading…" else text)
        self.query_one(NavBar).set_note("")  # the header names only a session that runs
        self._forget_steps()

    def data_changed(self, what: str) -> None:
        """Writes from this screen update it through their results; nothing to reload here."""
        if not self._has_session:
            self.reload()

    def outside_change(self, tables: frozenset[str] | None, *, outside: bool = True) -> None:
        """Another window wrote: read the session again (a clip or an attendee added, closed
        there), keeping the agenda and its clocks; the step shown reads its own data again.
        ``outside`` False: the app's own transcription wrote clips (the step is told so)."""
        if tables is None or tables & SESSION_TABLES:
            self.reload()
        if self._has_session and self.step_view is not None and self.step_view.is_mounted:
            self.step_view.outside_change(tables, outside=outside)

    def on_screen_resume(self) -> None:
        if self.stale:
            self.outside_change(None)  # whatever changed while hidden, as if it came from outside

    # ------------------------------------------------------------------ the session object
    def set_session(self, session: Session) -> None:
        """A newer version of the session (a write's result, or a reload after another window
        wrote): keep it, and lay the agenda out again if its clips changed.

        The steps already shown stay (with their cursor, selection and player); only steps of
        clips that left the session go. Steps that are not composed yet are not told: they read
        the session when they mount."""
        if not self._has_session or session.id != self.session.id:
            return
        if session.status != "open":
            self._let_go(session.id, elsewhere=True)
            return
        clips_changed = session.clip_ids != self.session.clip_ids
        self.session = session
        if clips_changed and self.agenda is not None:
            self.agenda.set_clips(session.clip_ids)
            self._load_missing_clips()
            self._relay_steps()
            self._show_step()
        else:
            self._refresh_header()
        for view in list(self._views.values()):
            if view.is_mounted:
                view.session_changed(session)

    def _relay_steps(self) -> None:
        """After the agenda was laid out again: each kept step gets its new place (its number,
        'clip 2 of 3'); a step whose entry is gone is removed."""
        agenda = self.agenda
        if agenda is None:
            return
        entries = {entry.key: entry for entry in agenda.entries}
        for key, view in list(self._views.items()):
            entry = entries.get(key)
            if entry is None:
                del self._views[key]
                if view is self.step_view:
                    self.step_view = None
                    self.notify(
                        f"{view.entry.title}: its clip was taken out of this session (in another "
                        "window); the agenda moved on.",
                        severity="warning",
                        timeout=10,
                    )
                view.remove()
            else:
                view.entry = entry

    @on(SessionChanged)
    def _session_changed(self, message: SessionChanged) -> None:
        message.stop()
        self.set_session(message.session)

    @on(GoToStep)
    def _go_to_step(self, message: GoToStep) -> None:
        message.stop()
        self.go_to_kind(message.kind)

    @on(CloseSession)
    def _close_session(self, message: CloseSession) -> None:
        """Save the time spent, then close (in that order: writes are saved one at a time)."""
        message.stop()
        if not self._has_session or self.session.id != message.session_id:
            return
        store, session_id = self.listen.store, message.session_id
        now = self.listen.clock.now
        self.save_progress()
        self.listen.save(
            "close the session",
            lambda: service.close_session(store, session_id, now=now),
            lambda session: self._let_go(session.id, elsewhere=False),
        )

    def _let_go(self, session_id: str, *, elsewhere: bool) -> None:
        """The session is closed: stop its clock and its saves, and tell the app (which shows its
        minutes). Closed in another window, the room is told so: nothing typed here is saved to it."""
        if self.agenda is not None:
            self.agenda.pause()
        self._has_session = False
        self.agenda = None
        self._show_empty(f"Session {session_id} is closed: its minutes are on the Minutes screen (6).")
        if elsewhere:
            self.notify(
                f"Session {session_id} was closed in another window: nothing more is saved to it. "
                "Its minutes are on the Minutes screen (6).",
                title="Session closed elsewhere",
                severity="warning",
                timeout=15,
            )
        else:
            self.notify(f"Session {session_id} closed. Thank you all.", title="Closed")
        self.post_message(SessionClosed(session_id, elsewhere=elsewhere))

    def _load_missing_clips(self) -> None:
        store = self.listen.store
        for clip_id in self.session.clip_ids:
            if clip_id not in self.clips:
                try:
                    self.clips[clip_id] = store.clip(clip_id)
                except ListenError:
                    continue

    # ------------------------------------------------------------------ the step shown
    def _show_step(self) -> None:
        """Show the agenda's current step. Visited steps are kept (hidden), so moving back and
        forth only swaps which one is displayed; each reloads its data when shown again."""
        agenda = self.agenda
        if agenda is None:
            return
        host = self.query_one("#step-host", Container)
        entry = agenda.current
        view = self._views.get(entry.key)
        if view is not None and view.entry != entry:  # the agenda was laid out again
            view.remove()
            view = None
        hiding = self.step_view
        if hiding is not None and hiding is not view and hiding.is_attached:
            hiding.display = False
            # keys typed faster than the steps mount: a step shown and left again before it
            # was composed has no widgets yet, and nothing playing or typed to put away
            if hiding.is_mounted:
                hiding.step_hidden()
        if view is None:
            view = step_view_for(entry.kind)(self, entry)
            self._views[entry.key] = view
            host.mount(view)
        else:
            view.display = True
            view.step_shown()
        self.step_view = view
        self.query_one(AgendaList).show(agenda)
        self._refresh_header()
        self.call_after_refresh(self._prepare_next)

    def _prepare_next(self) -> None:
        """Mount the next step ahead of time (hidden), so 'n' only has to show it."""
        agenda = self.agenda
        if agenda is None or agenda.is_last or not self._has_session:
            return
        entry = agenda.entries[agenda.index + 1]
        if entry.key in self._views:
            return
        view = step_view_for(entry.kind)(self, entry)
        view.display = False
        self._views[entry.key] = view
        self.query_one("#step-host", Container).mount(view)

    def _forget_steps(self) -> None:
        self._views = {}
        self.step_view = None
        self.query_one("#step-host").remove_children()

    def _refresh_header(self) -> None:
        agenda = self.agenda
        if agenda is None or not self._has_session:
            return
        entry = agenda.current
        spent, box = agenda.elapsed(), agenda.timebox()
        text = Text()
        text.append(f" {entry.index + 1}/{len(agenda.entries)} ", style="reverse")
        text.append(one_line(f" {entry.title}"), style="bold")
        if box > 0:
            over = agenda.over_time()
            text.append(f"  {format_clock(spent)} of {format_clock(box)}", style="bold red" if over else "")
            if over:
                text.append(" over time (+ extends)", style="red")
        else:
            text.append(f"  {format_clock(spent)}")
        self.query_one("#step-header", Static).update(text)
        session = self.session
        people = ", ".join(a.name for a in session.attendees)
        total = Text()
        total.append(f"{format_clock(agenda.total_elapsed())} of {format_clock(agenda.planned_seconds())}\n")
        total.append(one_line(f"{len(session.attendees)} here: {people}") + "\n", style="dim")
        total.append("n next   b back   k skip\n+ time   A attendee\nN note   j jump   ? help", style="dim")
        self.query_one("#session-total", Static).update(total)
        self.query_one(NavBar).set_note(f"session {session.id} · {session.facilitator}")

    def _tick(self) -> None:
        if not self._has_session or self.agenda is None:
            return
        self._refresh_header()
        self.query_one(AgendaList).tick(self.agenda)
        self._ticks += 1
        if self._ticks % SAVE_EVERY_TICKS == 0:
            self.save_progress()

    # ------------------------------------------------------------------ saving the agenda
    def save_progress(self) -> None:
        if not self._has_session or self.agenda is None:
            return
        index, seconds, extensions = self.agenda.snapshot()  # on the UI thread: the agenda is ours
        store, session_id = self.listen.store, self.session.id
        self.listen.save(
            "session progress",
            lambda: service.save_progress(store, session_id, index, seconds, extensions),
            self.set_session,
            lambda _error: self.reload(),  # e.g. closed in another window: find out, stop saving
            applied=True,
        )

    def on_unmount(self) -> None:
        """However the app ends (ctrl+q, the terminal closed, a SIGTERM), the running session
        keeps the time spent on its steps: a resume shows the clocks where they were."""
        self.flush_progress()

    def flush_progress(self) -> None:
        """Save the time spent right now, on this thread (when the app is about to exit)."""
        if not self._has_session or self.agenda is None:
            return
        index, seconds, extensions = self.agenda.snapshot()
        with contextlib.suppress(ListenError):
            service.save_progress(self.listen.store, self.session.id, index, seconds, extensions)

    # ------------------------------------------------------------------ moving
    def _move(self, how: str) -> None:
        if not self._has_session or self.agenda is None:
            return
        before = self.agenda.index
        getattr(self.agenda, how)()
        if self.agenda.index == before and how != "skip":
            self.notify("That is the last step." if how == "next" else "That is the first step.")
        self._show_step()
        self.call_after_refresh(self.save_progress)  # after the frame: the move shows at once

    def action_next(self) -> None:
        ask = getattr(self.step_view, "before_leaving", None)  # a step may ask once before moving on
        question = ask() if ask is not None else None
        if question:
            self.app.push_screen(ConfirmModal(question), lambda ok: self._move("next") if ok else None)
            return
        self._move("next")

    def action_back(self) -> None:
        self._move("back")

    def action_skip(self) -> None:
        self._move("skip")

    def go_to_kind(self, kind: str) -> None:
        """Jump to the next step of a kind (e.g. back to 'commit' to fix orphans)."""
        if self.agenda is None:
            return
        entry = next((e for e in self.agenda.entries if e.kind == kind), None)
        if entry is not None:
            self.agenda.go_to(entry.index)
            self._show_step()
            self.save_progress()

    def action_jump(self) -> None:
        if self.agenda is None:
            return
        agenda = self.agenda
        options = [(str(e.index), f"{e.index + 1}. {e.title}") for e in agenda.entries]

        def chosen(index: str | None) -> None:
            if index is not None and self.agenda is agenda:
                agenda.go_to(int(index))
                self._show_step()
                self.save_progress()

        self.app.push_screen(ChoiceModal("Jump to step", options), chosen)

    @on(OptionList.OptionSelected, "#agenda")
    def _agenda_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.agenda is not None and event.option.id is not None:
            self.agenda.go_to(int(event.option.id))
            self._show_step()
            self.save_progress()

    def action_extend(self) -> None:
        if self.agenda is None:
            return
        self.agenda.extend(EXTEND_MINUTES)
        self._refresh_header()
        self.query_one(AgendaList).tick(self.agenda)
        self.save_progress()
        self.notify(f"{self.agenda.current.title}: {EXTEND_MINUTES:.0f} more minutes.")

    def action_start(self) -> None:
        self.listen.action_start_session()

    def action_toggle_agenda(self) -> None:
        self.toggle_class("-agenda-shown" if self.has_class("-narrow") else "-agenda-hidden")

    # ------------------------------------------------------------------ people and notes
    def action_add_attendee(self) -> None:
        if not self._has_session:
            return
        store, session_id = self.listen.store, self.session.id
        members = {m.name: m.role for m in self.listen.settings.members}

        def added(text: str | None) -> None:
            if not text:
                return
            name, _, role = text.partition(",")
            name, role = name.strip(), role.strip() or members.get(name.strip(), "")
            self.listen.save(
                f"add attendee {name}",
                lambda: service.add_attendee(store, session_id, name, role),
                lambda session: self._welcome(session, name),
            )

        self.app.push_screen(
            TextPrompt(
                "Add an attendee",
                label="Name, and a role after a comma (optional)",
                placeholder="Sam, warehouse",
                check=lambda t: None if t.split(",")[0].strip() else "a name, please",
            ),
            added,
        )

    def _welcome(self, session: Session, name: str) -> None:
        self.set_session(session)
        self.notify(f"Welcome, {name}.")

    def action_note(self) -> None:
        if not self._has_session:
            return
        store, session_id = self.listen.store, self.session.id

        def noted(text: str | None) -> None:
            if text:
                self.listen.save("note", lambda: service.add_note(store, session_id, text), self.set_session)

        self.app.push_screen(TextPrompt("A note for the minutes", keep_on_escape=True), noted)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_session = ("next", "back", "skip", "extend", "add_attendee", "note", "jump", "toggle_agenda")
        if action in in_session:
            return self._has_session
        if action == "start":
            return not self._has_session
        return True
