"""What every mode screen shares: the nav bar, the footer, loading its data in a thread worker,
and handing its workers' failures to the app's one error handler."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from listen.tui.messages import Loaded

if TYPE_CHECKING:
    from listen.tui.app import ListenApp


class ListenScreen(Screen[None]):
    """A mode screen. ``load_data`` runs in a thread; ``show_data`` gets its result on the UI thread."""

    MODE: ClassVar[str] = ""
    stale: bool = True  # set by the app when the store changed while this screen was hidden

    @property
    def listen(self) -> ListenApp:
        return self.app  # type: ignore[return-value]

    def on_screen_resume(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        self.stale = False
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

    def outside_change(self, tables: frozenset[str] | None) -> None:
        """Another process wrote what this screen shows, while it is shown: read it again. The
        tables keep their cursor on the same row and inputs keep what is typed (show_data only
        replaces rows and text), so the user is not moved."""
        self.reload()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()
        self.show_data(message.data)

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
