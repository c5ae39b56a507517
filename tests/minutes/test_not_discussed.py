"""Every action open when a session met appears in its minutes, "not discussed" when the room made
no decision about it (issue 12, point 7)."""

from __future__ import annotations

from listen.domain import Action
from listen.minutes import build_minutes, render_minutes
from listen.store import Store
from tests.minutes.md_structure import parse, tables
from tests.minutes.minutes_fixture import MAIN, SETTINGS


def add_forgotten_action(store: Store) -> None:
    with store.transaction() as tx:
        tx.put(
            Action(
                id="A-9",
                title="Call the bank about chargebacks",
                owner="Ana Lima",
                due="2026-11-13",
                session_id="2026-11-09",
                created_at="2026-11-09T09:55:00+00:00",
            )
        )


def test_an_open_action_nobody_followed_up_is_in_the_minutes_as_not_discussed(history: Store) -> None:
    add_forgotten_action(history)
    markdown = render_minutes(build_minutes(history, SETTINGS, MAIN))
    follow_up = tables(parse(markdown))[0]
    row = next(r for r in follow_up if r[0].startswith("A-9"))
    assert row[1:4] == ["Ana Lima", "2026-11-13 (overdue)", "not discussed"]
    assert "1 open action not discussed" in markdown
    stalled = markdown.split("## Overdue or stalled", 1)[1].split("##", 1)[0]
    assert "Ana Lima: A-9 Call the bank about chargebacks, due 2026-11-13 (overdue; not discussed)" in stalled
    assert "3 earlier actions followed up" in markdown  # the decided ones, as before


def test_not_discussed_only_where_the_action_was_open(history: Store) -> None:
    add_forgotten_action(history)
    for day in ("2026-11-02", "2026-11-09"):  # before it existed; the session that committed it
        assert "not discussed" not in render_minutes(build_minutes(history, SETTINGS, day))
    assert "A-9 Call the bank" in render_minutes(build_minutes(history, SETTINGS, "2026-11-16"))
