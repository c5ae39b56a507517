"""Small dialogs, each typed by what it returns: a yes/no, a line of text, one choice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from listen.tui.autosave import KeptDialog
from listen.tui.safe import lines, one_line, plain
from listen.tui.viewmodels import one_person_placeholder
from listen.tui.widgets.person_input import PersonInput, settle_person

Check = Callable[[str], str | None]  # returns a problem to show, or None when the text is fine


class ConfirmModal(ModalScreen[bool]):
    """A question with two answers."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No", title: str = "") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = plain(self.heading)
            yield Static(lines(self.question), classes="question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class TextPrompt(KeptDialog[str | None]):
    """Ask for one line of text; ``check`` can refuse it with a reason shown under the field.

    With ``keep_on_escape`` (the session's own texts: notes, ideas, quotes), Esc after typing keeps
    the text as Enter would, and so does the app ending with the prompt open; Esc on an untouched
    (or emptied) field cancels."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt-cancel"),
        # ctrl+s saves as in every other dialog (a note typed after a carry-forward's ctrl+s)
        Binding("ctrl+s", "save", "Save", show=False, id="prompt-save"),
    ]

    def __init__(
        self,
        title: str,
        *,
        label: str = "",
        value: str = "",
        placeholder: str = "",
        check: Check | None = None,
        hint: Callable[[str], str] | None = None,
        keep_on_escape: bool = False,
    ) -> None:
        super().__init__()
        self.keep_on_escape = keep_on_escape
        self.heading = title
        self.label = label
        self.value = value
        self.placeholder = placeholder
        self.check = check
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = plain(self.heading)
            if self.label:
                yield Static(lines(self.label), markup=False, classes="label")  # wraps; a Label is cut
            # The field shows (and saves) stored text as one clean line: an ESC or a newline in
            # the old value would reach the terminal through the Input.
            yield self.field()
            yield Static("", id="problem", classes="problem", markup=False)
            yield Static("", id="hint", classes="hint", markup=False)
            keys = (
                "enter or esc: save · emptied + esc: cancel"
                if self.keep_on_escape
                else "enter: save · esc: cancel"
            )
            yield Static(keys, classes="keys")

    def field(self) -> Input:
        return Input(
            one_line(self.value), placeholder=one_line(self.placeholder), id="text", select_on_focus=False
        )

    @on(Input.Changed, "#text")
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#problem", Static).update("")
        self.keep(self._kept(event.value))
        if self.hint is not None:
            self.query_one("#hint", Static).update(lines(self.hint(event.value)))

    @on(Input.Submitted, "#text")
    def _submitted(self, event: Input.Submitted) -> None:
        self._save(event.value)

    def _save(self, value: str) -> None:
        text = value.strip()
        problem = self.check(text) if self.check else None
        if problem:
            self.query_one("#problem", Static).update(lines(problem))
            self.query_one("#hint", Static).update("")  # the reason once, not twice
            return
        self.dismiss(text)

    def action_save(self) -> None:
        self._save(self.query_one("#text", Input).value)

    def _typed_anew(self, value: str) -> bool:
        """Esc keeps ``value``: something typed, not what the prompt opened with."""
        return self.keep_on_escape and bool(value.strip()) and value != self.value

    def _kept(self, value: str) -> str | None:
        """What Esc would save now (the app ending keeps it too); None if nothing or refused."""
        text = value.strip()
        if not self._typed_anew(value) or (self.check is not None and self.check(text)):
            return None
        return text

    def action_cancel(self) -> None:
        value = self.query_one("#text", Input).value
        if self._typed_anew(value):
            self._save(value)  # what was typed is kept (a refusal stays on screen)
        else:
            self.dismiss(None)


class PersonPrompt(TextPrompt):
    """Ask for one person (an action's owner) as every person field does: the team's names
    complete it (Tab, →, Enter take the completion), a fragment is never what is saved, and a
    name no one has is asked about once; the role typed for someone new is left in ``new_role``."""

    def __init__(
        self,
        title: str,
        *,
        people: Sequence[str],
        label: str = "",
        value: str = "",
        role_example: str = "warehouse",
        joins: str = "this session's people",
    ) -> None:
        super().__init__(
            title, label=label, value=value, placeholder=one_person_placeholder(list(people), "one person")
        )
        self.people = list(people)
        self.role_example = role_example
        self.new_role: str | None = None
        self.joins = joins  # whom someone new joins ("": no one)

    def field(self) -> Input:
        return PersonInput(
            one_line(self.value), people=self.people, placeholder=one_line(self.placeholder), id="text"
        )

    def _save(self, value: str) -> None:
        field = self.query_one("#text", PersonInput)
        if not field.accept_completion().strip():
            self.query_one("#problem", Static).update("a name, please: every action has one owner")
            return
        settle_person(field, self.role_example, self._person, joins=self.joins)

    def _person(self, name: str, role: str | None) -> None:
        self.new_role = role
        self.dismiss(name)


class ChoiceModal(ModalScreen[str | None]):
    """Pick one of a few options (returns the option's id)."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice-cancel"),
    ]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], *, note: str = "") -> None:
        super().__init__()
        self.heading = title
        self.options = list(options)  # (id, label)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = plain(self.heading)
            if self.note:
                yield Static(lines(self.note), classes="question", markup=False)
            yield OptionList(*[Option(plain(label), id=key) for key, label in self.options], id="choices")
            yield Static("enter: choose · esc: cancel", classes="keys")

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
