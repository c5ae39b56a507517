from __future__ import annotations

import datetime as dt

import pytest

from listen.session.dates import parse_due
from listen.session.errors import SessionError

WEDNESDAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-04", "2026-12-04"),
        ("+7", "2026-12-02"),
        ("+7d", "2026-12-02"),
        ("+2w", "2026-12-09"),
        ("today", "2026-11-25"),
        ("Tomorrow", "2026-11-26"),
        ("friday", "2026-11-27"),
        ("fri", "2026-11-27"),
        ("wednesday", "2026-12-02"),  # the coming one, never today
        ("next friday", "2026-12-04"),
        ("next monday", "2026-11-30"),
        ("next week", "2026-11-30"),
    ],
)
def test_due_dates_as_typed(text: str, expected: str) -> None:
    assert parse_due(text, WEDNESDAY) == expected


@pytest.mark.parametrize("text", ["", "soon", "2026-13-01", "fr"])
def test_bad_due_dates_say_what_works(text: str) -> None:
    with pytest.raises(SessionError, match="due date"):
        parse_due(text, WEDNESDAY)


def test_a_due_date_before_the_session_is_refused_with_the_reason() -> None:
    import datetime as dt

    import pytest

    from listen.session.dates import parse_due_from
    from listen.session.errors import SessionError

    session = dt.date(2026, 11, 30)
    assert parse_due_from("+7d", session, session) == "2026-12-07"
    assert parse_due_from("today", session, session) == "2026-11-30"
    with pytest.raises(SessionError, match="before the session \\(2026-11-30\\)"):
        parse_due_from("2026-11-27", session, session)
