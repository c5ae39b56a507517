"""Due dates as people type them: ``2026-12-04``, ``+7`` / ``+7d``, ``+2w``, ``today``,
``tomorrow``, ``friday`` (the coming Friday), ``next friday`` (Friday of next week), ``next week``
(Monday of next week)."""

from __future__ import annotations

import datetime as dt
import re

from listen.session.errors import SessionError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"^\+?\s*(\d{1,3})\s*(d|day|days|w|wk|week|weeks)?$")


def parse_due(text: str, today: dt.date | None = None) -> str:
    """The ISO date for ``text``; SessionError with the accepted forms when it is not a date."""
    today = today or dt.date.today()
    value = " ".join(text.strip().lower().split())
    if not value:
        raise SessionError("a due date is required (e.g. 2026-12-04, +7d, friday)")
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    if value == "today":
        return today.isoformat()
    if value == "tomorrow":
        return (today + dt.timedelta(days=1)).isoformat()
    if value == "next week":
        return (today + dt.timedelta(days=7 - today.weekday())).isoformat()
    match = _RELATIVE.match(value)
    if match and value.startswith("+"):
        count = int(match.group(1))
        unit = match.group(2) or "d"
        days = count * 7 if unit.startswith("w") else count
        return (today + dt.timedelta(days=days)).isoformat()
    day = value.removeprefix("next ").strip()
    for index, name in enumerate(WEEKDAYS):
        if len(day) >= 3 and name.startswith(day):
            if value.startswith("next "):  # that day in the next Monday-to-Sunday week
                ahead = 7 - today.weekday() + index
            else:  # the coming one, 1 to 7 days ahead
                ahead = (index - today.weekday()) % 7 or 7
            return (today + dt.timedelta(days=ahead)).isoformat()
    raise SessionError(
        f"'{text.strip()}' is not a due date (write 2026-12-04, +7d, +2w, tomorrow or a weekday)"
    )


def parse_due_from(text: str, today: dt.date, earliest: dt.date, *, what: str = "the session") -> str:
    """``parse_due``, refusing a day before ``earliest`` (the session's date, or today): an action
    cannot be due before the meeting that decided it, nor in the past."""
    due = parse_due(text, today)
    if due < earliest.isoformat():
        raise SessionError(f"{due} is before {what} ({earliest.isoformat()}): pick a later day")
    return due
