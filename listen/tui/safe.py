"""Stored text on screen: never parsed as markup, never a raw control character.

A title like ``[bold red]x[/]`` or ``[link=...]x[/]`` must show as typed, and an e-mail subject
holding ``ESC ] 52`` must not reach the terminal (Textual passes ESC in widget text straight
through). Every place the app shows a title, name, note, file name, transcript or message that
came from a customer, a rep or the disk builds it with these helpers:

- ``plain(text, style)``: one-line text as a Rich ``Text`` (no markup), through
  ``listen.display.one_line`` (controls visible, bidi and zero-width dropped, newlines as ⏎);
- ``lines(text, style)``: the same for text that keeps its line breaks (a transcript line, a
  description, a message);
- ``safe(text)``: a ``Text`` or ``Content`` assembled from parts, with controls removed from every
  part and styles kept (a safety net for renderables built elsewhere, e.g. DataTable cells).
"""

from __future__ import annotations

import itertools
from typing import Any, TypeVar, cast

from rich.style import StyleType
from rich.text import Span as RichSpan
from rich.text import Text
from textual.content import Content
from textual.content import Span as ContentSpan

from listen.display import multi_line, one_line

__all__ = ["lines", "multi_line", "one_line", "plain", "safe"]

R = TypeVar("R", Text, Content, str)


def plain(text: object, style: StyleType = "") -> Text:
    """One line of stored text, shown exactly as typed (no markup) and without controls."""
    return Text(one_line(text), style=style, end="")


def lines(text: object, style: StyleType = "") -> Text:
    """Stored text that keeps its line breaks, shown as typed and without other controls."""
    return Text(multi_line(text), style=style, end="")


def safe(renderable: R, *, keep_newlines: bool = True) -> R:
    """``renderable`` with no control characters in its text, styles kept. A ``str`` is taken
    as plain text (never markup) and comes back as a ``Text``."""
    clean = multi_line if keep_newlines else one_line
    if isinstance(renderable, str):
        return cast(R, Text(clean(renderable), end=""))
    if clean(renderable.plain) == renderable.plain:  # the usual case: nothing to change
        return renderable
    if isinstance(renderable, Text):
        return cast(R, _clean_text(renderable, clean))
    return cast(R, _clean_content(renderable, clean))


def _rebuild(plain: str, spans: list[Any], clean: Any) -> tuple[str, dict[int, int]]:
    """``plain`` cleaned piece by piece between span edges, and where each edge lands in it (so
    every span keeps exactly the characters it had). Linear in the text and the spans."""
    cuts = sorted({0, len(plain), *(s.start for s in spans), *(s.end for s in spans)})
    pieces: list[str] = []
    moved = {0: 0}
    length = 0
    for start, end in itertools.pairwise(cuts):
        piece = clean(plain[start:end])
        pieces.append(piece)
        length += len(piece)
        moved[end] = length
    return "".join(pieces), moved


def _clean_text(text: Text, clean: Any) -> Text:
    plain, moved = _rebuild(text.plain, text.spans, clean)
    result = text.blank_copy(plain)
    result.spans = [RichSpan(moved[s.start], moved[s.end], s.style) for s in text.spans]
    return result


def _clean_content(content: Content, clean: Any) -> Content:
    spans = list(content.spans)
    plain, moved = _rebuild(content.plain, spans, clean)
    return Content(plain, [ContentSpan(moved[s.start], moved[s.end], s.style) for s in spans])
