"""Story check (optional, monthly): each attendee types an answer; the tool shows how cohesive the
answers are (0-100), the words they share, and whose answer stands furthest apart. The figure is
kept per session so the minutes show its trend. How it is computed: see the help (?).

Nothing typed is lost: answers are saved half a second after the last key, and at once when a
field is left (Tab, Esc, Enter, a click elsewhere) or the step is; a field never selects its text
when it gets the keyboard, so the next keys cannot replace another person's answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from listen.domain import StoryCheck
from listen.session import service
from listen.tui.autosave import Autosave
from listen.tui.safe import one_line, plain
from listen.tui.steps.base import StepView


@dataclass(frozen=True)
class StoryData:
    check: StoryCheck | None
    trend: list[tuple[str, float]]


def result_text(check: StoryCheck | None, trend: list[tuple[str, float]]) -> Text:
    text = Text()
    if check is None or check.cohesion is None:
        text.append("Cohesion appears once two people have answered.", style="dim")
    else:
        text.append("Cohesion ", style="bold")
        text.append(f"{check.cohesion:.0f}", style="bold reverse")
        text.append(" / 100")
        if check.shared_words:
            text.append("\nShared words: ", style="bold")
            text.append(one_line(", ".join(check.shared_words)))
        if check.furthest:
            text.append("\nFurthest apart: ", style="bold")
            text.append(one_line(check.furthest))
    earlier = [(day, value) for day, value in trend][-6:]
    if earlier:
        text.append("\nTrend: ", style="bold")
        text.append(one_line("  ".join(f"{day} {value:.0f}" for day, value in earlier)), style="dim")
    return text


class StoryStep(StepView):
    KIND = "story"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "answer", "Type answers", id="story-answer"),
        Binding("escape", "leave", "Done typing", show=False, id="story-leave"),
    ]

    def compose(self) -> ComposeResult:
        yield self.prompt_card()
        with VerticalScroll(id="story-answers"):
            for index, person in enumerate(self.session.attendees):
                with Horizontal(classes="field"):
                    yield Label(plain(person.name))
                    yield Input(
                        placeholder="their answer, in their own words",
                        id=f"answer-{index}",
                        compact=True,
                        select_on_focus=False,
                    )
        yield Static("", id="story-result")

    def action_answer(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()

    def action_leave(self) -> None:
        self._save_answers()
        self.focus()

    def load_data(self) -> Any:
        session = self.store.session(self.session_id)
        trend = [
            (day, value)
            for day, value in service.story_trend(self.store, reuse=self.reuse)
            if day != session.date
        ]
        return StoryData(session.story_check, trend)

    def show_data(self, data: Any) -> None:
        check: StoryCheck | None = data.check
        if check is not None:
            for index, person in enumerate(self.session.attendees):
                answer = check.answers.get(person.name)
                field = self.query_one(f"#answer-{index}", Input)
                if answer and not field.value:
                    field.value = one_line(answer)
        self._trend = data.trend
        self.autosave.stored(self._stored())  # the fields show what is stored: saving may begin
        self.query_one("#story-result", Static).update(result_text(check, data.trend))

    def _answers(self) -> dict[str, str]:
        answers = {}
        for index, person in enumerate(self.session.attendees):
            value = self.query_one(f"#answer-{index}", Input).value.strip()
            if value:
                answers[person.name] = value
        return answers

    # ---- saving as it changes (listen/tui/autosave.py: the one rule for typed text)
    _autosave: Autosave[dict[str, str]] | None = None

    @property
    def autosave(self) -> Autosave[dict[str, str]]:
        if self._autosave is None:
            self._autosave = Autosave(self, self._answers, self._write_answers)
        return self._autosave

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if not event.input.has_focus:
            return  # filled in from the store, not typed
        self.autosave.changed()

    @on(Input.Blurred)
    def _left_field(self) -> None:
        self._save_answers()

    def step_hidden(self) -> None:
        self._save_answers()

    def on_unmount(self, _event: events.Unmount) -> None:
        self._save_answers()  # the fields may have gone first: the autosave kept what they held

    def _save_answers(self) -> None:
        """Save the answers if they changed since the last save (one write, in order)."""
        self.autosave.flush()

    def _write_answers(self, answers: dict[str, str]) -> None:
        store, session_id = self.store, self.session_id
        trend = getattr(self, "_trend", [])
        self.save(
            "story check",
            lambda: service.save_story_check(store, session_id, answers),
            lambda check: self.query_one("#story-result", Static).update(result_text(check, trend)),
        )

    def _stored(self) -> dict[str, str]:
        check = self.session.story_check
        return dict(check.answers) if check is not None else {}

    @on(Input.Submitted)
    def _answered(self, event: Input.Submitted) -> None:
        self._save_answers()
        inputs = list(self.query(Input))
        index = inputs.index(event.input) if event.input in inputs else -1
        if 0 <= index < len(inputs) - 1:
            following = inputs[index + 1]
            following.focus()
            following.cursor_position = len(following.value)  # after their words, nothing selected
        else:
            self.focus()
