"""The one display sanitiser: stored text made safe to show in a terminal (the CLI and the app).

Every title, name, note, file name, e-mail or chat text and transcript a customer or rep wrote is
hostile: an e-mail subject with ``ESC ] 52 ; c ; ... ESC \\`` writes to the clipboard of whoever
lists it, ``ESC ] 0`` renames their window, ``ESC [ 2 J`` or ``\\r`` rewrites what they see, a
U+202E reverses the rest of a line and a newline inside a title forges a row of a table.
What this module does to a string before it reaches the terminal:

- C0 controls and DEL are shown as their Unicode control pictures (ESC as ``␛``, BEL as ``␇``), so
  an escape sequence prints as harmless visible text (``␛]52;c;...``) instead of acting;
- C1 controls (U+0080-U+009F, of which U+009B is a one-character CSI) and lone surrogates (a file
  name that is not UTF-8) become U+FFFD ``�``;
- bidirectional embeddings, overrides, isolates and marks, zero-width and other invisible format
  characters (joiners, word joiner, BOM, interlinear annotation, tag characters) are dropped;
- line breaks (``\\n``, ``\\r``, ``\\r\\n``, VT, FF, U+0085, U+2028, U+2029): ``one_line`` shows
  each as ``⏎`` (a tab becomes a space); ``multi_line`` keeps them as ``\\n`` (a tab becomes four
  spaces: no control character at all is left but the newline).

Both are idempotent and linear: already-clean text (the usual case) costs one ``isprintable`` scan.
``json_text`` is for ``--json``: exact (it round-trips), with the same characters as ``\\u`` escapes.
No Textual or Rich here; the app's helpers (``listen/tui/safe.py``) build on this module.
"""

from __future__ import annotations

import re
from typing import Any

NEWLINE_MARK = "⏎"
REPLACEMENT = "\ufffd"

# Line breaks a terminal (or a Unicode-aware renderer) would act on. \r\n is one break.
LINE_BREAKS = "\n\r\v\f\x85\u2028\u2029"

# Invisible characters that reorder or hide text, dropped: bidi marks, embeddings, overrides and
# isolates; zero-width space and (non-)joiners, word joiner and invisible operators, BOM,
# deprecated format characters, interlinear annotation, tag characters ("ASCII smuggling").
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVISIBLE = "\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
C0_C1 = "\x00-\x1f\x7f-\x9f"
SURROGATES = "\ud800-\udfff"  # a file name that is not UTF-8 (Python's surrogateescape)

# Everything either function changes, as one regular-expression class (ranges, so a search of
# 1 MB of clean text takes milliseconds).
_UNSAFE = re.compile(f"[{C0_C1}{BIDI}{INVISIBLE}{SURROGATES}\u2028\u2029]")


def _chars(ranges: str) -> list[str]:
    """The characters of a class written as above ('a-c' ranges and single characters)."""
    chars: list[str] = []
    i = 0
    while i < len(ranges):
        if i + 2 < len(ranges) and ranges[i + 1] == "-":
            chars += map(chr, range(ord(ranges[i]), ord(ranges[i + 2]) + 1))
            i += 3
        else:
            chars.append(ranges[i])
            i += 1
    return chars


def _table(breaks: str, tab: str) -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        table[code] = chr(0x2400 + code)  # control pictures: U+241B is ␛
    table[0x7F] = "\u2421"  # ␡
    for char in _chars("\x80-\x9f" + SURROGATES):
        table[ord(char)] = REPLACEMENT
    for char in _chars(BIDI + INVISIBLE):
        table[ord(char)] = ""
    for char in LINE_BREAKS:
        table[ord(char)] = breaks
    table[ord("\t")] = tab
    return table


_ONE_LINE = _table(NEWLINE_MARK, " ")
_MULTI_LINE = _table("\n", "    ")


def _sanitise(text: str, table: dict[int, str]) -> str:
    if text.isprintable():  # nothing in the table is printable: the usual case is one C-speed scan
        return text
    if _UNSAFE.search(text) is None:  # e.g. a no-break space: not printable, but harmless
        return text
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")  # one break, not two
    return text.translate(table)


def one_line(text: object) -> str:
    """``text`` safe to print inside one line (a title, a name, a table cell, a message)."""
    if text is None:
        return ""
    return _sanitise(text if isinstance(text, str) else str(text), _ONE_LINE)


def multi_line(text: object) -> str:
    """``text`` safe to print as several lines (a transcript, an e-mail body): line breaks kept
    as ``\\n``, every other control made visible or dropped as in ``one_line``."""
    if text is None:
        return ""
    return _sanitise(text if isinstance(text, str) else str(text), _MULTI_LINE)


# --------------------------------------------------------------------------- JSON

# What json.dumps(ensure_ascii=False) leaves raw and a terminal could act on or hide: DEL, C1,
# line/paragraph separators, bidi and invisible characters, lone surrogates (which cannot even be
# written as UTF-8). They only ever occur inside JSON strings, where a \u escape means the same.
_JSON_RAW_CHARS = f"\x7f-\x9f\u2028\u2029{BIDI}{INVISIBLE}{SURROGATES}"
_JSON_RAW = re.compile(f"[{_JSON_RAW_CHARS}]")


def _json_escape(code: int) -> str:
    if code > 0xFFFF:  # a surrogate pair, as JSON spells characters beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


_JSON_ESCAPES = {ord(char): _json_escape(ord(char)) for char in _chars(_JSON_RAW_CHARS)}


def json_text(value: Any, *, indent: int | None = 1) -> str:
    """``value`` as JSON for a terminal: readable non-ASCII text (é stays é), but every character
    a terminal could act on or that hides text is a ``\\u`` escape, so ``json.loads`` gives back
    exactly ``value``."""
    import json  # only --json needs it

    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if text.isascii() or _JSON_RAW.search(text) is None:
        return text
    return text.translate(_JSON_ESCAPES)
