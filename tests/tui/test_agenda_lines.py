"""The agenda column's lines: whole titles (over two lines when long), times aligned, no overflow."""

from __future__ import annotations

import pytest

from listen.session.agenda import Agenda
from listen.session.packs import load_pack
from listen.tui.viewmodels import format_clock
from listen.tui.widgets.agenda import entry_prompt, split_title


@pytest.mark.parametrize(
    ("title", "room", "expected"),
    [
        ("Set the stage", 14, ("Set the stage", "")),
        ("Follow up last week's actions", 15, ("Follow up last", "week's actions")),
        ("Listen (1 of 4)", 12, ("Listen", "(1 of 4)")),  # never "Listen (1 of" / "4)"
        ("Supercalifragilistic", 10, ("Supercalif", "ragilistic")),
    ],
)
def test_split_title(title: str, room: int, expected: tuple[str, str]) -> None:
    assert split_title(title, room) == expected


@pytest.mark.parametrize("width", [16, 26, 32])
def test_every_line_fits_and_every_title_word_is_shown(width: int) -> None:
    clock = iter(range(0, 100_000, 200))
    agenda = Agenda(load_pack("weekly"), ["c1", "c2", "c3", "c4"], now=lambda: float(next(clock)))
    agenda.next()
    agenda.next()  # two steps done, the first listen step current
    for entry in agenda.entries:
        lines = entry_prompt(agenda, entry, width).plain.split("\n")
        assert all(len(line) <= width for line in lines), lines
        assert len(lines) <= 2
        if width >= 26:  # room enough: nothing is cut short
            shown = " ".join(line.strip() for line in lines)
            for word in entry.title.split():
                assert word in shown, (entry.title, lines)
    current = entry_prompt(agenda, agenda.current, 26).plain
    assert current.startswith("▶ Listen") and "/8:00" in current
    upcoming = entry_prompt(agenda, agenda.entries[-1], 26).plain
    assert upcoming.rstrip().endswith("2:00") and "/" not in upcoming  # not reached: timebox only
    done = entry_prompt(agenda, agenda.entries[0], 26).plain
    assert done.startswith("✓ Set the stage") and "/" not in done  # behind: the time it took
    assert done.split()[-1] == format_clock(agenda.elapsed(agenda.entries[0]))
    # four listen steps behind and one current still take one line each at the agenda's width
    agenda.next()
    agenda.next()
    agenda.next()
    assert all("\n" not in entry_prompt(agenda, entry, 27).plain for entry in agenda.entries[2:6])
