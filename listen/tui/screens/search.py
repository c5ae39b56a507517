"""Search everything (`/` anywhere, or the palette): type words, pick a result, land on it.

The query runs in a thread worker (the index is SQLite, and the first search may build it), one
at a time: a newer keystroke cancels the older search. A transcript segment, quote, clip title or
rep view opens the clip at that moment; a gap opens the Gaps screen on it; an idea or a session
note opens that session's minutes; an action the Actions screen.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from listen.search import Hit

if TYPE_CHECKING:
    from listen.search.query import Searcher
from listen.timefmt import position
from listen.tui.safe import one_line

LIMIT = 30
TYPING_PAUSE = 0.12  # seconds without a keystroke before the words typed are searched
TYPING_STEPS = 6
EVERYTHING = "Transcripts, e-mails, chats, quotes, rep views, gaps, ideas, notes."
KIND_LABELS = {"segment": "transcript", "clip": "clip title"}


class SearchResults(Message):
    def __init__(self, query: str, hits: list[Hit], problem: str = "") -> None:
        super().__init__()
        self.query = query
        self.hits = hits
        self.problem = problem


def where(hit: Hit) -> str:
    if hit.kind == "clip":
        return f"clip {hit.clip_id}"  # its title is the text below
    if hit.kind in ("segment", "quote", "rep view"):
        moment = f" at {position(hit.at)}" if hit.at is not None else ""
        session = f" · session {hit.session_id}" if hit.kind == "quote" else ""
        return f"{hit.label or hit.clip_id}{moment}{session}"
    if hit.kind == "note":
        return f"session {hit.session_id}, note {hit.ref}"
    return str(hit.ref)


def hit_text(hit: Hit) -> Text:
    """Two lines: what and where (dim), then the text with the matched words in bold."""
    text = Text(end="")
    text.append(f"{KIND_LABELS.get(hit.kind, hit.kind):<11}", style="bold")
    text.append(one_line(where(hit)), style="dim")
    text.append("\n  ")
    parts = [spans for spans in (hit.title, hit.text) if spans]
    for number, spans in enumerate(parts):
        if number:
            text.append(" — ", style="dim")
        for piece, matched in spans:
            text.append(one_line(piece), style="bold reverse" if matched else "")
    return text


class SearchModal(ModalScreen[Hit | None]):
    CSS_PATH = "search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="search-close"),
        Binding("down", "to_results", "Results", show=False, id="search-to-results"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.hits: list[Hit] = []
        self._searcher: Searcher | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="search-box") as box:
            box.border_title = "Search everything"
            box.border_subtitle = "type words · ↓ to the results · enter opens · esc closes"
            yield Input(self.initial_query, placeholder="words to find", id="search-query")
            yield Static("", id="search-status")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        from listen.search.query import Searcher

        app = self.app  # one open index for every keystroke of this search box (opened at the first)
        self._searcher = Searcher(app.store, in_memory=app.settings.demo)  # type: ignore[attr-defined]
        self.query_one("#search-query", Input).focus()
        if self.initial_query:
            self._search(self.initial_query)

    @on(Input.Changed, "#search-query")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value, wait=True)

    def on_unmount(self) -> None:
        if self._searcher is not None:
            self._searcher.close()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="searching")
    def _search(self, query: str, *, wait: bool = False) -> None:
        from listen.errors import ListenError

        worker = get_current_worker()
        # keys typed in a burst make one search, once the typing pauses: each keystroke starts
        # this worker and cancels the last, which gives up here (a query already running could
        # not be stopped, and each ran to the end in its thread)
        for _ in range(TYPING_STEPS if wait else 0):
            time.sleep(TYPING_PAUSE / TYPING_STEPS)
            if worker.is_cancelled:
                return
        searcher = self._searcher
        if searcher is None:
            return
        try:
            hits = searcher.search(query, limit=LIMIT, prefix=True)
        except (ListenError, OSError) as error:
            hits, problem = [], str(error)
        else:
            problem = ""
        if not worker.is_cancelled:  # a newer keystroke replaced this search
            self.post_message(SearchResults(query, hits, problem))

    @on(SearchResults)
    def _show(self, message: SearchResults) -> None:
        if message.query != self.query_one("#search-query", Input).value:
            return  # typed on since: the newer search's results follow
        self.hits = message.hits
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options([Option(hit_text(hit), id=str(n)) for n, hit in enumerate(message.hits)])
        status = self.query_one("#search-status", Static)
        if message.problem:
            status.update(Text(one_line(message.problem), style="bold red"))
        elif not message.query.strip():
            status.update(Text(EVERYTHING, style="dim"))
        else:
            count = len(message.hits)
            more = "+" if count == LIMIT else ""
            status.update(Text(f"{count}{more} results" if count else "No results.", style="dim"))

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        if self.hits:
            self.dismiss(self.hits[0])

    @on(OptionList.OptionSelected, "#search-results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[int(event.option.id or 0)])

    def action_to_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = results.highlighted or 0

    def action_close(self) -> None:
        self.dismiss(None)
