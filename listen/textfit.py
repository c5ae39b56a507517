"""Fitting text to a width, for tables and lists in the terminal and the app."""

from __future__ import annotations


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
