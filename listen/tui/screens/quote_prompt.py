"""The quote dialog: the words picked from a transcript, wrapped inside the dialog, to trim.

A quote can be a long stretch (several lines of a chat, a paragraph of an e-mail): a one-line
Input scrolled it sideways out of sight, so the words sit in a wrapping TextArea instead. It is
still one line of text (what the minutes print): Enter saves, as in every other prompt, and
pasted line breaks become spaces.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from listen.tui.autosave import KeptDialog
from listen.tui.safe import lines, one_line, plain


class QuotePrompt(KeptDialog[str | None]):
    """Trim a quote's words. Enter (or Esc after an edit) saves; Esc untouched, or emptied, cancels."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", priority=True, id="quote-save"),
        Binding("escape", "cancel", "Cancel", id="quote-cancel"),
    ]

    def __init__(self, title: str, value: str, *, who: str = "") -> None:
        super().__init__()
        self.heading = title
        self.who = who
        # stored text shown as one clean line: controls made visible, never sent to the terminal
        self.value = one_line(value)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog quote") as dialog:
            dialog.border_title = plain(self.heading)
            if self.who:
                yield Static(plain(f"Said by {self.who}"), classes="label", id="quote-who")
            yield Static("Trim the words if you like; enter saves", classes="label")
            yield TextArea(self.value, soft_wrap=True, show_line_numbers=False, id="quote-text")
            yield Static("", id="problem", classes="problem", markup=False)
            yield Static("enter: save · esc: cancel (keeps an edit)", classes="keys")

    def on_mount(self) -> None:
        area = self.query_one("#quote-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return " ".join(self.query_one("#quote-text", TextArea).text.split())

    @on(TextArea.Changed, "#quote-text")
    def _changed(self) -> None:
        self.query_one("#problem", Static).update("")
        self.keep(self._edited())  # kept if the app ends with the dialog open, as Esc keeps it

    def _edited(self) -> str | None:
        """The words as edited, or None: untouched or emptied (Esc cancels then)."""
        text = self.text
        return text if text and text != " ".join(self.value.split()) else None

    def action_save(self) -> None:
        text = self.text
        if not text:
            self.query_one("#problem", Static).update(lines("a quote needs its words"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        if self._edited() is not None:
            self.action_save()  # what was typed is kept
        else:
            self.dismiss(None)
