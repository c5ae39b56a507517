"""What every step widget shares: its place in the session, the prompt card, loading and saving."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual import on, work
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Collapsible, DataTable, Static
from textual.worker import Worker, get_current_worker

from listen.domain import Session
from listen.session.agenda import AgendaEntry
from listen.session.reads import SessionReuse
from listen.tui.messages import Loaded
from listen.tui.safe import multi_line, one_line, safe

if TYPE_CHECKING:
    from listen.store import Store
    from listen.tui.app import ListenApp
    from listen.tui.screens.session import SessionScreen


def prompt_renderable(entry: AgendaEntry, *, intro: bool = True) -> Group:
    """The step's text (the pack's Markdown, drawn by Rich in one widget: much lighter than
    Textual's Markdown widget, and steps must change fast) and its questions for the room."""
    parts: list[RenderableType] = []
    if intro and entry.step.intro:
        parts.append(RichMarkdown(multi_line(entry.step.intro)))  # a workspace's own pack: any text
        if entry.step.questions:
            parts.append(Text())
    if entry.step.questions:
        questions = Text()
        for index, question in enumerate(entry.step.questions):
            if index:
                questions.append("\n")
            questions.append("• ", style="bold")
            questions.append(one_line(question), style="italic")
        parts.append(questions)
    return Group(*parts)


class PromptCard(VerticalScroll):
    """The pack's words for this step, shown to the room."""

    DEFAULT_CSS = """
    PromptCard {
        height: auto;
        max-height: 6;
        padding: 0 1;
        background: $boost;
    }
    PromptCard > Static {
        height: auto;
    }
    """

    def __init__(self, entry: AgendaEntry, *, intro: bool = False, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=False)
        self.entry = entry
        self.intro = intro

    def compose(self) -> Any:
        yield Static(prompt_renderable(self.entry, intro=self.intro))


class PromptLine(Collapsible):
    """The step's questions folded into one line (where a PromptCard would crowd the screen):
    "▶ Questions (5): What was the customer trying to get done?"; enter, a click or the step's key
    unfolds them all."""

    DEFAULT_CSS = """
    PromptLine {
        height: auto;
        padding: 0;
        border: none;
        background: $boost;
    }
    PromptLine > CollapsibleTitle {
        width: 1fr;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PromptLine > Contents {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, entry: AgendaEntry, *, id: str | None = None) -> None:
        questions = entry.step.questions
        self.folded_title = f"Questions ({len(questions)})"
        if questions:
            self.folded_title += f": {one_line(questions[0])}"
        super().__init__(
            Static(prompt_renderable(entry, intro=False)),
            title=self.folded_title,
            collapsed=True,
            id=id,
        )
        self.unfolded_title = f"Questions ({len(questions)})"  # the first one is then shown below
        if not questions:
            self.display = False  # (never set to True here: the stylesheet decides where it shows)

    def on_collapsible_expanded(self) -> None:
        self.title = self.unfolded_title

    def on_collapsible_collapsed(self) -> None:
        self.title = self.folded_title


class StepView(Vertical, can_focus=True):
    """A step of the agenda. ``load_data`` runs in a thread; ``show_data`` on the UI thread.

    The step itself can take focus (when nothing in it can), so its keys always work.
    """

    DEFAULT_CSS = """
    StepView {
        height: 1fr;
    }
    StepView:focus {
        background-tint: $foreground 0%;
    }
    StepView .summary, StepView .detail {
        height: auto;
        padding: 0 1;
    }
    StepView .detail {
        max-height: 5;  /* a 6,000-character idea must not push its table off the step */
    }
    """
    KIND: ClassVar[str] = ""
    SHOW_INTRO: ClassVar[bool] = False  # most steps show only the questions (room is scarce)
    FOCUS: ClassVar[str] = ""  # the widget that gets the keyboard when the step is shown

    def __init__(self, screen: SessionScreen, entry: AgendaEntry) -> None:
        super().__init__(classes=f"step step-{entry.kind}")
        self.session_screen = screen
        self.entry = entry

    # ---- context
    @property
    def listen(self) -> ListenApp:
        return self.app  # type: ignore[return-value]

    @property
    def store(self) -> Store:
        return self.listen.store

    @property
    def session(self) -> Session:
        return self.session_screen.session

    @property
    def session_id(self) -> str:
        return self.session_screen.session.id

    @property
    def reuse(self) -> SessionReuse:
        """The step's reads kept between loads (only changed documents are made again)."""
        if self._reuse is None:
            self._reuse = SessionReuse()
        return self._reuse

    _reuse: SessionReuse | None = None

    def prompt_card(self) -> PromptCard:
        return PromptCard(self.entry, intro=self.SHOW_INTRO, id="prompt")

    def prompt_line(self) -> PromptLine:
        """The questions folded into one line, for a layout with no room for the card."""
        return PromptLine(self.entry, id="prompt-line")

    # ---- the line under a step's table: its highlighted row in full (the table cuts long text)
    def detail_line(self) -> Static:
        return Static("", classes="detail")

    def detail_text(self) -> Text:
        """What the detail line shows for the highlighted row; steps with a table override it."""
        return Text()

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        for line in self.query(".detail").results(Static):
            line.update(safe(self.detail_text()))  # a net: each step builds it from stored text

    # ---- loading
    def on_mount(self) -> None:
        self.reload()
        if self.display:  # a step mounted ahead of time (hidden) leaves the keyboard alone
            self.focus_main()
            self.call_after_refresh(self._ensure_focus)

    def focus_main(self) -> None:
        """Give the keyboard to the step's main widget (or to the step itself); never while the
        step is hidden (mounted ahead of time, or left behind)."""
        if not self.display:
            return
        if self.FOCUS:
            found = self.query(self.FOCUS)
            if found:
                found.first().focus()
                return
        self.focus()

    def _ensure_focus(self) -> None:
        """Keep the keyboard inside the step: on its main widget, else on the step itself."""
        if not self.display:
            return
        focused = self.screen.focused
        if focused is None or not (focused is self or self in focused.ancestors):
            self.focus_main()

    def step_shown(self) -> None:
        """Shown again (the screen keeps visited steps): keyboard back, then fresh data (read
        after the frame is drawn, so the move shows at once)."""
        self.focus_main()
        self.call_after_refresh(self.reload)

    def step_hidden(self) -> None:
        """The agenda moved on (the widget is kept, hidden)."""

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="step-load", exit_on_error=False, description="loading the step")
    def _load(self) -> None:
        data = self.load_data()
        if not get_current_worker().is_cancelled:
            self.post_message(Loaded(data))

    def load_data(self) -> Any:
        return None

    def show_data(self, data: Any) -> None:
        pass

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()
        if self.is_mounted:
            self.show_data(message.data)

    # ---- saving
    def save(
        self,
        label: str,
        run: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Save through the app's ordered writes; ``done`` / ``failed`` run only while the step
        is still there."""

        def after(result: Any) -> None:
            if done is not None and self.is_mounted:
                done(result)

        def after_failure(error: BaseException) -> None:
            if failed is not None and self.is_mounted:
                failed(error)

        self.listen.save(label, run, after, after_failure)

    def session_changed(self, session: Session) -> None:
        """The screen read a newer version of the session (attendee added, clip added...)."""

    # whether a reload on its way was asked for by another window's write (not only by the
    # app's own transcription): a step that tells the room what changed names who changed it
    changed_elsewhere: bool = False

    def outside_change(self, tables: frozenset[str] | None, *, outside: bool = True) -> None:
        """Another window wrote (a gap tagged, a clip transcribed again), or with ``outside``
        False the app's own transcription did: read the step's data again; ``show_data`` keeps
        the cursor and what the user selected."""
        self.changed_elsewhere = self.changed_elsewhere or outside
        self.reload()

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.listen.worker_state_changed(event)
