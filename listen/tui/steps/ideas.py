"""Ideas: fix ideas for each gap tagged today ("what would make it EASY for the customer?"),
and a verdict for each policy gap: eliminate, rephrase or initiate. Open ideas from earlier
sessions on the same gaps are listed too, marked "earlier" with the session they came from
(Decide lets the room vote on them and pick them like new ones)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from listen.domain import POLICY_VERDICTS, FixIdea, Gap
from listen.session import service
from listen.tui.safe import one_line
from listen.tui.screens.modals import ChoiceModal, ConfirmModal, TextPrompt
from listen.tui.steps.base import StepView

NO_GAP = "__none__"


@dataclass(frozen=True)
class IdeasData:
    gaps: list[Gap]
    ideas: list[FixIdea]
    earlier: list[FixIdea]


class IdeasStep(StepView):
    KIND = "ideas"
    FOCUS = "#ideas-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "add_idea", "Add idea", id="idea-add"),
        Binding("e", "edit_idea", "Edit", id="idea-edit"),
        Binding("delete", "delete_idea", "Delete", show=False, id="idea-delete"),
        Binding("p", "verdict", "Policy verdict", id="gap-verdict"),
    ]

    data: IdeasData | None = None

    def compose(self) -> ComposeResult:
        yield self.prompt_card()
        yield Static("", id="ideas-summary", classes="summary")
        yield OptionList(id="ideas-list")

    def load_data(self) -> Any:
        # after an outside write (another window's idea) only the documents that changed are
        # made into objects again: the step reads 2,000 gaps and 500 sessions on each refresh
        reuse = self.reuse
        gaps = service.gaps_in_session(self.store, self.session_id, reuse=reuse)
        return IdeasData(
            gaps,
            self.store.ideas(self.session_id, reuse=reuse.ideas),
            service.earlier_ideas(self.store, self.session_id, reuse=reuse, gaps_here=gaps),
        )

    def show_data(self, data: Any) -> None:
        self.data = data
        self._fill()

    def _fill(self) -> None:
        assert self.data is not None
        listing = self.query_one("#ideas-list", OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option else None
        options: list[Option] = []
        placed: set[str] = set()
        for gap in self.data.gaps:
            head = Text()
            head.append(one_line(f"{gap.id} "), style="dim")
            head.append(one_line(f"[{gap.category}] "), style="italic")
            head.append(one_line(gap.title), style="bold")
            if self.listen.settings.carries_verdict(gap.category):
                head.append(one_line(f"  verdict: {gap.verdict or '— (p)'}"), style="yellow")
            options.append(Option(head, id=f"gap:{gap.id}"))
            for idea in self.data.ideas:
                if gap.id in idea.gap_ids and idea.id not in placed:
                    placed.add(idea.id)
                    options.append(Option(self._idea_line(idea), id=f"idea:{idea.id}"))
            for idea in self.data.earlier:
                if gap.id in idea.gap_ids and idea.id not in placed:
                    placed.add(idea.id)
                    options.append(Option(self._idea_line(idea, earlier=True), id=f"earlier:{idea.id}"))
        others = [idea for idea in self.data.ideas if idea.id not in placed]  # earlier ones all have a gap
        if others or not self.data.gaps:
            options.append(
                Option(Text("Ideas not tied to a gap tagged today", style="bold"), id=f"gap:{NO_GAP}")
            )
            options += [Option(self._idea_line(idea), id=f"idea:{idea.id}") for idea in others]
        listing.clear_options()
        listing.add_options(options)
        ids = [o.id for o in options]
        listing.highlighted = ids.index(keep) if keep in ids else 0
        summary = Text()
        summary.append(f"{len(self.data.ideas)} idea(s) for {len(self.data.gaps)} gap(s)", style="bold")
        if self.data.earlier:
            summary.append(f" · {len(self.data.earlier)} earlier, still open", style="bold yellow")
        summary.append("   i adds an idea to the gap under the cursor", style="dim")
        self.query_one("#ideas-summary", Static).update(summary)

    @staticmethod
    def _idea_line(idea: FixIdea, *, earlier: bool = False) -> Text:
        text = Text("   • ")
        text.append(one_line(f"{idea.id} "), style="dim")
        text.append(one_line(idea.text))
        if idea.author:
            text.append(one_line(f"  ({idea.author})"), style="dim")
        came_from = idea.session_id if earlier else idea.first_session_id
        if came_from:
            text.append(one_line(f"  earlier: {came_from}"), style="italic yellow")
        return text

    # ---- what is under the cursor
    def _current(self) -> tuple[str, str] | None:
        listing = self.query_one("#ideas-list", OptionList)
        option = listing.highlighted_option
        if option is None or option.id is None:
            return None
        kind, _, ident = option.id.partition(":")
        return kind, ident

    def _idea(self, idea_id: str) -> FixIdea | None:
        if self.data is None:
            return None
        return next((i for i in [*self.data.ideas, *self.data.earlier] if i.id == idea_id), None)

    def _gap(self, gap_id: str) -> Gap | None:
        return next((g for g in self.data.gaps if g.id == gap_id), None) if self.data else None

    def _gap_ids_here(self) -> list[str]:
        current = self._current()
        if current is None:
            return []
        kind, ident = current
        if kind == "gap":
            return [] if ident == NO_GAP else [ident]
        idea = self._idea(ident)
        return list(idea.gap_ids) if idea else []

    # ---- actions
    def action_add_idea(self) -> None:
        gap_ids = self._gap_ids_here()
        label = ", ".join(f"{g}: {gap.title}" for g in gap_ids if (gap := self._gap(g))) or "no gap"
        store, session_id = self.store, self.session_id

        def added(text: str | None) -> None:
            if text:
                self.save(
                    "idea",
                    lambda: service.add_idea(store, session_id=session_id, text=text, gap_ids=gap_ids),
                    lambda idea: self.reload(),
                )

        self.app.push_screen(
            TextPrompt(
                "A fix idea",
                label=f"For {label}. What would make it EASY for the customer?",
                check=lambda text: None if text else "write the idea first",
                keep_on_escape=True,
            ),
            added,
        )

    @on(OptionList.OptionSelected, "#ideas-list")
    def _selected(self) -> None:
        current = self._current()
        if current and current[0] == "idea":
            self.action_edit_idea()
        else:
            self.action_add_idea()

    def action_edit_idea(self) -> None:
        current = self._current()
        if current is None or current[0] != "idea":
            return
        idea = self._idea(current[1])
        if idea is None:
            return
        store = self.store

        def edited(text: str | None) -> None:
            if text and text != idea.text:
                self.save(
                    f"edit {idea.id}",
                    lambda: service.edit_idea(store, idea.id, text=text),
                    lambda _: self.reload(),
                )

        self.app.push_screen(TextPrompt(f"Edit {idea.id}", value=idea.text, keep_on_escape=True), edited)

    def action_delete_idea(self) -> None:
        current = self._current()
        if current is None or current[0] != "idea":
            return
        idea_id = current[1]
        store = self.store
        self.app.push_screen(
            ConfirmModal(
                f"Delete idea {idea_id}? Its dots go back to their owners.", yes="Delete", no="Keep"
            ),
            lambda yes: (
                self.save(
                    f"delete {idea_id}", lambda: service.delete_idea(store, idea_id), lambda _: self.reload()
                )
                if yes
                else None
            ),
        )

    def action_verdict(self) -> None:
        gap_ids = self._gap_ids_here()
        gap = self._gap(gap_ids[0]) if gap_ids else None
        if gap is None or not self.listen.settings.carries_verdict(gap.category):
            category = self.listen.settings.verdict_category or "no"
            self.notify(f"A verdict is for {category} gaps: put the cursor on one.", severity="warning")
            return
        store, settings = self.store, self.listen.settings
        options = [(v, v) for v in POLICY_VERDICTS] + [("", "no verdict yet")]

        def chosen(verdict: str | None) -> None:
            if verdict is not None:
                self.save(
                    f"verdict of {gap.id}",
                    lambda: service.update_gap(store, gap.id, verdict=verdict, settings=settings),
                    lambda _: self.reload(),
                )

        self.app.push_screen(ChoiceModal(f"Policy verdict for {gap.id}", options, note=gap.title), chosen)
