"""Edit a gap: title, description, category and severity (its verdict follows the category)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from listen.domain import Gap
from listen.settings import Settings
from listen.tui.screens.gap_picker import SEVERITIES
from listen.tui.widgets.choice import ChoiceRow


@dataclass(frozen=True)
class GapEdit:
    title: str
    description: str
    category: str
    severity: int


class GapEditModal(ModalScreen[GapEdit | None]):
    CSS_PATH = "gap_edit.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the gap", id="gap-edit-save"),
        Binding("escape", "dismiss(None)", "Cancel", id="gap-edit-cancel"),
    ]

    def __init__(self, gap: Gap, settings: Settings) -> None:
        super().__init__()
        self.gap = gap
        self.settings = settings

    def compose(self) -> ComposeResult:
        gap = self.gap
        categories = [(c, c) for c in self.settings.gap_categories]
        if gap.category not in self.settings.gap_categories:  # a category listen.toml no longer has
            categories.append((gap.category, gap.category))
        with Vertical(classes="picker") as box:
            box.border_title = f"Edit {gap.id}"
            box.border_subtitle = "ctrl+s saves · esc cancels"
            yield ChoiceRow(categories, gap.category, label="Category", id="gap-category")
            with Horizontal(classes="field"):
                yield Label("Title")
                yield Input(gap.title, id="gap-title", compact=True)
            with Horizontal(classes="field"):
                yield Label("Description")
                yield Input(gap.description, placeholder="optional", id="gap-description", compact=True)
            yield ChoiceRow(SEVERITIES, str(gap.severity), label="Severity", id="gap-severity")
            yield Static("", id="gap-problem", markup=False)

    def on_mount(self) -> None:
        self.query_one("#gap-problem").display = False  # takes no room until there is a problem
        self.query_one("#gap-title", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        title = self.query_one("#gap-title", Input).value.strip()
        if not title:
            problem = self.query_one("#gap-problem", Static)
            problem.update("A gap needs a title.")
            problem.display = True
            return
        self.dismiss(
            GapEdit(
                title=title,
                description=self.query_one("#gap-description", Input).value.strip(),
                category=self.query_one("#gap-category", ChoiceRow).value,
                severity=int(self.query_one("#gap-severity", ChoiceRow).value),
            )
        )
