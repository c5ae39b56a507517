"""Customer text escaped by listen.minutes.escape renders as exactly that text, in every place the
minutes put it, and never adds structure: checked on markdown-it-py tokens."""

from __future__ import annotations

import random

import pytest

from listen.minutes.escape import cell, clean, inline
from tests.minutes.md_structure import FORBIDDEN, all_types, block_types, inline_text, inline_types, parse
from tests.minutes.minutes_fixture import HOSTILE, LONG_LINE


def contexts(value: str) -> str:
    """Every kind of place the minutes put people's text."""
    return "\n".join(
        [
            f"# Title {value}",
            "",
            f"### 1. {value}",
            "",
            f"- **Label:** {value}",
            f"  - {value}",
            f"- [01:02] Customer: “{value}”",
            "",
            value,
            "",
            "| A | B |",
            "| --- | --- |",
            f"| {value} | x |",
            f"| y | {value} |",
            "",
            f"**Summary:** {value}.",
            "",
        ]
    )


def shape(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Block token types, each with its inline children's types."""
    return [
        (token.type, tuple(inline_types(token)) if token.type == "inline" else ()) for token in parse(text)
    ]


BENIGN_SHAPE = shape(contexts("plain words"))

EXTRA = (
    "#",
    "###",
    "#x#",
    "+ plus",
    "- - -",
    "***",
    "___",
    "2) second",
    "=",
    "==",
    "-",
    "a\\",
    "\\*",
    "*",
    "_",
    "[",
    "]",
    "<",
    "&",
    "|",
    "||",
    "`",
    "x\u2028y",
    "tab\there",
    "nul\x00byte",
    "bidi \u202egnirts",
    "ftp://files.example and mailto:x@y.z",
    "[text][ref]\n\n[ref]: /url",
    "<!-- comment -->",
    "<?php ?>",
    "<![CDATA[x]]>",
    "\\<b\\>",
    "1986\\. a great year",
    "  leading and trailing  ",
    "emoji 🎧 and ünïcödé",
)


@pytest.mark.parametrize("text", [*HOSTILE, *EXTRA], ids=lambda t: repr(t[:30]))
def test_escaped_text_adds_no_structure_and_reads_back_exactly(text: str) -> None:
    escaped = inline(text)
    assert "\n" not in escaped
    tokens = parse(contexts(escaped))
    assert shape(contexts(escaped)) == BENIGN_SHAPE
    assert not (all_types(tokens) & FORBIDDEN)
    # The paragraph holding the text alone reads back as the text (whitespace folded).
    paragraph = [t for t in parse(escaped + "\n") if t.type == "inline"]
    expected = clean(text)
    if expected:
        assert len(paragraph) == 1
        assert inline_text(paragraph[0]) == expected
    else:
        assert paragraph == []


def test_a_10000_character_line_stays_one_plain_paragraph() -> None:
    assert len(LONG_LINE) == 10_000
    tokens = parse(inline(LONG_LINE) + "\n")
    assert block_types(tokens) == ["paragraph_open", "inline", "paragraph_close"]
    assert inline_types(tokens[1]) == ["text"]
    assert inline_text(tokens[1]) == clean(LONG_LINE)


def test_table_cells_keep_their_pipes() -> None:
    row = f"| {cell('a | b')} | {cell('c|d|e')} |"
    tokens = parse("| A | B |\n| --- | --- |\n" + row + "\n")
    cells = [inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "td_open"]
    assert cells == ["a | b", "c|d|e"]


def test_blank_text_is_empty_and_cells_can_say_so() -> None:
    assert inline(None) == ""
    assert inline(" \n\t ") == ""
    assert cell("", "none") == "none"


def test_random_punctuation_soup_never_adds_structure() -> None:
    """Deterministic fuzz: 800 strings of Markdown-significant characters, letters and breaks."""
    alphabet = [*"#*_`[]()<>!&|~-+=.:;/\\'\"{}@1234567890 \n\tabcXYZ", "http://", "www.", "&lt;"]
    rng = random.Random(20261123)
    for _ in range(800):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        escaped = inline(text)
        assert shape(contexts(escaped)) == BENIGN_SHAPE, text
        paragraph = [t for t in parse(escaped + "\n") if t.type == "inline"]
        if clean(text):
            assert inline_text(paragraph[0]) == clean(text), text


def test_no_links_even_for_a_gfm_renderer_with_linkify() -> None:
    """Textual's Markdown widget (the TUI's minutes preview) parses with "gfm-like" + linkify."""
    from markdown_it import MarkdownIt

    gfm = MarkdownIt("gfm-like")
    for text in (
        *HOSTILE,
        "see http://evil.example/x and www.evil.example",
        "mail ana@example.com",
        "~~gone~~",
    ):
        tokens = gfm.parse(contexts(inline(text)))
        assert not (all_types(tokens) & FORBIDDEN), text
