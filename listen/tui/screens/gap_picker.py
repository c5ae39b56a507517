"""The gap picker: search the gaps you already have first (so a recurring gap is linked, not
duplicated); only then describe a new one. Blame phrasing earns a gentle reframing hint.

Each match shows why it matched: the words it shares with the search are highlighted. When no gap
matches well (STRONG_SCORE), "+ New gap" is the first entry and Enter in the search box opens it
with the words typed as its title; weaker matches are listed after it. The gaps are indexed once,
in a thread worker (~70 ms at 2,000 gaps); each keystroke then searches the index on the UI thread
(~3 ms at 2,000 gaps, bench/bench_gap_search.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from listen.domain import POLICY_VERDICTS, Gap
from listen.session.blame import blame_hints
from listen.session.gap_search import STRONG_SCORE, GapIndex, GapMatch, highlight_spans, words_beyond_title
from listen.settings import Settings
from listen.tui.autosave import Autosave
from listen.tui.safe import lines, one_line, plain
from listen.tui.widgets.choice import ChoiceRow

NEW_GAP = "__new__"
SEVERITIES = (("1", "1 minor"), ("2", "2 real"), ("3", "3 severe"))
NO_VERDICT = ""
SEARCH_KEYS = "search first · ↓ to the list · enter picks · esc back"


@dataclass(frozen=True)
class NewGap:
    category: str
    title: str
    description: str = ""
    severity: int = 2
    verdict: str | None = None


@dataclass(frozen=True)
class PickedGap:
    """Either an existing gap to link, or a new gap to create."""

    gap_id: str | None = None
    new: NewGap | None = None


class GapPicker(ModalScreen[PickedGap | None]):
    CSS_PATH = "gap_picker.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back / cancel", id="gap-picker-cancel"),
        Binding("ctrl+s", "save_new", "Save new gap", id="gap-picker-save"),
        Binding("ctrl+n", "new_gap", "New gap", id="gap-picker-new"),
    ]

    def __init__(
        self,
        gaps: Sequence[Gap],
        settings: Settings,
        *,
        title: str = "Tag a gap",
        allow_new: bool = True,
        query: str = "",
        names: Iterable[str] = (),
        context: str = "",
        draft: dict[str, str] | None = None,
        on_draft: Callable[[dict[str, str]], None] | None = None,
    ) -> None:
        """``draft``: a new gap's fields as typed earlier and not created (the form opens with
        them); ``on_draft`` gets the fields as they are typed (debounced, and when the form is
        left), so Esc, Tab or a screen switch lose nothing; creating the gap ends the draft."""
        super().__init__()
        self.gaps = list(gaps)
        self.settings = settings
        self.heading = title
        self.allow_new = allow_new
        self.initial_query = query
        self.names = [n for n in names if n]
        self.context = context
        self.index: GapIndex | None = None  # built by a worker when the picker opens
        self.shown_query: str | None = None  # the query the list shows (None until the first list)
        self.good_match = False  # whether any gap matched the query well enough to be listed
        self.draft = dict(draft or {})
        self.drafted = bool(self.draft)  # a draft is stored (emptying the form takes it away)
        self.on_draft = on_draft
        self.autosave: Autosave[dict[str, str]] = Autosave(self, self._draft_fields, self._draft_changed)

    def compose(self) -> ComposeResult:
        categories = [(c, c) for c in self.settings.gap_categories]
        with Vertical(classes="picker") as box:
            box.border_title = plain(self.heading)
            box.border_subtitle = SEARCH_KEYS
            if self.context:
                yield Static(lines(self.context), id="gap-context", markup=False)
            query = one_line(self.initial_query)
            yield Input(query, placeholder="search existing gaps by words…", id="gap-query")
            yield OptionList(id="gap-matches")
            with Vertical(id="new-gap-form"):
                yield Label("A new gap: describe the system, not the person.", classes="form-title")
                yield ChoiceRow(categories, label="Category", id="gap-category")
                with Horizontal(classes="field"):
                    yield Label("Title")
                    yield Input(
                        placeholder="what in the system got in the way",
                        id="gap-title",
                        compact=True,
                        select_on_focus=False,
                    )
                with Horizontal(classes="field"):
                    yield Label("Description")
                    yield Input(
                        placeholder="optional: what happened, what it cost",
                        id="gap-description",
                        compact=True,
                        select_on_focus=False,
                    )
                yield ChoiceRow(SEVERITIES, "2", label="Severity", id="gap-severity")
                verdicts = [(NO_VERDICT, "none"), *[(v, v) for v in POLICY_VERDICTS]]
                label = f"{self.settings.verdict_category} verdict"
                yield ChoiceRow(verdicts, NO_VERDICT, label=label, id="gap-verdict")
                yield Static("", id="blame-hint")
                yield Static("", id="gap-problem")
                yield Button("Save new gap (ctrl+s)", variant="primary", id="gap-save")

    def on_mount(self) -> None:
        self.query_one("#new-gap-form").display = False
        self._say("#blame-hint", "")
        self._say("#gap-problem", "")
        self._build_index()
        self.query_one("#gap-query", Input).focus()
        if self.allow_new and self.draft:
            self._fill(self.draft)
            self.action_new_gap()  # back where the typing stopped
            self.query_one("#gap-title", Input).focus()
        self.autosave.stored(self.draft if self.allow_new and self.on_draft else None)

    # ---- a draft: the new gap's fields saved as they are typed
    form_opened = False  # the new-gap form was shown (before that there is nothing to keep)

    def _fill(self, draft: dict[str, str]) -> None:
        for selector, name in (("#gap-category", "category"), ("#gap-severity", "severity")):
            row = self.query_one(selector, ChoiceRow)
            if draft.get(name) in {value for value, _label in row.options}:
                row.value = draft[name]
        verdict = self.query_one("#gap-verdict", ChoiceRow)
        if draft.get("verdict") in {value for value, _label in verdict.options}:
            verdict.value = draft["verdict"]
        self.query_one("#gap-title", Input).value = one_line(draft.get("title", ""))
        self.query_one("#gap-description", Input).value = one_line(draft.get("description", ""))

    def _draft_fields(self) -> dict[str, str] | None:
        if not self.form_opened:
            return None
        typed = self.query_one("#gap-title", Input).value + self.query_one("#gap-description", Input).value
        if not typed.strip() and not self.drafted:
            return None  # nothing typed, and no draft to take away
        return {
            "category": self.query_one("#gap-category", ChoiceRow).value,
            "title": self.query_one("#gap-title", Input).value,
            "description": self.query_one("#gap-description", Input).value,
            "severity": self.query_one("#gap-severity", ChoiceRow).value,
            "verdict": self.query_one("#gap-verdict", ChoiceRow).value,
        }

    def _draft_changed(self, fields: dict[str, str]) -> None:
        self.drafted = bool((fields["title"] + fields["description"]).strip())
        if self.on_draft is not None:
            self.on_draft(fields)

    @on(ChoiceRow.Changed, "#gap-severity, #gap-verdict")
    def _choice_changed(self) -> None:
        self.autosave.changed()

    @on(Input.Blurred, "#gap-title, #gap-description")
    def _left_field(self) -> None:
        self.autosave.flush()

    def on_unmount(self, _event: events.Unmount) -> None:
        with contextlib.suppress(NoMatches):  # the fields may have gone first (saved when left)
            self.autosave.flush()

    @work(thread=True, exclusive=True, group="gap-index", exit_on_error=False, description="indexing gaps")
    def _build_index(self) -> None:
        index = GapIndex(self.gaps)
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: GapIndex) -> None:
        self.index = index
        self._refresh_matches(self.query_one("#gap-query", Input).value)

    # ---- searching
    @on(Input.Changed, "#gap-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._refresh_matches(event.value)

    def _refresh_matches(self, query: str) -> None:
        if self.index is None:
            return  # the worker shows the list once the gaps are indexed
        matches = self.index.search(query, limit=12)
        text = query.strip()
        strong: list[GapMatch] = []
        weak: list[GapMatch] = []
        for match in matches:  # each keeps the ranking's order
            (strong if match.score >= STRONG_SCORE or not text else weak).append(match)
        self.good_match = bool(strong) and bool(text)
        options = [Option(match_label(match), id=match.gap.id) for match in strong]
        if self.allow_new:
            label = Text("+ New gap", style="bold green")
            if text:
                label.append(one_line(f": “{text}”"))
            new = Option(label, id=NEW_GAP)
            # nothing matches well: the new gap comes first, so Enter creates it; a weaker match
            # is still listed, after it, for a deliberate pick
            options = [*options, new] if self.good_match or not text else [new, *options]
        options += [Option(match_label(match), id=match.gap.id) for match in weak]
        matches_list = self.query_one("#gap-matches", OptionList)
        matches_list.clear_options()
        matches_list.add_options(options)
        if options:
            matches_list.highlighted = 0
        self.shown_query = query

    @on(Input.Submitted, "#gap-query")
    def _query_submitted(self) -> None:
        matches_list = self.query_one("#gap-matches", OptionList)
        first = matches_list.get_option_at_index(0) if matches_list.option_count else None
        if first is not None and first.id == NEW_GAP and self.query_one("#gap-query", Input).value.strip():
            self.action_new_gap()  # no gap matches: enter describes the new one
        elif matches_list.option_count:
            matches_list.focus()  # linking a gap takes a deliberate second enter on the list

    def on_key(self, event: events.Key) -> None:
        focused = self.focused
        if event.key == "down" and isinstance(focused, Input) and focused.id == "gap-query":
            event.stop()
            self.query_one("#gap-matches", OptionList).focus()

    @on(OptionList.OptionSelected, "#gap-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == NEW_GAP:
            self.action_new_gap()
        elif event.option.id:
            self.dismiss(PickedGap(gap_id=event.option.id))

    # ---- a new gap
    def action_new_gap(self) -> None:
        if not self.allow_new:
            return
        query = self.query_one("#gap-query", Input).value.strip()
        self.query_one("#gap-query").display = False
        self.query_one("#gap-matches").display = False
        self.query_one("#new-gap-form").display = True
        self.form_opened = True
        self.query_one(".picker").border_subtitle = "kept as you type · ctrl+s creates · esc back"
        title = self.query_one("#gap-title", Input)
        if query and not title.value:
            title.value = query
        self._show_verdict()
        self.query_one("#gap-category", ChoiceRow).focus()

    @on(ChoiceRow.Changed, "#gap-category")
    def _category_changed(self) -> None:
        self._show_verdict()
        self.autosave.changed()

    def _show_verdict(self) -> None:
        category = self.query_one("#gap-category", ChoiceRow).value
        self.query_one("#gap-verdict").display = self.settings.carries_verdict(category)

    @on(Input.Changed, "#gap-title, #gap-description")
    def _text_changed(self) -> None:
        text = (
            f"{self.query_one('#gap-title', Input).value}\n{self.query_one('#gap-description', Input).value}"
        )
        hints = blame_hints(text, self.names)
        self._say("#blame-hint", "\n".join(hints))
        self._say("#gap-problem", "")
        self.autosave.changed()

    def _say(self, selector: str, text: str) -> None:
        """Show a line under the form, or take no room when there is nothing to say."""
        widget = self.query_one(selector, Static)
        widget.update(lines(text))  # quotes what was typed: plain text, never markup
        widget.display = bool(text)

    @on(Input.Submitted, "#gap-title")
    def _title_done(self) -> None:
        self.query_one("#gap-description", Input).focus()

    @on(Input.Submitted, "#gap-description")
    def _description_done(self) -> None:
        self.action_save_new()

    @on(Button.Pressed, "#gap-save")
    def _save_pressed(self) -> None:
        self.action_save_new()

    def action_save_new(self) -> None:
        if not self.query_one("#new-gap-form").display:
            return
        title = self.query_one("#gap-title", Input).value.strip()
        if not title:
            self._say("#gap-problem", "A gap needs a title.")
            self.query_one("#gap-title", Input).focus()
            return
        category = self.query_one("#gap-category", ChoiceRow).value
        verdict = (
            self.query_one("#gap-verdict", ChoiceRow).value if self.settings.carries_verdict(category) else ""
        )
        self.autosave.done()  # the draft becomes the gap (tag_new_gap takes the draft away)
        self.dismiss(
            PickedGap(
                new=NewGap(
                    category=category,
                    title=title,
                    description=self.query_one("#gap-description", Input).value.strip(),
                    severity=int(self.query_one("#gap-severity", ChoiceRow).value),
                    verdict=verdict or None,
                )
            )
        )

    def action_back(self) -> None:
        self.autosave.flush()  # what was typed stays a draft: g brings it back
        form = self.query_one("#new-gap-form")
        if form.display:
            form.display = False
            self.query_one(".picker").border_subtitle = SEARCH_KEYS
            self.query_one("#gap-query").display = True
            self.query_one("#gap-matches").display = True
            self.query_one("#gap-query", Input).focus()
        else:
            self.dismiss(None)


def match_label(match: GapMatch) -> Text:
    """One line per gap: id, category, title with the words it shares with the search in bold, and
    how often it was seen; words met only in the description follow, dimmed ("also: …")."""
    gap = match.gap
    label = Text()
    label.append(one_line(f"{gap.id} "), style="dim")
    label.append(one_line(f"[{gap.category}] "), style="italic")
    title = Text(one_line(gap.title))
    for start, end in highlight_spans(gap.title, match.shared):
        title.stylize("bold underline", start, end)
    label.append_text(title)
    label.append(f"  ×{gap.times_seen}", style="bold" if gap.times_seen > 1 else "dim")
    elsewhere = words_beyond_title(gap, match.shared)
    if elsewhere:
        label.append(one_line(f"  also: {', '.join(elsewhere[:4])}"), style="dim italic")
    return label
