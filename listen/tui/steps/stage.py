"""Set the stage: the goal and ground rules in the pack's words, and who is here."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from listen.domain import Session
from listen.tui.safe import one_line
from listen.tui.steps.base import StepView, prompt_renderable


def attendees_text(session: Session) -> Text:
    text = Text()
    text.append("Here today: ", style="bold")
    for index, person in enumerate(session.attendees):
        if index:
            text.append(" · ")
        text.append(one_line(person.name))
        if person.role:
            text.append(one_line(f" ({person.role})"), style="dim")
    text.append("   A adds someone", style="dim")
    return text


class StageStep(StepView):
    KIND = "stage"
    FOCUS = "#stage-text"

    def compose(self) -> ComposeResult:
        yield Static(attendees_text(self.session), id="attendees")
        with VerticalScroll(id="stage-text"):
            yield Static(prompt_renderable(self.entry, intro=True))

    def session_changed(self, session: Session) -> None:
        self.query_one("#attendees", Static).update(attendees_text(session))
