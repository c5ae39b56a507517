"""Edit a gap: title, description, category, severity and (for the category that carries one) the
verdict. Every change is saved as it is made (listen/tui/autosave.py), not only on ctrl+s: Tab, Esc,
a click elsewhere or a screen switch keep what was typed. A title emptied is not saved (a gap needs
one): the stored title stays, and the form says so."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from listen.domain import POLICY_VERDICTS, Gap
from listen.settings import Settings
from listen.tui.autosave import Autosave
from listen.tui.screens.gap_picker import NO_VERDICT, SEVERITIES
from listen.tui.widgets.choice import ChoiceRow


@dataclass(frozen=True)
class GapEdit:
    title: str
    description: str
    category: str
    severity: int
    verdict: str = ""  # "" for none (always "" when the category carries no verdict)


class GapEditModal(ModalScreen[GapEdit | None]):
    """Returns the gap as last saved when closed with ctrl+s or Enter, None with Esc; either way
    each change was already handed to ``on_change`` (debounced) as it was made."""

    CSS_PATH = "gap_edit.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the gap", id="gap-edit-save"),
        Binding("escape", "close", "Close (changes are kept)", id="gap-edit-cancel"),
    ]

    def __init__(
        self, gap: Gap, settings: Settings, on_change: Callable[[GapEdit], None] | None = None
    ) -> None:
        super().__init__()
        self.gap = gap
        self.settings = settings
        self.on_change = on_change
        self.autosave: Autosave[GapEdit] = Autosave(self, self._edited, self._changed)

    def compose(self) -> ComposeResult:
        gap = self.gap
        categories = [(c, c) for c in self.settings.gap_categories]
        if gap.category not in self.settings.gap_categories:  # a category listen.toml no longer has
            categories.append((gap.category, gap.category))
        with Vertical(classes="picker") as box:
            box.border_title = f"Edit {gap.id}"
            box.border_subtitle = "saved as you type · ctrl+s or esc closes"
            yield ChoiceRow(categories, gap.category, label="Category", id="gap-category")
            with Horizontal(classes="field"):
                yield Label("Title")
                yield Input(gap.title, id="gap-title", compact=True, select_on_focus=False)
            with Horizontal(classes="field"):
                yield Label("Description")
                yield Input(
                    gap.description,
                    placeholder="optional",
                    id="gap-description",
                    compact=True,
                    select_on_focus=False,
                )
            yield ChoiceRow(SEVERITIES, str(gap.severity), label="Severity", id="gap-severity")
            verdicts = [(NO_VERDICT, "none"), *[(v, v) for v in POLICY_VERDICTS]]
            label = f"{self.settings.verdict_category} verdict"
            yield ChoiceRow(verdicts, gap.verdict or NO_VERDICT, label=label, id="gap-verdict")
            yield Static("", id="gap-problem", markup=False)

    def on_mount(self) -> None:
        self.query_one("#gap-problem").display = False  # takes no room until there is a problem
        self._show_verdict()
        self.query_one("#gap-title", Input).focus()
        self.autosave.stored(self._edited())  # the form shows the gap as stored

    # ---- saving as it changes
    def _edited(self) -> GapEdit | None:
        """The gap as the form holds it; None while the title is empty (not fit to save)."""
        title = self.query_one("#gap-title", Input).value.strip()
        problem = self.query_one("#gap-problem", Static)
        problem.display = not title
        if not title:
            problem.update(f"A gap needs a title: “{self.gap.title}” stays until you type one.")
            return None
        category = self.query_one("#gap-category", ChoiceRow).value
        verdict = self.query_one("#gap-verdict", ChoiceRow).value
        return GapEdit(
            title=title,
            description=self.query_one("#gap-description", Input).value.strip(),
            category=category,
            severity=int(self.query_one("#gap-severity", ChoiceRow).value),
            verdict=verdict if self.settings.carries_verdict(category) else NO_VERDICT,
        )

    def _changed(self, edit: GapEdit) -> None:
        self.saved = edit
        if self.on_change is not None:
            self.on_change(edit)

    saved: GapEdit | None = None  # the last version handed on to be saved

    @on(Input.Changed)
    @on(ChoiceRow.Changed)
    def _typed(self) -> None:
        self._edited()  # says at once when the title is empty
        self.autosave.changed()

    @on(ChoiceRow.Changed, "#gap-category")
    def _category_changed(self) -> None:
        self._show_verdict()

    def _show_verdict(self) -> None:
        category = self.query_one("#gap-category", ChoiceRow).value
        self.query_one("#gap-verdict").display = self.settings.carries_verdict(category)

    @on(Input.Blurred)
    def _left_field(self) -> None:
        self.autosave.flush()

    def on_unmount(self, _event: events.Unmount) -> None:
        with contextlib.suppress(NoMatches):  # the fields may have gone first (saved when left)
            self.autosave.flush()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.autosave.flush()
        if self._edited() is None:
            self.query_one("#gap-title", Input).focus()
            return
        self.dismiss(self.saved)

    def action_close(self) -> None:
        """Esc: what was typed is kept (saved now); an empty title leaves the stored one."""
        self.autosave.flush()
        self.dismiss(None)
