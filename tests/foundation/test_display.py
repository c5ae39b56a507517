"""The display sanitiser (listen/display.py): each class of hostile character, and a 1 MB line."""

from __future__ import annotations

import json

import pytest
from helpers import raw_controls

from listen.display import json_text, multi_line, one_line

OSC52 = "Refund request\x1b]52;c;ZW1haWwtcHduZWQ=\x1b\\"


def test_clean_text_is_returned_unchanged() -> None:
    for text in ["", "Refund still not here", "ça ne marche pas — 払い戻し", "emoji 🙂 ok", "a\xa0b"]:
        assert one_line(text) == text
        assert multi_line(text) == text


def test_escape_sequences_show_as_visible_text_without_the_escape_character() -> None:
    for sequence in [
        OSC52,  # OSC 52: write to the clipboard
        "\x1b]0;owned\x07",  # OSC 0: rename the window (BEL-terminated)
        "\x1b[2J",  # CSI: clear the screen
        "\x1b[1A\x1b[2K",  # CSI: up one line, erase it
        "\x1bP1$q\x1b\\",  # DCS
        "\x9b2J",  # a one-character C1 CSI
        "\x9d0;owned\x9c",  # C1 OSC ... ST
    ]:
        for shown in (one_line(sequence), multi_line(sequence)):
            assert raw_controls(shown, newlines=False) == [], repr(shown)
            assert "\x1b" not in shown
    assert one_line(OSC52) == "Refund request␛]52;c;ZW1haWwtcHduZWQ=␛\\"
    assert one_line("\x9b2J") == "\ufffd2J"


def test_every_c0_and_c1_control_is_made_visible() -> None:
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        char = chr(code)
        shown = one_line(f"a{char}b")
        assert raw_controls(shown, newlines=False) == [], (hex(code), shown)
        assert len(shown) == 3, (hex(code), shown)  # replaced by one visible character, not dropped


def test_bidi_and_zero_width_characters_are_dropped() -> None:
    hidden = [
        *map(chr, range(0x202A, 0x202F)),  # embeddings and overrides (U+202E: right-to-left override)
        *map(chr, range(0x2066, 0x206A)),  # isolates
        *"\u200e\u200f\u061c",  # marks
        *"\u200b\u200c\u200d\ufeff\u2060",  # zero width
        "\U000e0041",  # a tag character
    ]
    for char in hidden:
        assert one_line(f"pay{char}ment") == "payment", hex(ord(char))
        assert multi_line(f"pay{char}ment") == "payment", hex(ord(char))


def test_one_line_shows_each_line_break_as_one_mark() -> None:
    for text in ["a\nb", "a\rb", "a\r\nb", "a\u2028b", "a\u2029b", "a\x85b", "a\x0bb", "a\x0cb"]:
        assert one_line(text) == "a⏎b", repr(text)
    assert one_line("a\r\n\r\nb") == "a⏎⏎b"
    assert one_line("a\tb") == "a b"  # a tab would throw a table's columns out


def test_multi_line_keeps_line_breaks_as_newlines_only() -> None:
    assert multi_line("one\r\ntwo\rthree\u2028four\x85five\nsix") == "one\ntwo\nthree\nfour\nfive\nsix"
    assert multi_line("col\tcol") == "col    col"
    assert raw_controls(multi_line("a\r\n\x1b[2Jb\rc"), newlines=True) == []


def test_lone_surrogates_from_a_non_utf8_file_name_become_a_replacement_character() -> None:
    name = b"caf\xe9.txt".decode("utf-8", "surrogateescape")
    shown = one_line(name)
    assert shown == "caf\ufffd.txt"
    shown.encode("utf-8")  # printable to a UTF-8 terminal (the raw name is not)


def test_both_are_idempotent() -> None:
    text = OSC52 + "\r\n\u202e\u200b\t\x85\udcff"
    assert one_line(one_line(text)) == one_line(text)
    assert multi_line(multi_line(text)) == multi_line(text)


def test_none_and_non_strings() -> None:
    assert one_line(None) == ""
    assert multi_line(None) == ""
    assert one_line(42) == "42"


@pytest.mark.parametrize("unit", ["a", "\x1b", "\x1b[2J\u202e\r\n", "\xa0", "\r\n", "\udcff", "\U000e0041"])
def test_a_one_megabyte_line(unit: str) -> None:
    text = unit * (1_000_000 // len(unit))
    assert raw_controls(one_line(text), newlines=False) == []
    assert raw_controls(multi_line(text), newlines=True) == []
    assert len(one_line(text)) <= len(text)


def test_json_round_trips_exactly_and_escapes_what_a_terminal_would_act_on() -> None:
    value = {
        "title": OSC52 + "\r\n\u202e\u2028\x85\x9b\u200b\x7f\U000e0041 café 払い戻し 🙂",
        "name": "caf\udce9",
        "n": [1, None, True],
    }
    text = json_text(value)
    assert json.loads(text) == value
    assert raw_controls(text, newlines=True) == []
    assert "café 払い戻し 🙂" in text  # readable text stays readable
    assert json.loads(json_text(value, indent=None)) == value
