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
