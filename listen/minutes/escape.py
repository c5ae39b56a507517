"""Markdown escaping of text the minutes did not write themselves (customer and team text).

``inline(text)`` turns any string into one line of Markdown that renders as exactly that text
(whitespace collapsed) and nothing else, wherever the minutes put it: a paragraph, a list item,
a heading, emphasis, or a table cell. It cannot open a heading, list, block quote, code block,
thematic break, table row, link, image, autolink, code span, emphasis, HTML or an entity, in
CommonMark, GFM tables, or GitHub's extended autolinks.

How: every ASCII character with inline meaning is backslash-escaped (CommonMark lets any ASCII
punctuation be escaped, and renders the character itself); block markers are only meaningful at the
start of a line, so they are escaped there; line breaks are folded into spaces so the text stays on
the one line the minutes gave it; every other control character is made visible, and bidi and
zero-width characters dropped, by the display sanitiser the terminal uses (``listen.display``).
"""

from __future__ import annotations

import re

from listen.display import one_line

# Characters with inline meaning anywhere on a line:
#   \ escapes, ` code spans, * _ emphasis, [ ] links and images, < > HTML and autolinks,
#   & entities, | table cells, ~ GFM strikethrough and ~~~ fences, @ GFM's mail autolinks.
_INLINE_SPECIAL = "\\`*_[]<>&|~@"
_ESCAPES = str.maketrans({ch: "\\" + ch for ch in _INLINE_SPECIAL})

# Characters with block meaning at the start of a line (after inline escaping):
#   # headings, > block quotes, + - lists and breaks, = setext underlines.
_BLOCK_START = frozenset("#>+-=")
_ORDERED_LIST_START = re.compile(r"^(\d{1,9})([.)])")
# GFM's extended autolinks ("http://x", "www.x", "a@b.c") work without any markup.
_SCHEME = re.compile(r"(?<=[A-Za-z0-9])://")
_WWW = re.compile(r"(?i)(?<![A-Za-z0-9])(www)\.")


def clean(text: str) -> str:
    """The text as one line: whitespace runs (including line breaks) become one space."""
    flat = " ".join(text.split())
    if flat.isprintable():  # the common case: nothing to change
        return flat
    return " ".join(one_line(flat).split())


def inline(text: str | None) -> str:
    """``text`` as inert inline Markdown on one line (see the module docstring)."""
    if not text:
        return ""
    flat = clean(text)
    if not flat:
        return ""
    escaped = flat.translate(_ESCAPES)
    if "://" in escaped:
        escaped = _SCHEME.sub(r"\\://", escaped)
    if "w." in escaped or "W." in escaped:
        escaped = _WWW.sub(r"\1\\.", escaped)
    if escaped.endswith("#"):  # an ATX heading's optional closing sequence
        stripped = escaped.rstrip("#")
        escaped = stripped + "\\#" * (len(escaped) - len(stripped))
    if escaped[0] in _BLOCK_START:
        escaped = "\\" + escaped
    else:
        escaped = _ORDERED_LIST_START.sub(r"\1\\\2", escaped, count=1)
    return escaped


def cell(text: str | None, empty: str = "") -> str:
    """``text`` for a table cell (``inline`` already escapes the pipe); ``empty`` when blank."""
    return inline(text) or empty
