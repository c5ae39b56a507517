"""Gaps: the ledger across every session. Times seen, weeks recurring, status; merge two gaps;
open the clips and quotes behind each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static

from listen.domain import GAP_STATUSES, Clip, Gap, Session
from listen.session import service
from listen.session.gap_search import FILTER_SCORE, search_gaps
from listen.session.recurrence import RecurrenceMemo
from listen.store.layout import shard_of
from listen.store.store import Reuse
from listen.store.validate import InvalidDocumentError
from listen.tui.screens.base import FilteredListScreen
from listen.tui.screens.modals import ChoiceModal, ConfirmModal
from listen.tui.viewmodels import GapRow, gap_rows
from listen.tui.widgets.gap_detail import gap_detail_text
from listen.tui.widgets.nav import NavBar
from listen.tui.widgets.table import Col, ListenTable

COLUMNS = (
    Col("id", "ID", 5),
    Col("category", "Category", 9),
    Col("title", "Title"),
    Col("sev", "Sev", 3),
    Col("seen", "Seen", 4),
    Col("weeks", "Weeks", 5),
    Col("status", "Status", 8),
)
STATUS_STYLE = {"open": "bold", "fixing": "yellow", "fixed": "green", "wont-fix": "dim"}


@dataclass(frozen=True)
class GapsData:
    rows: list[GapRow]
    clips: dict[str, Clip]
    invalid: list[InvalidDocumentError] = field(default_factory=list)  # left out, named


def _cells(row: GapRow) -> list[Any]:
    gap = row.gap
    return [
        Text(gap.id, style="dim"),
        gap.category,
        Text(gap.title, style="bold" if row.recurring else ""),
        "●" * gap.severity,
        str(row.times_seen),
        Text(str(row.weeks_recurring), style="bold yellow" if row.recurring else ""),
        Text(gap.status, style=STATUS_STYLE.get(gap.status, "")),
    ]


class GapsScreen(FilteredListScreen):
    MODE = "gaps"
    CSS_PATH = "gaps.tcss"
    AUTO_FOCUS = "#gaps-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_gap", "Clips & quotes", show=False, id="gap-open"),
        Binding("m", "merge", "Merge into…", id="gap-merge"),
        Binding("s", "status", "Status", id="gap-status"),
        Binding("e", "edit", "Edit", id="gap-edit"),
        Binding("u", "unmerge", "Undo a merge", show=False, id="gap-unmerge"),
        Binding("slash", "filter", "Filter", key_display="/", id="gap-filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="gap-filter-clear"),
    ]

    data: GapsData | None = None
    pending_gap: str | None = None  # the gap to put the cursor on once the rows are shown

    def __init__(self) -> None:
        super().__init__()
        self._gaps_read: Reuse[Gap] = Reuse()
        self._sessions_read: Reuse[Session] = Reuse()
        self._clip_reuse: Reuse[Clip] = Reuse()
        self._recurrence = RecurrenceMemo()
        self._drawn: dict[str, tuple[Gap, tuple[bool, int, int], list[Any]]] = {}  # gap id: what its row drew

    def compose(self) -> ComposeResult:
        yield NavBar("gaps")
        yield Input(
            placeholder="/ filter gaps by words", id="gap-filter", classes="list-filter", compact=True
        )
        with Horizontal(id="gaps-body"):
            yield ListenTable(COLUMNS, id="gaps-table")
            with VerticalScroll(id="gap-side") as side:
                side.border_title = "Clips & quotes"
                yield Static("", id="gap-side-body")
        yield Footer(compact=True)

    def load_data(self) -> Any:
        store = self.listen.store
        # the gaps, sessions and clips another window did not change stay the objects read last
        # time, and an unchanged gap over unchanged sessions keeps its recurrence (2,000 gaps
        # over 500 sessions: making them is most of a refresh); shown, never changed (see Reuse).
        # Should a replaced load still be running, the last to finish leaves its read: reused
        # only when identical
        invalid: list[InvalidDocumentError] = []  # one bad gap or session costs only itself
        gaps = store.gaps(reuse=self._gaps_read, skipped=invalid)
        sessions = store.sessions(reuse=self._sessions_read, skipped=invalid)
        rows = gap_rows(store, gaps, sessions, self._recurrence)
        linked = {clip_id for row in rows for clip_id in row.gap.clip_ids}
        # a clip removed from the workspace is left out: shown by id only
        return GapsData(rows, store.clips_by_id(linked, reuse=self._clip_reuse), invalid)

    def show_data(self, data: Any) -> None:
        self.data = data
        self.fill()
        self.tell_unreadable(data.invalid)
        self.focus_gap()

    def focus_gap(self) -> None:
        """Put the cursor on the gap another screen asked for (``app.open_gap``), once loaded."""
        wanted = self.listen.gap_focus
        if wanted is None or self.data is None or not any(r.gap.id == wanted for r in self.data.rows):
            return
        self.listen.gap_focus = None
        if self.filter_text():
            self.filter_box().value = ""
            self.fill()
        table = self.query_one(ListenTable)
        table.select_key(wanted)
        table.focus()

    # ---- clips another process changed: only the side panel shows them (their titles)
    CLIP_DELTAS = True

    def takes_clip_delta(self) -> bool:
        return self.data is not None

    def apply_clips(self, shards: frozenset[str], clips: list[Clip], prepared: Any = None) -> None:
        assert self.data is not None
        linked = {clip_id for row in self.data.rows for clip_id in row.gap.clip_ids}
        kept = {clip_id: clip for clip_id, clip in self.data.clips.items() if shard_of(clip_id) not in shards}
        kept.update((clip.id, clip) for clip in clips if clip.id in linked)
        self.data = GapsData(self.data.rows, kept)
        self._show_side()

    def _visible_rows(self) -> list[GapRow]:
        assert self.data is not None
        query = self.filter_text()
        rows = self.data.rows
        if query:
            matches = search_gaps([r.gap for r in rows], query, limit=None, min_score=FILTER_SCORE)
            by_id = {row.gap.id: row for row in rows}
            return [by_id[m.gap.id] for m in matches if m.gap.id in by_id]
        return rows  # the ledger's order: most recurring first

    def fill(self) -> None:
        if self.data is None:
            return
        drawn, self._drawn = self._drawn, {}
        rows = []
        for row in self._visible_rows():
            key = (row.recurring, row.times_seen, row.weeks_recurring)
            before = drawn.get(row.gap.id)
            # the same gap object (an unchanged document, see load_data) with the same figures:
            # its cells as drawn (2,000 rows of new cells cost ~70 ms to make and compare)
            if before is not None and before[0] is row.gap and before[1] == key:
                cells = before[2]
            else:
                cells = _cells(row)
            self._drawn[row.gap.id] = (row.gap, key, cells)
            rows.append((row.gap.id, cells))
        table = self.query_one(ListenTable)
        table.replace_rows(rows)
        table.border_title = f"{len(rows)} gaps"
        if self.pending_gap:  # a search result chose it before the rows were loaded
            table.select_key(self.pending_gap)
            self.pending_gap = None
        self._show_side()

    def _current(self) -> GapRow | None:
        key = self.query_one(ListenTable).current_key
        if key is None or self.data is None:
            return None
        return next((row for row in self.data.rows if row.gap.id == key), None)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_side()

    def _show_side(self) -> None:
        row = self._current()
        body = self.query_one("#gap-side-body", Static)
        if row is None or self.data is None:
            body.update(Text("No gap selected.", style="dim"))
            return
        body.update(gap_detail_text(row, self.data.clips))

    # ---- actions
    def action_open_gap(self) -> None:
        row = self._current()
        if row is None or self.data is None:
            return
        from listen.tui.screens.gap_links import GapLinksModal

        self.app.push_screen(GapLinksModal(row, self.data.clips))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_gap()

    def action_merge(self) -> None:
        row = self._current()
        if row is None or self.data is None:
            return
        gone = row.gap
        from listen.tui.screens.gap_picker import GapPicker, PickedGap

        others = [r.gap for r in self.data.rows if r.gap.id != gone.id]
        if not others:
            self.notify("There is no other gap to merge with.", severity="warning")
            return

        def chosen(picked: PickedGap | None) -> None:
            if picked is None or picked.gap_id is None:
                return
            keep_id = picked.gap_id
            self.app.push_screen(
                ConfirmModal(
                    f"Merge {gone.id} “{gone.title}” into {keep_id}?\n"
                    f"Its {gone.times_seen} link(s), ideas and actions move to {keep_id}; "
                    f"{gone.id} stays on record as merged.",
                    yes="Merge",
                    no="Cancel",
                    title="Merge gaps",
                ),
                lambda yes: self._merge(keep_id, gone.id) if yes else None,
            )

        self.app.push_screen(
            GapPicker(
                others,
                self.listen.settings,
                title=f"Merge {gone.id} into…",
                allow_new=False,
                query=gone.title,
            ),
            chosen,
        )

    def _merge(self, keep_id: str, gone_id: str) -> None:
        store = self.listen.store
        self.listen.save(
            f"merge {gone_id} into {keep_id}",
            lambda: service.merge_gaps(store, keep_id, gone_id),
            lambda kept: self.notify(f"{gone_id} merged into {kept.id} (seen {kept.times_seen} times)."),
        )

    def action_status(self) -> None:
        row = self._current()
        if row is None:
            return
        gap: Gap = row.gap
        store = self.listen.store

        def chosen(status: str | None) -> None:
            if status and status != gap.status:
                self.listen.save(f"{gap.id} status", lambda: service.set_gap_status(store, gap.id, status))

        options = [
            (status, f"{status}{'  (now)' if status == gap.status else ''}") for status in GAP_STATUSES
        ]
        self.app.push_screen(ChoiceModal(f"Status of {gap.id}", options, note=gap.title), chosen)

    def action_edit(self) -> None:
        row = self._current()
        if row is None:
            return
        gap: Gap = row.gap
        store, settings = self.listen.store, self.listen.settings
        from listen.tui.screens.gap_edit import GapEdit, GapEditModal

        def changed(change: GapEdit) -> None:  # each change, as it is made (debounced)
            self.listen.save(
                f"edit {gap.id}",
                lambda: service.update_gap(
                    store,
                    gap.id,
                    title=change.title,
                    description=change.description,
                    category=change.category,
                    severity=change.severity,
                    verdict=change.verdict,
                    settings=settings,
                ),
            )

        def closed(change: GapEdit | None) -> None:
            if change is not None:
                self.notify(f"{gap.id} saved: {change.title}")

        self.app.push_screen(GapEditModal(gap, settings, on_change=changed), closed)

    def action_unmerge(self) -> None:
        """Split a gap merged into the highlighted one back out (the merge is undone in full)."""
        row = self._current()
        if row is None:
            return
        keep = row.gap
        self._find_merged(keep)

    @work(thread=True, exclusive=True, group="gap-unmerge", exit_on_error=False, description="finding merges")
    def _find_merged(self, keep: Gap) -> None:
        merged = service.merged_into(self.listen.store, keep.id)
        self.app.call_from_thread(self._offer_unmerge, keep, merged)

    def _offer_unmerge(self, keep: Gap, merged: list[Gap]) -> None:
        if not merged:
            self.notify(f"Nothing was merged into {keep.id}.", severity="warning")
            return
        store = self.listen.store

        def chosen(gap_id: str | None) -> None:
            if gap_id:
                self.listen.save(
                    f"undo merge of {gap_id}",
                    lambda: service.unmerge_gap(store, gap_id),
                    lambda back: self.notify(f"{back.id} is back on its own (merge into {keep.id} undone)."),
                )

        options = [(g.id, f"{g.id} {g.title} (seen {g.times_seen}×)") for g in merged]
        self.app.push_screen(
            ChoiceModal(
                f"Undo a merge into {keep.id}", options, note="The gap chosen comes back with its links."
            ),
            chosen,
        )
