"""Golden files: the minutes of the fixture session (built through the store API) and the report.

Set LISTEN_UPDATE_GOLDEN=1 to rewrite the files under tests/minutes/golden/ after an intended
change, then read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from listen.minutes import (
    MinutesOptions,
    ReportOptions,
    build_minutes,
    build_report,
    render_minutes,
    render_report,
)
from listen.store import Store
from tests.minutes.md_structure import FORBIDDEN, all_types, headings, parse, tables
from tests.minutes.minutes_fixture import MAIN, SETTINGS

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("LISTEN_UPDATE_GOLDEN") == "1"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with LISTEN_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("minutes-2026-11-23.md", MinutesOptions()),
        ("minutes-2026-11-23-anonymised.md", MinutesOptions(anonymise=True)),
        ("minutes-2026-11-23-unredacted.md", MinutesOptions(redact=False)),
    ],
)
def test_minutes_match_the_golden_file(history: Store, name: str, options: MinutesOptions) -> None:
    check_golden(name, render_minutes(build_minutes(history, SETTINGS, MAIN, options)))


def test_report_matches_the_golden_file(history: Store) -> None:
    options = ReportOptions(today=dt.date(2026, 11, 30))
    check_golden("report-2026-11-30.md", render_report(build_report(history, SETTINGS, options)))


def test_golden_minutes_have_the_designed_structure(history: Store) -> None:
    tokens = parse(render_minutes(build_minutes(history, SETTINGS, MAIN)))
    assert not (all_types(tokens) & FORBIDDEN)
    assert headings(tokens) == [
        (1, "Listening session — 2026-11-23"),
        (2, "Decisions and owners"),  # the owner's view first (issue 12)
        (2, "Overdue or stalled"),
        (2, "Recurring gaps"),
        (2, "The session"),
        (2, "Session notes"),
        (2, "Follow-up of earlier actions"),
        (2, "Clips heard"),
        (3, "1. Double charge after the plan change"),
        (4, "Quotes"),
        (4, "Gaps tagged"),
        (3, "2. Where is my refund? (e-mail thread)"),
        (4, "Quotes"),
        (4, "Gaps tagged"),
        (3, "3. Can't log in after password reset"),
        (4, "Gaps tagged"),
        (2, "Gaps by category"),
        (3, "Policy"),
        (3, "Procedure"),
        (3, "Tool"),
        (3, "Knowledge"),
        (2, "Fix ideas"),
        (2, "Actions"),
        (2, "Story check"),
    ]
    follow_up, ideas, actions = tables(tokens)
    assert follow_up[0] == ["Action", "Owner", "Due", "Outcome", "Note"]
    assert [row[3] for row in follow_up[1:]] == ["carried forward", "done", "dropped"]
    assert [row[1].split(" ", 1)[0] for row in ideas[1:]] == ["I-1", "I-2", "I-3", "I-4"]
    assert [row[0] for row in ideas[1:]] == ["1", "2", "2", "4"]  # equal votes share a rank
    assert [row[2] for row in actions[1:]] == ["2026-11-18 (overdue)", "2026-12-07", "2026-12-14"]


def test_the_minutes_open_with_who_does_what_by_when_and_keep_the_notes(history: Store) -> None:
    markdown = render_minutes(build_minutes(history, SETTINGS, MAIN))
    decisions = markdown.split("## Decisions and owners\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert decisions == [
        "- Chloé Martin: A-4 Propose a 30-day refund window to the owner, by 2026-12-07",
        "- Dev Patel: A-5 Ticket: list every processor charge on the billing screen, by 2026-12-14",
    ]
    assert markdown.index("## Decisions and owners") < markdown.index("## Clips heard")
    notes = markdown.split("## Session notes\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert notes[0] == "- Chloé will take the refund window to the owners' meeting on Friday."
    assert "dev.patel@example.com" not in markdown and notes[1].endswith("\\[email\\]")  # redacted


def test_minutes_of_an_earlier_session_do_not_see_later_weeks(history: Store) -> None:
    """The minutes of 2026-11-09 read the same whenever they are exported."""
    minutes = build_minutes(history, SETTINGS, "2026-11-09")
    (policy,) = [g for g in minutes.gap_groups if g.category == "Policy"]
    refund = policy.gaps[0]
    assert refund.gap_id == "G-1"
    assert refund.recurrence.session_ids == ("2026-10-26", "2026-11-02", "2026-11-09")
    assert refund.recurrence.recurring
    assert minutes.story is not None and minutes.story.earlier == (("2026-10-26", 58.0),)
