"""The agenda down the left of the Session screen: each step with its timebox and time spent."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from listen.session.agenda import Agenda, AgendaEntry
from listen.textfit import cut
from listen.tui.safe import one_line
from listen.tui.viewmodels import format_clock


def entry_prompt(agenda: Agenda, entry: AgendaEntry, width: int = 26) -> Content:
    """One step in ``width`` cells: a mark, the title (over two lines when long) and its times.

    The current step shows spent/timebox (0:03/5:00), steps not reached their timebox (5:00),
    steps behind the time they took (4:12); times over the timebox are red.
    """
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
    reached = entry.index < agenda.index or spent > 0
    if current and box > 0:
        times = f"{format_clock(spent)}/{format_clock(box)}"
    elif reached or current:
        times = format_clock(spent)
    else:
        times = format_clock(box) if box > 0 else ""
    title = one_line(entry.title) + (" (opt.)" if entry.step.optional else "")
    title_style = "bold" if current else ("$text-muted" if entry.index > agenda.index else "")
    times_style = "bold $error" if agenda.over_time(entry) else "$text-muted"
    room = width - len(mark[0]) - (len(times) + 1 if times else 0)
    if room < 8:  # too narrow for title and times on one line: the times get their own
        title_line = (cut(title, width - len(mark[0])), title_style)
        return Content.assemble(mark, title_line, "\n", (times.rjust(width), times_style))
    first, rest = split_title(title, room)
    parts: list[str | tuple[str, str]] = [mark, (first.ljust(room), title_style)]
    if times:
        parts += [" ", (times, times_style)]
    if rest:
        parts += ["\n  ", (cut(rest, width - 2), title_style)]
    return Content.assemble(*parts)


def split_title(title: str, room: int) -> tuple[str, str]:
    """The part of ``title`` that fits in ``room`` cells, and the rest. The cut is at a space
    outside brackets ("Listen" / "(1 of 4)"), or inside a word when no such space is near."""
    if len(title) <= room:
        return title, ""
    depth, cut = 0, -1
    for index, char in enumerate(title[: room + 1]):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == " " and depth == 0:
            cut = index
    if cut < room // 3:
        return title[:room], title[room:]
    return title[:cut], title[cut + 1 :]


class AgendaList(OptionList, can_focus=False):
    """Read-mostly list (a click on a step jumps there); keys go to the step being run."""

    DEFAULT_CSS = """
    AgendaList {
        height: 1fr;
        border: none;
        padding: 0;
    }
    """

    _agenda: Agenda | None = None
    _width = 26  # cells per line in the last layout

    def _lay_out(self, agenda: Agenda) -> list[Content]:
        """Every step's lines, using the width unless they will not fit the height (then two
        cells stay free for the scrollbar that will appear)."""
        width = max(16, self.size.width - 1) if self.size.width else 27  # one cell off the border
        prompts = [entry_prompt(agenda, entry, width) for entry in agenda.entries]
        if sum(len(p.plain.split("\n")) for p in prompts) > max(1, self.size.height):
            width -= 2
            prompts = [entry_prompt(agenda, entry, width) for entry in agenda.entries]
        self._width = width
        return prompts

    def on_resize(self) -> None:
        if self._agenda is not None:  # lines were laid out for another width
            self.show(self._agenda)

    def show(self, agenda: Agenda) -> None:
        self._agenda = agenda
        prompts = self._lay_out(agenda)
        if self.option_count != len(prompts):
            self.clear_options()
            self.add_options([Option(p, id=str(i)) for i, p in enumerate(prompts)])
        else:
            for index, prompt in enumerate(prompts):
                self.replace_option_prompt_at_index(index, prompt)
        self.highlighted = agenda.index
        self.call_after_refresh(self.scroll_to_highlight)  # also when the index is unchanged

    def tick(self, agenda: Agenda) -> None:
        """Redraw only the current step (its time moves)."""
        if self.option_count == len(agenda.entries):
            prompt = entry_prompt(agenda, agenda.current, self._width)
            self.replace_option_prompt_at_index(agenda.index, prompt)
