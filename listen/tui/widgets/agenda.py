"""The agenda down the left of the Session screen: each step with its timebox and time spent."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from listen.session.agenda import Agenda, AgendaEntry
from listen.tui.viewmodels import format_clock


def entry_prompt(agenda: Agenda, entry: AgendaEntry, width: int = 30) -> Content:
    current = entry.index == agenda.index
    spent = agenda.elapsed(entry)
    box = agenda.timebox(entry)
    if current:
        mark = ("▶ ", "bold $accent")
    elif entry.key in agenda.skipped:
        mark = ("↷ ", "$text-muted")
    elif entry.index < agenda.index or spent > 0:
        mark = ("✓ ", "$success")
    else:
        mark = ("  ", "")
    times = f"{format_clock(spent)}/{format_clock(box)}" if box > 0 else format_clock(spent) if spent else ""
    over = agenda.over_time(entry)
    title = entry.title
    if entry.step.optional:
        title += " (opt.)"
    times = times.rjust(11)
    room = max(6, width - len(times) - 3)
    if len(title) > room:
        title = title[: room - 1] + "…"
    return Content.assemble(
        mark,
        (title.ljust(room), "bold" if current else ("$text-muted" if entry.index > agenda.index else "")),
        " ",
        (times, "bold $error" if over else "$text-muted"),
    )


class AgendaList(OptionList, can_focus=False):
    """Read-mostly list (a click on a step jumps there); keys go to the step being run."""

    DEFAULT_CSS = """
    AgendaList {
        height: 1fr;
        border: none;
        padding: 0;
    }
    """

    def show(self, agenda: Agenda) -> None:
        width = max(16, self.size.width - 2) if self.size.width else 30
        prompts = [entry_prompt(agenda, entry, width) for entry in agenda.entries]
        if self.option_count != len(prompts):
            self.clear_options()
            self.add_options([Option(p, id=str(i)) for i, p in enumerate(prompts)])
        else:
            for index, prompt in enumerate(prompts):
                self.replace_option_prompt_at_index(index, prompt)
        self.highlighted = agenda.index

    def tick(self, agenda: Agenda) -> None:
        """Redraw only the current step (its time moves)."""
        if self.option_count == len(agenda.entries):
            width = max(16, self.size.width - 2)
            self.replace_option_prompt_at_index(agenda.index, entry_prompt(agenda, agenda.current, width))
