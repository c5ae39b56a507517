"""Reading Markdown back as markdown-it-py tokens, to check structure (not strings)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")

# Token types customer text must never produce (the minutes themselves use none of them).
FORBIDDEN = frozenset(
    {
        "html_block",
        "html_inline",
        "link_open",
        "image",
        "code_inline",
        "code_block",
        "fence",
        "hr",
        "blockquote_open",
        "s_open",
        "hardbreak",
        "softbreak",
    }
)


def parse(text: str) -> list[Token]:
    return PARSER.parse(text)


def walk(tokens: list[Token]) -> list[Token]:
    """Every token, children included, in document order."""
    found: list[Token] = []
    for token in tokens:
        found.append(token)
        if token.children:
            found.extend(walk(token.children))
    return found


def all_types(tokens: list[Token]) -> set[str]:
    return {token.type for token in walk(tokens)}


def block_types(tokens: list[Token]) -> list[str]:
    return [token.type for token in tokens]


def inline_types(token: Token) -> list[str]:
    """The children's types, with runs of text tokens counted as one."""
    types: list[str] = []
    for child in token.children or []:
        if child.type == "text" and types and types[-1] == "text":
            continue
        types.append(child.type)
    return types


def inline_text(token: Token) -> str:
    """What a reader sees of an inline token: the text of its children."""
    return "".join(child.content for child in token.children or [] if child.type == "text")


def headings(tokens: list[Token]) -> list[tuple[int, str]]:
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append((int(token.tag[1]), inline_text(tokens[i + 1])))
    return found


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Each table as rows of cell texts, the header row first."""
    result: list[list[list[str]]] = []
    rows: list[list[str]] = []
    row: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(inline_text(tokens[i + 1]))
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type == "table_close":
            result.append(rows)
    return result


def paragraphs_and_items(tokens: list[Token]) -> list[str]:
    """The text of every inline token (paragraphs, list items, headings, cells), in order."""
    return [inline_text(token) for token in tokens if token.type == "inline"]
