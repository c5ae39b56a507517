"""Decide: a silent dot vote (each attendee has about a quarter as many dots as there are ideas),
then impact and effort for the top ideas, and pick one to three."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from listen.domain import FixIdea
from listen.session import service, voting
from listen.session.errors import SessionError
from listen.tui.safe import one_line
from listen.tui.steps.base import StepView
from listen.tui.widgets.choice import ChoiceRow
from listen.tui.widgets.table import Col, ListenTable

COLUMNS = (
    Col("pick", "✓", 1),
    Col("id", "ID", 4),
    Col("idea", "Idea"),
    Col("dots", "Dots", 9),
    Col("mine", "Voter", 5),
    Col("impact", "Impact", 6),
    Col("effort", "Effort", 6),
)
SCORE_WORD = {None: "—", 1: "low", 2: "med", 3: "high"}


def next_score(value: int | None) -> int | None:
    """— → low → med → high → —"""
    return {None: 1, 1: 2, 2: 3, 3: None}[value]


class DecideStep(StepView):
    KIND = "decide"
    FOCUS = "#vote-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "vote(1)", "Dot", id="vote-add"),
        Binding("backspace", "vote(-1)", "Take back", id="vote-remove"),
        Binding(
            "left_square_bracket", "voter(-1)", "Previous voter", show=False, key_display="[", id="voter-prev"
        ),
        Binding("right_square_bracket", "voter(1)", "Next voter", key_display="]", id="voter-next"),
        Binding("i", "score('impact')", "Impact", show=False, id="idea-impact"),
        Binding("e", "score('effort')", "Effort", show=False, id="idea-effort"),
        Binding("p", "pick", "Pick", id="idea-pick"),
        Binding("r", "sort", "Sort by dots", show=False, id="vote-sort"),
    ]

    ideas: list[FixIdea]
    _gap_titles: dict[str, str]
    # The rows' order while voting: ranked when the step is shown (or on r), then kept, so a dot
    # never moves the rows under the next key press (new ideas go last).
    _order: list[str]
    # Set by the first dot, score or pick since the step was shown (or sorted): from then on a
    # reload (this window's save landing, another window's write) keeps the rows' order.
    _voting: bool

    def compose(self) -> ComposeResult:
        yield self.prompt_card()
        people = [(a.name, a.name) for a in self.session.attendees] or [("", "(nobody)")]
        yield ChoiceRow(people, label="Voter", id="voter")
        yield Static("", id="vote-summary", classes="summary")
        yield ListenTable(COLUMNS, id="vote-table")
        yield self.detail_line()

    def on_mount(self) -> None:
        self.ideas = []
        self._gap_titles = {}
        self._order = []
        self._voting = False
        self._earlier: dict[str, str] = {}  # earlier ideas not yet brought into this session -> theirs
        super().on_mount()

    def step_hidden(self) -> None:
        self._order = []  # ranked afresh when the step is shown again
        self._voting = False

    def action_sort(self) -> None:
        self._order = []
        self._fill()

    def _in_place(self) -> list[FixIdea]:
        """The ideas in the rows' kept order (ranked the first time)."""
        # the room's ideas first; earlier ones not yet brought into this session after equals
        ranked = sorted(self.ideas, key=lambda i: (-i.vote_count, i.id in self._earlier, voting.rank_key(i)))
        if not self._order:
            self._order = [idea.id for idea in ranked]
        known = set(self._order)
        self._order += [idea.id for idea in ranked if idea.id not in known]
        by_id = {idea.id: idea for idea in self.ideas}
        return [by_id[idea_id] for idea_id in self._order if idea_id in by_id]

    def load_data(self) -> Any:
        reuse = self.reuse  # only documents changed since the last load are made again
        gaps = {gap.id: gap.title for gap in self.store.gaps(include_merged=True, reuse=reuse.gaps)}
        earlier = service.earlier_ideas(self.store, self.session_id, reuse=reuse)
        return service.ranked_ideas(self.store, self.session_id, reuse=reuse), earlier, gaps

    def show_data(self, data: Any) -> None:
        ideas, earlier, self._gap_titles = data
        # Earlier open ideas on today's gaps join the vote with no dots (their old dots were an
        # earlier vote); the first dot, score or pick brings one into this session.
        self._earlier = {idea.id: idea.session_id or "" for idea in earlier}
        self.ideas = [*ideas, *(dataclasses.replace(idea, votes={}) for idea in earlier)]
        if self._voting:  # rows stay where they are under the next key press; new ideas go last
            self._fill()
            return
        # Not voting yet (the step just shown, or this session's own ideas still landing): ranked.
        before = set(self._order)
        table = self.query_one(ListenTable)
        untouched = table.cursor_row == 0  # the cursor where the step put it, not moved to an idea
        self._order = []
        self._fill()
        if set(self._order) != before and untouched:
            table.move_cursor(row=0)  # other ideas than last shown: start at the top of the ranking

    def _bring_forward_first(self, idea_id: str, then: Callable[[], FixIdea]) -> Callable[[], FixIdea]:
        """``then``, after making an earlier idea one of this session's (when it is one)."""
        if idea_id not in self._earlier:
            return then
        store, session_id = self.store, self.session_id
        self._earlier = {k: v for k, v in self._earlier.items() if k != idea_id}

        def run() -> FixIdea:
            service.bring_forward_idea(store, idea_id, session_id)
            return then()

        return run

    @property
    def voter(self) -> str:
        return self.query_one("#voter", ChoiceRow).value

    def _fill(self) -> None:
        voter = self.voter
        rows = []
        for idea in self._in_place():
            mine = sum(n for who, n in idea.votes.items() if voting.name_key(who) == voting.name_key(voter))
            rows.append(
                (
                    idea.id,
                    [
                        Text("✓", style="bold green") if idea.picked else "",
                        Text(idea.id, style="dim"),
                        self._idea_text(idea),
                        Text(
                            f"{'●' * min(idea.vote_count, 8)} {idea.vote_count}",
                            style="bold magenta" if idea.vote_count else "dim",
                        ),
                        Text("●" * mine, style="bold"),
                        SCORE_WORD[idea.impact],
                        SCORE_WORD[idea.effort],
                    ],
                )
            )
        self.query_one(ListenTable).replace_rows(rows)
        self._show_summary()

    def _idea_text(self, idea: FixIdea) -> Text:
        text = Text()
        came_from = self._earlier.get(idea.id) or idea.first_session_id
        if came_from:  # first, so a narrow column never cuts it off
            text.append(f"earlier: {came_from} · ", style="italic yellow")
        text.append(idea.text, style="bold" if idea.picked else "")
        return text

    def _show_summary(self) -> None:
        budget = voting.vote_budget(len(self.ideas))
        left = voting.votes_left(self.ideas, self.voter) if self.voter else 0
        picked = sum(1 for i in self.ideas if i.picked)
        text = Text()
        if not self.ideas:
            text.append("No ideas yet: go back (b) to the Ideas step to add some.", style="dim")
        else:
            text.append(one_line(f"{self.voter}: {left} of {budget} dot(s) left"), style="bold")
            text.append(f" · {picked} picked", style="bold green" if picked else "dim")
            text.append("   [ ] voter · i impact · e effort · r sort", style="dim")
        self.query_one("#vote-summary", Static).update(text)
        self.show_detail()

    def detail_text(self) -> Text:
        """The highlighted idea in full, the gaps it answers, who had it and its dots by person."""
        idea = self._current()
        text = Text()
        if idea is None:
            return text
        text.append(one_line(f"{idea.id} "), style="dim")
        text.append(one_line(idea.text), style="bold")
        if idea.author:
            text.append(one_line(f" ({idea.author})"), style="dim")
        for gap_id in idea.gap_ids:
            gap = self._gap_titles.get(gap_id)
            text.append("\n" + one_line(f"for {gap_id}" + (f" {gap}" if gap else "")), style="dim")
        dots = ", ".join(f"{who} {n}" for who, n in sorted(idea.votes.items()) if n)
        if dots:
            text.append("\n" + one_line(f"dots: {dots}"), style="magenta")
        return text

    @on(ChoiceRow.Changed, "#voter")
    def _voter_changed(self) -> None:
        if self.ideas:
            self._fill()

    def _current(self) -> FixIdea | None:
        key = self.query_one(ListenTable).current_key
        return next((i for i in self.ideas if i.id == key), None)

    def _replace(self, idea: FixIdea) -> None:
        self.ideas = [idea if i.id == idea.id else i for i in self.ideas]
        self._fill()

    # ---- actions
    def action_voter(self, step: int) -> None:
        self.query_one("#voter", ChoiceRow).action_move(step)

    def action_vote(self, delta: int) -> None:
        idea = self._current()
        voter = self.voter
        if idea is None or not voter:
            return
        if delta > 0 and voting.votes_left(self.ideas, voter) <= 0:
            budget = voting.vote_budget(len(self.ideas))
            self.notify(
                f"{voter} has placed all {budget} dot(s); take one back first (⌫).", severity="warning"
            )
            return
        # Shown at once: the core's own vote rule applied to a copy; the store then has the last word.
        ideas = [dataclasses.replace(i, votes=dict(i.votes)) for i in self.ideas]
        target = next(i for i in ideas if i.id == idea.id)
        try:
            voting.apply_vote(ideas, target, voter, delta)
        except SessionError as error:
            self.notify(str(error), severity="warning")
            return
        self.ideas = ideas
        self._voting = True
        self._fill()
        store = self.store
        self.save(
            f"{voter}'s dot on {idea.id}",
            self._bring_forward_first(idea.id, lambda: service.cast_vote(store, idea.id, voter, delta)),
            self._replace,
            lambda _error: self.reload(),
        )

    def action_score(self, which: str) -> None:
        idea = self._current()
        if idea is None:
            return
        self._voting = True
        impact, effort = idea.impact, idea.effort
        if which == "impact":
            impact = next_score(impact)
        else:
            effort = next_score(effort)
        store = self.store
        self.save(
            f"{which} of {idea.id}",
            self._bring_forward_first(
                idea.id, lambda: service.set_impact_effort(store, idea.id, impact, effort)
            ),
            self._replace,
        )

    def action_pick(self) -> None:
        idea = self._current()
        if idea is None:
            return
        self._voting = True
        store = self.store
        self.save(
            f"pick {idea.id}",
            self._bring_forward_first(idea.id, lambda: service.pick_idea(store, idea.id, not idea.picked)),
            self._replace,
        )
