"""How lengths of time read everywhere (command line, minutes, app): one place, one style."""

from __future__ import annotations


def clock(seconds: float | None) -> str:
    """A length or position: 192 -> '3:12'; 3725 -> '1:02:05'; None -> ''."""
    if seconds is None:
        return ""
    total = round(max(0.0, seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def position(seconds: float | None) -> str:
    """A moment in a clip, floored like a player's counter: 2.6 -> '0:02'; None -> ''."""
    if seconds is None:
        return ""
    return clock(float(int(max(0.0, seconds))))


def clock_precise(seconds: float) -> str:
    """Where in a file something happened, to the tenth under ten minutes: 41.23 -> '0:41.2';
    3723 -> '1:02:03' (decoder notices)."""
    seconds = max(0.0, seconds)
    if seconds < 600:
        minutes, rest = divmod(seconds, 60)
        return f"{int(minutes)}:{rest:04.1f}"
    return clock(seconds)


def meeting_length(seconds: float | None) -> str:
    """How long a meeting ran, to the minute: 3150 -> '53 min'; 3900 -> '1 h 05 min'."""
    if seconds is None:
        return "not recorded"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def short_time(iso: str) -> str:
    """A stored timestamp to the minute: '2026-11-23T14:39:51+00:00' -> '2026-11-23 14:39'."""
    return iso[:16].replace("T", " ")
