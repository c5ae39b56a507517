"""A field for one person's name: the team's names complete it as ghost text, and Tab, →, Enter
(or leaving the field) accept the completion, so a fragment ("Le" for "Leo Berg") is never what
gets saved. A name that matches no one stays as typed; the form asks whether it is a new person."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import events
from textual.suggester import SuggestFromList
from textual.widgets import Input

from listen.session.people import complete_person, known_person


class PersonInput(Input):
    def __init__(self, value: str = "", *, people: Sequence[str], **kwargs: object) -> None:
        self.people = [p for p in people if p]
        suggester = SuggestFromList(self.people, case_sensitive=False) if self.people else None
        super().__init__(value, suggester=suggester, **kwargs)  # type: ignore[arg-type]

    def accept_completion(self) -> str:
        """Take the completion shown for what is typed (if any); returns the field's value."""
        completed = complete_person(self.value, self.people)
        if completed is not None and completed != self.value:
            self.value = completed
            self.cursor_position = len(completed)
        return self.value

    @property
    def known(self) -> str | None:
        """The team member the field names, or None (empty, or someone new)."""
        return known_person(self.value, self.people)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "tab" and complete_person(self.value, self.people) not in (None, self.value):
            self.accept_completion()  # Tab takes the completion, and moves on as usual
        await super()._on_key(event)

    async def action_submit(self) -> None:
        self.accept_completion()  # Enter takes the completion shown
        await super().action_submit()

    def _on_blur(self, event: events.Blur) -> None:
        self.accept_completion()
        super()._on_blur(event)


def settle_person(
    field: PersonInput,
    role_example: str,
    done: Callable[[str, str | None], None],
    *,
    joins: str = "this session's people",
) -> None:
    """Give ``done`` the person ``field`` names, never a fragment: its completion taken, a team
    member in the team's spelling (role None); a name no one has is asked about once
    (``ask_new_person``) and given with the role typed then. Every person field saves through this."""
    name = " ".join(field.accept_completion().split())
    known = field.known
    if known is not None:
        done(known, None)
    else:
        ask_new_person(field, name, role_example, lambda role: done(name, role), joins=joins)


def ask_new_person(
    field: PersonInput,
    name: str,
    role_example: str,
    added: Callable[[str], None],
    *,
    joins: str = "this session's people",
) -> None:
    """Ask once whether ``name`` (no one on the team) is someone new: Enter gives their role
    (optional) to ``added``; Esc goes back to ``field``. ``joins``: whom they join ("": no one,
    e.g. an action of a closed session; the role is asked for nothing then)."""
    from listen.tui.screens.modals import TextPrompt

    def answered(role: str | None) -> None:
        if role is None:  # not someone new after all: back to the name
            field.focus()
        else:
            added(role)

    if joins:
        label = f"Enter adds {name} to {joins}, with the role typed here (optional)"
        placeholder = f"their role, e.g. {role_example}"
    else:
        label, placeholder = f"Enter keeps {name} (that session is closed: no role to give)", ""
    field.app.push_screen(
        TextPrompt(
            "Someone new?",
            label=f"No one on the team is called “{name}”. {label}; esc goes back to the name.",
            placeholder=placeholder,
        ),
        answered,
    )
