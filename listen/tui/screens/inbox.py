"""Inbox: every clip. Import files, record, play, transcribe, pick clips for the next session,
and read the rep's view of each."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static

from listen.domain import Clip, Session
from listen.errors import ListenError
from listen.session import service
from listen.store.validate import InvalidDocumentError
from listen.tui.messages import ClipsSubmitted, DataChanged
from listen.tui.screens.base import FilteredListScreen
from listen.tui.screens.import_files import FilePicker, RepViewForm, SubmitForm
from listen.tui.viewmodels import InboxRow, format_duration, heard_in, inbox_delta, inbox_rows, short_date
from listen.tui.widgets.clip_facts import clip_facts_text
from listen.tui.widgets.nav import NavBar
from listen.tui.widgets.table import Col, ListenTable, Row

COLUMNS = (
    Col("pick", "✓", 1),
    Col("title", "Title"),
    Col("by", "By", 11),
    Col("channel", "Channel", 9),
    Col("length", "Length", 7),
    Col("status", "Status", 12),
    Col("submitted", "Submitted", 10, min_table=100),
    Col("heard", "Heard", 10, min_table=110),
)
STATUS_STYLE = {"queued": "yellow", "transcribing": "bold cyan", "transcribed": "green", "failed": "bold red"}


@dataclass(frozen=True)
class InboxData:
    rows: list[InboxRow]
    open_session: Session | None
    heard: dict[str, str] = dataclasses.field(default_factory=dict)  # clip id: the session that heard it
    leftovers: list[tuple[Path, float]] = dataclasses.field(default_factory=list)  # cut-short recordings
    invalid: list[InvalidDocumentError] = dataclasses.field(default_factory=list)  # left out, named

    @cached_property
    def by_id(self) -> dict[str, InboxRow]:
        """Each row by its clip's id (the row under the cursor, without a walk through 10,000)."""
        return {row.clip.id: row for row in self.rows}


@dataclass(frozen=True)
class InboxPatch:
    """What an outside write to some clip shards changes on the Inbox, worked out (in the thread
    that read the shards) against ``based_on`` as filtered by ``words`` with ``picked`` ticked."""

    based_on: InboxData
    words: tuple[str, ...]
    picked: frozenset[str]
    data: InboxData  # the screen's data once the shards are applied
    rows: list[Row]  # new and changed rows that the filter shows, with their cells
    removed: set[str]  # rows to take out: clips no longer stored, or changed out of the filter
    order: list[str]  # every row shown, in order


def inbox_patch(
    data: InboxData,
    words: tuple[str, ...],
    picked: frozenset[str],
    shards: frozenset[str],
    clips: list[Clip],
) -> InboxPatch:
    """The Inbox's patch for what ``shards`` now hold (``clips``: all of theirs)."""
    delta = inbox_delta(data.rows, data.heard, shards, clips)
    new = dataclasses.replace(data, rows=delta.rows)
    shown = [row for row in delta.changed if _matches(row, list(words))]
    hidden = {row.clip.id for row in delta.changed} - {row.clip.id for row in shown}
    visible = delta.rows if not words else [row for row in delta.rows if _matches(row, list(words))]
    cells: list[Row] = [(row.clip.id, _cells(row, set(picked))) for row in shown]
    return InboxPatch(data, words, picked, new, cells, delta.removed | hidden, [r.clip.id for r in visible])


def pick_mark(picked: bool) -> Text | str:
    return Text("✓", style="bold green") if picked else ""


def _matches(row: InboxRow, words: list[str]) -> bool:
    """Whether the filter's words (casefolded) are all in the clip's title, person, channel, status."""
    if not words:
        return True
    clip = row.clip
    text = f"{clip.title} {clip.submitted_by} {clip.channel} {clip.status}".casefold()
    return all(word in text for word in words)


def _cells(row: InboxRow, picked: set[str]) -> list[Any]:
    clip = row.clip
    return [
        pick_mark(clip.id in picked),
        clip.title,
        clip.submitted_by,
        clip.channel,
        format_duration(clip.duration),
        Text(clip.status, style=STATUS_STYLE.get(clip.status, "")),
        short_date(clip.submitted_at),
        Text(row.heard_in or "", style="dim"),
    ]


class InboxScreen(FilteredListScreen):
    MODE = "inbox"
    CSS_PATH = "inbox.tcss"
    AUTO_FOCUS = "#clips-table"
    _show_next_fill: str | None = None  # a clip just imported: the cursor goes there
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_clip", "Open", show=False, id="clip-open"),
        Binding("space", "pick", "Pick for session", id="clip-pick"),
        Binding("i", "import_files", "Import", id="clip-import"),
        Binding("r", "record", "Record", id="clip-record"),
        Binding("p", "play", "Play", id="clip-play"),
        Binding("t", "transcribe_clip", "Transcribe", id="clip-transcribe"),
        Binding("T", "transcribe_all", "Transcribe all queued", show=False, id="transcribe-all"),
        Binding("c", "app.cancel_transcription", "Stop transcribing", show=False, id="transcribe-cancel"),
        Binding("slash", "filter", "Filter", key_display="/", id="clip-filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clip-filter-clear"),
    ]

    data: InboxData | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("inbox")
        with Horizontal(id="inbox-top"):
            yield Static("", id="inbox-summary")
            yield Input(
                placeholder="/ filter by title, person, channel, status",
                id="clip-filter",
                classes="list-filter",
                compact=True,
            )
        with Horizontal(id="inbox-body"):
            yield ListenTable(COLUMNS, id="clips-table")
            with VerticalScroll(id="clip-side") as side:
                side.border_title = "The rep's view"
                yield Static("", id="clip-side-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "transcription", lambda _state: self._show_summary(), init=False)

    def __init__(self) -> None:
        super().__init__()
        self._leftovers_told: set[Path] = set()  # each said once, not at every reload

    def load_data(self) -> Any:
        from listen.audio.recordings import leftover_recordings

        store = self.listen.store
        leftovers = leftover_recordings(self.listen.workspace.clips_dir)
        invalid: list[InvalidDocumentError] = []  # one bad clip or session costs only itself
        heard = heard_in(store.sessions(skipped=invalid))
        rows = inbox_rows(store, heard, skipped=invalid)
        data = InboxData(rows, service.open_session(store), heard, leftovers, invalid)
        data.by_id  # noqa: B018 - made in this thread, not at the first cursor move
        return data

    def show_data(self, data: Any) -> None:
        self.data = data
        self.fill()
        self.tell_unreadable(data.invalid)
        for path, seconds in data.leftovers:
            if path not in self._leftovers_told:
                self._leftovers_told.add(path)
                self.notify(
                    f"An unfinished recording ({seconds:.0f} s) from an earlier run is kept at {path}; "
                    "import it with i (type its path).",
                    severity="warning",
                    timeout=20,
                )

    def _picked_ids(self) -> set[str]:
        if self.data is not None and self.data.open_session is not None:
            return set(self.data.open_session.clip_ids)
        return set(self.listen.picked_clip_ids)

    _words: tuple[str, ...] = ()  # the filter's words as the table shows them (set by fill)

    def _visible(self) -> list[InboxRow]:
        assert self.data is not None
        words = self.filter_text().casefold().split()
        self._words = tuple(words)
        if not words:
            return self.data.rows
        return [row for row in self.data.rows if _matches(row, words)]

    def fill(self) -> None:
        if self.data is None:
            return
        picked = self._picked_ids()
        rows = [(row.clip.id, _cells(row, picked)) for row in self._visible()]
        table = self.query_one(ListenTable)
        table.replace_rows(rows)
        if self._show_next_fill and self._show_next_fill in {key for key, _ in rows}:
            table.select_key(self._show_next_fill)
            self._show_next_fill = None
        self._show_summary()
        self._show_side()

    # ---- clips another process changed (see ListenScreen.outside_change)
    CLIP_DELTAS = True

    def takes_clip_delta(self) -> bool:
        return self.data is not None

    def prepare_clips(self, shards: frozenset[str], clips: list[Clip]) -> InboxPatch | None:
        """The patch, made in the thread that read the shards: a new clip among 10,000 costs
        the UI thread only the table's update and the redraw of the rows in view."""
        data = self.data
        if data is None:
            return None
        patch = inbox_patch(data, self._words, frozenset(self._picked_ids()), shards, clips)
        patch.data.by_id  # noqa: B018 - made here, not on the UI thread
        return patch

    def apply_clips(self, shards: frozenset[str], clips: list[Clip], prepared: Any = None) -> None:
        """Patch the rows of the clips that changed; the other thousands stay as they are. The
        patch made in the thread is used when the rows, filter and ticks are still those it was
        made for; otherwise (a reload or a pick meanwhile) it is made again here."""
        assert self.data is not None
        picked = frozenset(self._picked_ids())
        patch = prepared
        if not (
            isinstance(patch, InboxPatch)
            and patch.based_on is self.data
            and patch.words == self._words
            and patch.picked == picked
        ):
            patch = inbox_patch(self.data, self._words, picked, shards, clips)
        self.data = patch.data
        self.query_one(ListenTable).update_rows(patch.rows, patch.removed, patch.order)
        self._show_summary()
        self._show_side()

    def _show_summary(self) -> None:
        if self.data is None:
            return
        picked = self._picked_ids()
        text = Text()
        text.append(f" {len(self.data.rows)} clips", style="bold")
        if self.data.open_session is not None:
            text.append(f" · {len(picked)} in session {self.data.open_session.id}")
        elif picked:
            text.append(f" · {len(picked)} picked for the next session", style="bold green")
        state = self.listen.transcription
        if state.running:
            text.append(f" · {state.progress_line()}", style="cyan")
        self.query_one("#inbox-summary", Static).update(text)

    def _current(self) -> Clip | None:
        key = self.query_one(ListenTable).current_key
        if key is None or self.data is None:
            return None
        row = self.data.by_id.get(key)
        return row.clip if row is not None else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_side()

    def _show_side(self) -> None:
        clip = self._current()
        body = self.query_one("#clip-side-body", Static)
        body.update(
            clip_facts_text(clip) if clip else Text("No clip yet: i imports, r records.", style="dim")
        )

    # ---- actions
    def action_open_clip(self) -> None:
        clip = self._current()
        if clip is not None:
            from listen.tui.screens.clip import ClipScreen

            self.app.push_screen(ClipScreen(clip.id))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_clip()

    def action_play(self) -> None:
        clip = self._current()
        if clip is None:
            return
        if clip.kind != "audio":
            self.notify("A text clip has nothing to play; enter opens it.", severity="warning")
            return
        from listen.tui.screens.clip import ClipScreen

        self.app.push_screen(ClipScreen(clip.id, autoplay=True))

    def action_pick(self) -> None:
        clip = self._current()
        if clip is None or self.data is None:
            return
        session = self.data.open_session
        if session is None:
            picks = self.listen.picked_clip_ids
            if clip.id in picks:
                picks.remove(clip.id)
            else:
                picks.append(clip.id)
            self._show_pick(clip.id)
            store, chosen = self.listen.store, list(picks)
            self.listen.save("picks", lambda: service.set_next_session_picks(store, chosen), applied=True)
            return
        store = self.listen.store
        adding = clip.id not in session.clip_ids

        def run() -> Session:
            if adding:
                return service.add_clip(store, session.id, clip.id)
            return service.remove_clip(store, session.id, clip.id)

        def done(updated: Session) -> None:
            if self.data is not None:
                self.data = dataclasses.replace(self.data, open_session=updated)
                self._show_pick(clip.id)

        self.listen.save(f"{'add' if adding else 'remove'} clip {clip.id}", run, done, applied=True)

    def _show_pick(self, clip_id: str) -> None:
        """Redraw one clip's tick and the count, not the whole list (thousands of rows)."""
        self.query_one(ListenTable).set_value(clip_id, "pick", pick_mark(clip_id in self._picked_ids()))
        self._show_summary()

    def action_transcribe_clip(self) -> None:
        clip = self._current()
        if clip is None:
            return
        if clip.kind != "audio":
            self.notify("A text clip is its own transcript.")
            return
        self.listen.transcribe([clip.id])

    def action_transcribe_all(self) -> None:
        self.listen.transcribe(None)

    # ---- import and record
    def action_import_files(self) -> None:
        def chosen(paths: list[Path] | None) -> None:
            if paths:
                self._ask_rep_view(paths)

        self.app.push_screen(FilePicker(Path.cwd()), chosen)

    def action_record(self) -> None:
        from listen.tui.screens.record import RecordModal

        def recorded(path: Path | None) -> None:
            if path is not None:
                self._ask_rep_view([path], recording=True)

        self.app.push_screen(RecordModal(self.listen.workspace, self.listen.settings), recorded)

    def _ask_rep_view(self, paths: list[Path], *, recording: bool = False) -> None:
        members = [m.name for m in self.listen.settings.members]

        def filled(form: SubmitForm | None) -> None:
            if form is not None:
                self._submit(paths, form, recording)
            elif recording:
                self.notify(f"The recording is kept at {paths[0]}; import it later with i.")

        self.app.push_screen(RepViewForm([p.name for p in paths], members=members), filled)

    @work(thread=True, group="import", exit_on_error=False, description="importing clips")
    def _submit(self, paths: list[Path], form: SubmitForm, recording: bool) -> None:
        from listen.ingest.submit import submit_file

        added, problems, first_added = 0, [], None
        for path in paths:
            try:
                result = submit_file(
                    self.listen.store,
                    path,
                    submitted_by=form.submitted_by,
                    settings=self.listen.settings,
                    channel=form.channel,
                    title=form.title if len(paths) == 1 else None,
                    rep_view=form.rep_view,
                )
            except ListenError as error:
                problems.append(str(error))
                continue
            if result.duplicate:
                problems.append(f"{path.name}: already in the workspace as {result.clip.id}")
            else:
                added += 1
                first_added = first_added or result.clip.id
                if recording:
                    path.unlink(missing_ok=True)  # its bytes are now kept in clips/
        self.post_message(ClipsSubmitted(added, problems, first_added))

    @on(ClipsSubmitted)
    def _submitted(self, message: ClipsSubmitted) -> None:
        if message.added:
            self.notify(f"{message.added} clip(s) added; audio waits in the transcription queue (t).")
            self._show_next_fill = message.first_added  # the cursor goes to it once the list has it
        for problem in message.problems:
            self.notify(problem, severity="warning", timeout=10)
        self.app.post_message(DataChanged("clips"))
