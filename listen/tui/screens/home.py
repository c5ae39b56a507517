"""Home: the workspace at a glance, and the way into this week's session."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, ProgressBar, Static
from textual.worker import get_current_worker

from listen.domain import Clip
from listen.tui.messages import Loaded
from listen.tui.safe import one_line, plain
from listen.tui.screens.base import ListenScreen
from listen.tui.viewmodels import (
    HomeSummary,
    home_summary,
    short_date,
    with_changed_shards,
    with_clip_counts,
)
from listen.tui.widgets.nav import NavBar

# rows of the Open actions card: more than a screen holds, never all of a long history (a 500-row
# table costs ~200 ms of layout each time Home is measured)
HOME_ACTION_ROWS = 30


class HomeScreen(ListenScreen):
    MODE = "home"
    CSS_PATH = "home.tcss"
    AUTO_FOCUS = "#start"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "app.start_session", "Start / resume session", id="start-session"),
        Binding("t", "transcribe", "Transcribe queued", id="transcribe-queued"),
        Binding("c", "app.cancel_transcription", "Stop transcribing", show=False, id="transcribe-stop"),
    ]

    summary: HomeSummary | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("home", note=self.listen.workspace.root.name)
        yield Static("", id="load-error")  # shown when the workspace cannot be read
        with Horizontal(id="home-top"):
            with Vertical(id="waiting", classes="card") as card:
                card.border_title = "Clips waiting"
                yield Static("loading…", id="waiting-body")
            with Vertical(id="queue", classes="card") as card:
                card.border_title = "Transcription"
                yield Static("", id="queue-body")
                yield ProgressBar(id="queue-bar", show_eta=False)
            with Vertical(id="last", classes="card") as card:
                card.border_title = "Last session"
                yield Static("", id="last-body")
        with Container(id="home-bottom"):
            with VerticalScroll(id="actions", classes="card") as card:
                card.border_title = "Open actions"
                yield Static("", id="actions-body")
            with VerticalScroll(id="gaps", classes="card") as card:
                card.border_title = "Gaps that recur most"
                yield Static("", id="gaps-body")
        with Horizontal(id="start-row"):
            yield Button("Start this week's session", id="start", variant="primary")
            yield Static("", id="start-note")
            yield Button(
                "Trends (7)", id="trends", tooltip="Charts of gaps, actions and clips over the weeks"
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "transcription", self._show_transcription, init=True)

    CLIP_DELTAS = True

    def reload(self) -> None:
        self.stale = False
        self._loading = True
        self._load_home()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="loading Home")
    def _load_home(self) -> None:
        """Everything but the clip counts (fast); the counts follow once that is on screen."""
        summary = home_summary(
            self.listen.store, self.listen.clock.today(), with_clips=False, reuses=self.listen.reuses
        )
        if not get_current_worker().is_cancelled:
            self.post_message(Loaded(summary))

    # only clips changed elsewhere (a rep's submit, a transcription): ListenScreen.outside_change
    # reads the shards that changed and the counts are made again from them, the rest kept
    def takes_clip_delta(self) -> bool:
        return self.summary is not None and self.summary.clips is not None

    def apply_clips(self, shards: frozenset[str], clips: list[Clip], prepared: Any = None) -> None:
        """Only the two cards that count clips change; the others are left as drawn."""
        assert self.summary is not None
        self.summary = with_changed_shards(self.summary, shards, clips)
        self._show_waiting(self.summary)
        self._show_queue(self.summary)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="counting clips")
    def _count_clips(self, summary: HomeSummary) -> None:
        """Reading thousands of clips holds the interpreter for a while: only after the first frame."""
        counted = with_clip_counts(summary, self.listen.store, self.listen.reuses)
        if not get_current_worker().is_cancelled:
            self.post_message(Loaded(counted))

    def load_failed(self, error: BaseException) -> None:
        """Say why, in place of "loading…": the file, the document and what is wrong with it."""
        from listen.tui.app import describe_error

        text = Text()
        text.append("Cannot read the workspace: ", style="bold")
        text.append(describe_error(error))
        text.append(
            "\n`listen doctor` lists every invalid document. Fix the file or move it aside "
            "(a .bak beside it, if there is one, is the previous version), then open the app again.",
            style="dim",
        )
        banner = self.query_one("#load-error", Static)
        banner.update(text)
        banner.add_class("-shown")
        self.query_one("#waiting-body", Static).update(Text("cannot be read (see above)", style="dim"))

    def show_data(self, data: Any) -> None:
        summary: HomeSummary = data
        self.query_one("#load-error").remove_class("-shown")
        self.summary = summary
        if summary.clips is None:
            self.call_after_refresh(self._count_clips, summary)
        else:
            self.listen.clips_counted(summary.clips.transcribing)
        self._show_waiting(summary)
        self._show_queue(summary)
        self._show_actions(summary)
        self._show_gaps(summary)
        self._show_start(summary)
        self._show_last(summary)
        if summary.open_session is not None:
            session = summary.open_session
            self.listen.offer_to_resume(session.id, _session_label(session))

    # ---- cards
    def _show_waiting(self, summary: HomeSummary) -> None:
        text = Text()
        counts = summary.clips
        if counts is None:
            text.append("counting the clips…", style="dim")
        elif not counts.waiting_by_channel:
            text.append("No clips wait to be heard.\n", style="dim")
            text.append("Add some in the Inbox (2).", style="dim")
        else:
            text.append(f"{counts.waiting_total}", style="bold")
            text.append(f" of {counts.total} clips not yet heard\n")
            text.append(
                "  ".join(f"{channel} {count}" for channel, count in counts.waiting_by_channel.items())
            )
        self.query_one("#waiting-body", Static).update(text)

    def _show_queue(self, summary: HomeSummary) -> None:
        text = Text()
        counts = summary.clips
        if counts is None:
            self.query_one("#queue-body", Static).update(Text("…", style="dim"))
            return
        text.append(f"{counts.queued}", style="bold")
        text.append(" queued")
        if counts.transcribing:
            text.append(f" · {counts.transcribing} transcribing")
        if counts.failed:
            text.append(f" · {counts.failed} failed", style="bold red")
        if counts.queued and not self.listen.transcription.running:
            text.append("\npress t to transcribe them", style="dim")
        self.query_one("#queue-body", Static).update(text)

    def _show_transcription(self, state: Any) -> None:
        bar = self.query_one("#queue-bar", ProgressBar)
        bar.display = state.running
        if state.running:
            bar.update(total=state.total or None, progress=state.done)
            self.query_one("#queue").border_subtitle = plain(state.label)
        else:
            self.query_one("#queue").border_subtitle = ""

    def _show_actions(self, summary: HomeSummary) -> None:
        card = self.query_one("#actions")
        count = len(summary.open_actions)
        card.border_title = f"Open actions ({count})" if count else "Open actions"
        card.border_subtitle = f"{summary.overdue} overdue" if summary.overdue else ""
        card.set_class(summary.overdue > 0, "-alert")
        if not summary.open_actions:
            self.query_one("#actions-body", Static).update(Text("None open.", style="dim"))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column("id", no_wrap=True, style="dim")
        table.add_column("title", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("owner", no_wrap=True, max_width=14, overflow="ellipsis")
        table.add_column("due", no_wrap=True)
        shown = summary.open_actions[:HOME_ACTION_ROWS]
        for action in shown:
            overdue = action.is_overdue(summary.today)
            due = plain(action.due or "no date", style="bold red" if overdue else "")
            table.add_row(plain(action.id), plain(action.title), plain(action.owner), due)
        more = count - len(shown)
        if more:  # the card shows a screenful; every open action is on the Actions screen
            table.add_row("", Text(f"… and {more:,} more: Actions (5)", style="dim"), "", "")
        self.query_one("#actions-body", Static).update(table)

    def _show_gaps(self, summary: HomeSummary) -> None:
        if not summary.top_gaps:
            self.query_one("#gaps-body", Static).update(Text("No gaps tagged yet.", style="dim"))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column("id", no_wrap=True, style="dim")
        table.add_column("category", no_wrap=True, style="italic")
        table.add_column("title", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("seen", no_wrap=True, justify="right")
        for row in summary.top_gaps:
            weeks = f"{row.weeks_recurring} wk" if row.weeks_recurring > 1 else ""
            seen = Text(f"×{row.times_seen} {weeks}".rstrip(), style="bold" if row.recurring else "")
            table.add_row(plain(row.gap.id), plain(row.gap.category), plain(row.gap.title), seen)
        self.query_one("#gaps-body", Static).update(table)

    def _show_last(self, summary: HomeSummary) -> None:
        last = summary.last_session
        text = Text()
        if last is None:
            text.append("No session yet.", style="dim")
        else:
            text.append(one_line(last.date), style="bold")
            if last.facilitator:
                text.append(f" · {one_line(last.facilitator)} facilitated")
            text.append(f" · {len(last.attendees)} there\n")
            c = summary.last_counts
            text.append(
                f"{c.get('clips', 0)} clip(s) · {c.get('quotes', 0)} quote(s) · {c.get('gaps', 0)} gap(s)\n"
                f"{c.get('ideas', 0)} idea(s) · {c.get('actions', 0)} action(s)"
            )
            if last.story_check is not None and last.story_check.cohesion is not None:
                text.append(f"\nstory cohesion {last.story_check.cohesion:.0f}/100")
            text.append("\n6 shows its minutes", style="dim")
        self.query_one("#last-body", Static).update(text)

    def _show_start(self, summary: HomeSummary) -> None:
        button = self.query_one("#start", Button)
        note = self.query_one("#start-note", Static)
        if summary.open_session is not None:
            button.label = "Resume the open session"
            note.update(Text(_session_label(summary.open_session), style="dim"))
        else:
            button.label = "Start this week's session"
            last = summary.last_session
            note.update(plain(f"last session: {short_date(last.date)}", style="dim") if last else "")

    # ---- actions
    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        self.listen.action_start_session()

    @on(Button.Pressed, "#trends")
    def _trends(self) -> None:
        self.app.switch_mode("trends")

    def action_transcribe(self) -> None:
        self.listen.transcribe(None)


def _session_label(session: Any) -> str:
    who = f", facilitated by {session.facilitator}" if session.facilitator else ""
    return one_line(f"{session.id}{who}, stopped at step {session.step_index + 1}")
