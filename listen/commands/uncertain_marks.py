"""How `listen show` marks the words the model was unsure of: underlined on a terminal,
``[?word]`` when the output is not one (a pipe, a file) or NO_COLOR is set. Every piece of the
transcript goes through the display sanitiser first; the only escape codes written are ours."""

from __future__ import annotations

from collections.abc import Sequence

from listen.display import multi_line
from listen.transcribe.uncertain import Spot

UNDERLINE, NO_UNDERLINE = "\x1b[4m", "\x1b[24m"


def marked_text(text: str, spots: Sequence[Spot], *, styled: bool) -> str:
    """``text`` sanitised, with each spot (character offsets into ``text``) marked."""
    parts: list[str] = []
    at = 0
    for spot in spots:
        parts.append(multi_line(text[at : spot.first]))
        word = multi_line(text[spot.first : spot.last])
        parts.append(f"{UNDERLINE}{word}{NO_UNDERLINE}" if styled else f"[?{word}]")
        at = spot.last
    parts.append(multi_line(text[at:]))
    return "".join(parts)


def legend(threshold: float, *, styled: bool, uncertain: bool, corrected: bool) -> str:
    """The line under a transcript that says what the marks mean."""
    lines = []
    if uncertain:
        sample = f"{UNDERLINE}underlined{NO_UNDERLINE}" if styled else "[?word]"
        lines.append(
            f"{sample}: the model was unsure of the word (probability below {threshold:.2f}); check by ear"
        )
    if corrected:
        lines.append("✎: corrected by hand (listen show --json keeps the machine's original_text)")
    return "\n".join(lines)
