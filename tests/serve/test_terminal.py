"""The screen the app tests read (tests/serve/terminal.py) is right about what it claims to read:
text placed by the cursor, colours skipped, wide characters, bytes cut anywhere by the frames."""

from __future__ import annotations

from tests.serve.terminal import Screen

FRAME = (
    "\x1b[?1049h\x1b[?25l\x1b]0;listen\x07\x1b[1;1H\x1b[38;2;255;0;0;48;2;0;0;0mHome\x1b[0m"
    "\x1b[2;3H界 Inbox £50\x1b[3;1Hxxxxxx\x1b[3;3H\x1b[K\x1b[?2026l"
).encode()


def test_text_lands_where_the_cursor_puts_it() -> None:
    screen = Screen(20, 4)
    screen.feed(FRAME)
    assert screen.lines == ["Home", "  界 Inbox £50", "xx", ""]


def test_frames_cut_in_the_middle_of_a_sequence_or_a_character() -> None:
    for cut in range(1, len(FRAME)):
        screen = Screen(20, 4)
        screen.feed(FRAME[:cut])
        screen.feed(FRAME[cut:])
        assert screen.lines == ["Home", "  界 Inbox £50", "xx", ""], cut


def test_nothing_is_written_past_the_edge_and_a_resize_keeps_what_fits() -> None:
    screen = Screen(6, 2)
    screen.feed(b"\x1b[1;4Habcdef\x1b[2;1H\xe7\x95\x8c\xe7\x95\x8c\xe7\x95\x8c\xe7\x95\x8c")
    assert screen.lines == ["   abc", "界界界"]
    screen.resize(4, 3)
    assert screen.lines == ["   a", "界界", ""]
    screen.feed(b"\x1b[2J\x1b[3;2HZ")
    assert screen.lines == ["", "", " Z"]
