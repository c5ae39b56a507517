"""listen/tui/safe.py: stored text becomes plain Rich Text / Textual Content with no controls."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from listen.tui.safe import lines, plain, safe


def test_plain_is_never_markup_and_one_line() -> None:
    text = plain("[bold red]x[/]\n\x1b]0;t\x07", style="bold")
    assert text.plain == "[bold red]x[/]⏎␛]0;t␇"
    assert [span.style for span in text.spans] == []  # no style came from the brackets
    assert str(text.style) == "bold"


def test_lines_keep_their_breaks_only() -> None:
    assert lines("a\r\nb\x1b[2J\u202e").plain == "a\nb␛[2J"


def test_safe_cleans_each_styled_part_and_keeps_its_style() -> None:
    text = Text()
    text.append("ok ", style="dim")
    text.append("bad\x1b[2J\u202e", style="bold red")
    text.append("\nnext", style="italic")
    cleaned = safe(text)
    assert cleaned.plain == "ok bad␛[2J\nnext"
    styles = {cleaned.plain[s.start : s.end]: str(s.style) for s in cleaned.spans}
    assert styles == {"ok ": "dim", "bad␛[2J": "bold red", "\nnext": "italic"}
    assert safe(text, keep_newlines=False).plain == "ok bad␛[2J⏎next"


def test_safe_leaves_clean_text_alone_and_takes_a_str_as_plain() -> None:
    clean = Text("fine", style="bold")
    assert safe(clean) is clean
    assert safe("[b]x[/b]\x07").plain == "[b]x[/b]␇"


def test_safe_content() -> None:
    content = Content.assemble(("title ", "bold"), ("\x1b]52;c;eA==\x07", "italic"))
    cleaned = safe(content)
    assert cleaned.plain == "title ␛]52;c;eA=="  # (Content itself drops the BEL; it keeps ESC)
    assert [(cleaned.plain[s.start : s.end], str(s.style)) for s in cleaned.spans] == [
        ("title ", "bold"),
        ("␛]52;c;eA==", "italic"),
    ]
    assert "\x1b" not in cleaned.plain
