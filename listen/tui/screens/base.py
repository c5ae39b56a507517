"""What every mode screen shares: the nav bar, the footer, loading its data in a thread worker,
and handing its workers' failures to the app's one error handler."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from listen.domain import Clip
from listen.tui.messages import Loaded
from listen.tui.watcher import changed_clip_shards

if TYPE_CHECKING:
    from listen.tui.app import ListenApp


class ClipsRead(Message):
    """The clips some shards hold now, read again after another process wrote to them."""

    def __init__(self, shards: frozenset[str], clips: list[Clip], prepared: Any = None) -> None:
        super().__init__()
        self.shards = shards
        self.clips = clips
        self.prepared = prepared  # what the screen's prepare_clips made of them, in the thread


class ListenScreen(Screen[None]):
    """A mode screen. ``load_data`` runs in a thread; ``show_data`` gets its result on the UI thread."""

    MODE: ClassVar[str] = ""
    CLIP_DELTAS: ClassVar[bool] = False  # the screen implements takes_clip_delta and apply_clips
    stale: bool = True  # set by the app when the store changed while this screen was hidden
    # Clips another process changed, by shard: read again and applied as a delta (apply_clips)
    # by the screens that show clips, instead of reading all of them. Shards noticed while a
    # full load runs are read once it is shown (it may have read them before the write).
    _loading: bool = False  # a full load is on its way
    _shards_to_read: frozenset[str] = frozenset()

    @property
    def listen(self) -> ListenApp:
        return self.app  # type: ignore[return-value]

    def on_screen_resume(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        self.stale = False
        self._loading = True
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="loading")
    def _load(self) -> None:
        data = self.load_data()
        if not get_current_worker().is_cancelled:  # a newer load replaced this one
            self.post_message(Loaded(data))

    def load_data(self) -> Any:
        """Read what the screen shows (called in a thread: no widgets here)."""
        return None

    def show_data(self, data: Any) -> None:
        """Put freshly loaded data on screen (UI thread)."""

    def data_changed(self, what: str) -> None:
        """The store changed while this screen is shown (a save, a transcription): reload."""
        self.reload()

    def outside_change(self, tables: frozenset[str] | None, *, outside: bool = True) -> None:
        """Another process wrote what this screen shows, while it is shown: read it again. The
        tables keep their cursor on the same row and inputs keep what is typed (show_data only
        replaces rows and text), so the user is not moved. When only clips changed and the
        watcher named their shards, a screen that takes clip deltas reads just those.
        ``outside`` False: the app's own transcription wrote them (read the same way)."""
        shards = changed_clip_shards(tables)
        if shards is None or not self.CLIP_DELTAS or not (self._loading or self.takes_clip_delta()):
            self.reload()
            return
        self._shards_to_read |= shards
        if not self._loading:
            self._read_shards(self._shards_to_read)

    def takes_clip_delta(self) -> bool:
        """Whether the screen shows data that apply_clips can update (loaded, and clips the only
        thing another process changed)."""
        return False

    def prepare_clips(self, shards: frozenset[str], clips: list[Clip]) -> Any:
        """In the thread that read ``clips``: what apply_clips can show without working it out
        on the UI thread (no widgets here; the screen's data as it is now). None: nothing."""
        return None

    def apply_clips(self, shards: frozenset[str], clips: list[Clip], prepared: Any = None) -> None:
        """Show that ``shards`` now hold exactly ``clips`` (UI thread); ``prepared``: what
        prepare_clips made of them, which may be out of date by now (the screen checks)."""
        self.reload()

    @work(thread=True, exclusive=True, group="clips", exit_on_error=False, description="reading clips")
    def _read_shards(self, shards: frozenset[str]) -> None:
        clips = self.listen.store.clips_in_shards(shards)
        if get_current_worker().is_cancelled:  # a read of more shards replaced this one
            return
        prepared = self.prepare_clips(shards, clips)
        if not get_current_worker().is_cancelled:
            self.post_message(ClipsRead(shards, clips, prepared))

    @on(ClipsRead)
    def _clips_read(self, message: ClipsRead) -> None:
        message.stop()
        if self._loading or not self.takes_clip_delta():
            return  # a full load replaced what was shown: it reads these shards once shown
        self._shards_to_read -= message.shards
        self.apply_clips(message.shards, message.clips, message.prepared)

    def loaded_in_full(self) -> None:
        """A full load is on screen: read the shards another process changed meanwhile."""
        self._loading = False
        if self._shards_to_read:
            self._read_shards(self._shards_to_read)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()
        self.show_data(message.data)
        if not self.CLIP_DELTAS or self.takes_clip_delta():  # Home's first part has no counts yet
            self.loaded_in_full()

    _unreadable_told: frozenset[str] = frozenset()

    def tell_unreadable(self, errors: Sequence[BaseException]) -> None:
        """Documents a load left out because they cannot be read (the screen shows the rest): one
        warning each naming file, document and reason, once per screen, not at every reload."""
        for error in errors:
            line = str(error)
            if line not in self._unreadable_told:
                self._unreadable_told = self._unreadable_told | {line}
                self.notify(line, title="Cannot be read", severity="warning", timeout=20, markup=False)

    def load_failed(self, error: BaseException) -> None:
        """The data could not be read (e.g. an invalid document): the app has already shown the
        error as a notification; a screen that would otherwise keep saying "loading…" says so too."""

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.listen.worker_state_changed(event)
        worker = event.worker
        if event.state == WorkerState.ERROR and worker.group == "load" and worker.error is not None:
            self._loading = False
            self.load_failed(worker.error)


class FilteredListScreen(ListenScreen):
    """A mode screen with one table and a filter box (an Input with the class ``list-filter``):
    ``/`` focuses the box, typing refills the table, enter returns to it, escape clears the box."""

    def filter_box(self) -> Input:
        return self.query_one(".list-filter", Input)

    def filter_text(self) -> str:
        return self.filter_box().value.strip()

    def fill(self) -> None:
        """Show the rows that match the filter (UI thread)."""

    def focus_table(self) -> None:
        from listen.tui.widgets.table import ListenTable

        self.query_one(ListenTable).focus()

    def action_filter(self) -> None:
        self.filter_box().focus()

    def action_clear_filter(self) -> None:
        box = self.filter_box()
        if box.value:
            box.value = ""
        self.focus_table()

    @on(Input.Changed, ".list-filter")
    def _filter_changed(self) -> None:
        self.fill()

    @on(Input.Submitted, ".list-filter")
    def _filter_done(self) -> None:
        self.focus_table()
