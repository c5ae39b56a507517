"""Start a session: who facilitates, who is here, which prompt pack, which clips to hear."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from listen.domain import Clip
from listen.tui.safe import one_line, plain
from listen.tui.viewmodels import format_duration, one_person_placeholder
from listen.tui.widgets.choice import ChoiceRow
from listen.tui.widgets.person_input import PersonInput, ask_new_person
from listen.tui.widgets.tick_list import TickList


@dataclass(frozen=True)
class SetupData:
    """What the dialog offers (read in a thread before it opens)."""

    members: list[tuple[str, str]]  # (name, role) from listen.toml
    packs: list[str]
    default_pack: str
    clips: list[Clip]  # clips not heard yet, newest first (limited)
    picked: list[str]  # clip ids picked in the Inbox
    waiting: int = 0  # all the clips not heard yet (``clips`` lists the newest of them)


@dataclass(frozen=True)
class SetupChoice:
    facilitator: str
    attendees: list[tuple[str, str]]
    pack: str
    clip_ids: list[str] = field(default_factory=list)


class SessionSetup(ModalScreen[SetupChoice | None]):
    CSS_PATH = "session_setup.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="setup-cancel"),
        Binding("ctrl+s", "start", "Start", id="setup-start"),
    ]

    def __init__(self, data: SetupData, *, facilitator: str = "") -> None:
        super().__init__()
        self.data = data
        self.facilitator = facilitator

    def compose(self) -> ComposeResult:
        names = [one_line(name) for name, _ in self.data.members]  # from listen.toml: shown plain
        with VerticalScroll(classes="setup") as box:
            box.border_title = "Start this week's session"
            box.border_subtitle = "tab moves · space ticks · ctrl+s starts · esc cancels"
            with Horizontal(classes="field"):
                yield Label("Facilitator")
                yield PersonInput(
                    one_line(self.facilitator),
                    people=names,
                    placeholder=one_person_placeholder(names, "who leads today"),
                    id="facilitator",
                    compact=True,
                )
            if self.data.members:
                heading = self._members_heading(len(self.data.members))
                yield Label(heading, id="members-heading", classes="section")
                yield TickList(
                    *[
                        (plain(f"{name} ({role})" if role else name), name, True)
                        for name, role in self.data.members
                    ],
                    id="members",
                )
            with Horizontal(classes="field"):
                yield Label("Others")
                yield Input(
                    placeholder="names, comma separated (role after a colon)", id="others", compact=True
                )
            packs = [(p, p) for p in self.data.packs] or [(self.data.default_pack, self.data.default_pack)]
            yield ChoiceRow(packs, self.data.default_pack, label="Prompt pack", id="pack")
            chosen = set(self.data.picked)
            picked = {c.id for c in self.data.clips if c.id in chosen}
            yield Label(self._clips_heading(len(picked)), id="clips-heading", classes="section")
            if self.data.clips:
                yield TickList(
                    *[(plain(_clip_line(c)), c.id, c.id in picked) for c in self.data.clips],
                    id="clips",
                )
            else:
                yield Static("No clip waits; you can add clips during the session.", classes="dim")
            yield Static("", id="problem")
            yield Button("Start (ctrl+s)", variant="primary", id="start")

    def on_mount(self) -> None:
        self.query_one("#facilitator", Input).focus()

    # ---- how many are ticked, in the heading above each list
    def _members_heading(self, picked: int) -> str:
        return f"Who is here · {picked} picked"

    def _clips_heading(self, picked: int) -> str:
        waiting = max(self.data.waiting, len(self.data.clips))
        if not self.data.clips:
            return f"Clips to hear ({waiting} not heard yet)"
        listed = f", the newest {len(self.data.clips)} listed" if waiting > len(self.data.clips) else ""
        return f"Clips to hear ({waiting} not heard yet{listed}) · {picked} picked"

    @on(SelectionList.SelectedChanged, "#members")
    def _members_ticked(self, event: SelectionList.SelectedChanged) -> None:
        heading = self._members_heading(len(event.selection_list.selected))
        self.query_one("#members-heading", Label).update(heading)

    @on(SelectionList.SelectedChanged, "#clips")
    def _clips_ticked(self, event: SelectionList.SelectedChanged) -> None:
        heading = self._clips_heading(len(event.selection_list.selected))
        self.query_one("#clips-heading", Label).update(heading)

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        field = self.query_one("#facilitator", PersonInput)
        facilitator = " ".join(field.accept_completion().split())  # never a fragment of a name
        if not facilitator:
            self.query_one("#problem", Static).update("Who facilitates? (a name is required)")
            field.focus()
            return
        if field.people and field.known is None and self.new_facilitator_role is None:
            self._ask_new_facilitator(facilitator)
            return
        facilitator = field.known or facilitator
        roles = dict(self.data.members)
        attendees: list[tuple[str, str]] = []
        if field.known is None and self.new_facilitator_role is not None:
            attendees.append((facilitator, self.new_facilitator_role))
        if self.data.members:
            for name in self.query_one("#members", SelectionList).selected:
                attendees.append((name, roles.get(name, "")))
        for item in self.query_one("#others", Input).value.split(","):
            name, _, role = item.partition(":")
            if name.strip():
                attendees.append((name.strip(), role.strip()))
        clip_ids: list[str] = []
        if self.data.clips:
            chosen = set(self.query_one("#clips", SelectionList).selected)
            order = [c.id for c in self.data.clips]
            picked_first = [cid for cid in self.data.picked if cid in chosen]
            clip_ids = picked_first + [cid for cid in order if cid in chosen and cid not in picked_first]
        self.dismiss(
            SetupChoice(
                facilitator=facilitator,
                attendees=attendees,
                pack=self.query_one("#pack", ChoiceRow).value,
                clip_ids=clip_ids,
            )
        )

    new_facilitator_role: str | None = None  # the facilitator is someone new, with this role

    def _ask_new_facilitator(self, name: str) -> None:
        def added(role: str) -> None:
            self.new_facilitator_role = role
            self.action_start()

        ask_new_person(self.query_one("#facilitator", PersonInput), name, "support", added)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _clip_line(clip: Clip) -> str:
    return f"{clip.title} · {clip.channel} · {format_duration(clip.duration)} · {clip.submitted_by}"
