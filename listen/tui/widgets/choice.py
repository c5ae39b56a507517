"""A one-line choice among a few options: all shown, the chosen one highlighted; ←/→ or a click."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import RenderResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from listen.tui.safe import one_line


class ChoiceRow(Widget, can_focus=True):
    """Options as ``(value, label)``; ``value`` is the chosen option's value."""

    DEFAULT_CSS = """
    ChoiceRow {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $boost;
        link-style: none;
        link-color: $text;
        link-style-hover: bold;
        link-background-hover: $accent 30%;
    }
    ChoiceRow:focus {
        background: $primary 30%;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous", show=False, id="choice-prev"),
        Binding("right,space", "move(1)", "Next", show=False, id="choice-next"),
    ]

    value: reactive[str] = reactive("")

    class Changed(Message):
        def __init__(self, choice: ChoiceRow, value: str) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> ChoiceRow:
            return self.choice

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        value: str | None = None,
        *,
        label: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.options = list(options)
        self.label = label
        self.set_reactive(ChoiceRow.value, value if value is not None else self.options[0][0])

    def render(self) -> RenderResult:
        parts: list[Content] = []
        if self.label:
            parts.append(Content.styled(f"{self.label}: ", "bold"))
        for index, (value, label) in enumerate(self.options):
            label = one_line(label)  # a category or a name from listen.toml: plain text
            if value == self.value:
                parts.append(Content.from_markup("[reverse $accent] $label [/]", label=label))
            else:
                parts.append(Content.from_markup(f"[@click=pick({index})] $label [/]", label=label))
        return Content("").join(parts)

    def action_move(self, step: int) -> None:
        values = [value for value, _ in self.options]
        index = values.index(self.value) if self.value in values else 0
        self.value = values[(index + step) % len(values)]

    def action_pick(self, index: int) -> None:
        self.value = self.options[index][0]
        self.focus()

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))
