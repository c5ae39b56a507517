"""HTML export: one self-contained page; hostile text never becomes markup."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from listen.minutes import MinutesOptions, build_minutes, render_minutes
from listen.minutes.escape import clean
from listen.minutes.render_html import render_page
from listen.settings import Settings
from listen.store import Store
from listen.workspace import resolve_workspace
from tests.minutes.minutes_fixture import HOSTILE, HOSTILE_DAY, MAIN, SETTINGS, build_history, build_hostile

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main",
    "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class Page(HTMLParser):
    """Collects tags, attributes and the visible text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]
        if tag != "meta":
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "style" not in self._in and "title" not in self._in:
            self.text.append(data)


def read(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def test_hostile_minutes_render_to_harmless_html(hostile_store: Store) -> None:
    minutes = build_minutes(hostile_store, Settings(), HOSTILE_DAY, MinutesOptions(redact=False))
    page = read(render_minutes(minutes, "html"))
    assert set(page.tags) <= ALLOWED_TAGS
    assert page.tags.count("style") == 1 and page.tags.count("html") == 1
    # Only the page's own attributes: no src/href/on* anywhere.
    assert {(tag, name) for tag, name, _ in page.attributes} <= {
        ("html", "lang"),
        ("meta", "charset"),
        ("meta", "http-equiv"),
        ("meta", "content"),
        ("meta", "name"),
    }
    visible = " ".join(" ".join(page.text).split())
    for text in HOSTILE:
        assert clean(text) in visible  # shown as text, whole


def test_page_is_self_contained_and_print_friendly(history: Store) -> None:
    html = render_minutes(build_minutes(history, SETTINGS, MAIN), "html")
    page = read(html)
    csp = [
        value
        for tag, name, value in page.attributes
        if name == "content" and value and "default-src" in value
    ]
    assert csp and "default-src 'none'" in csp[0]
    assert "@media print" in html
    assert not [v for _, name, v in page.attributes if name in ("src", "href")]
    assert "<table>" in html and page.tags.count("h2") == 11  # 6, and the owner's five at the top (issue 12)


def test_raw_html_in_markdown_is_shown_as_text() -> None:
    """Even Markdown that was never escaped cannot pass HTML through: raw HTML is off."""
    page = read(render_page("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n", "t<i>"))
    assert set(page.tags) <= ALLOWED_TAGS
    assert "<script>alert(1)</script>" in "".join(page.text)
    assert "<title>t&lt;i&gt;</title>" in render_page("x", "t<i>")


def test_javascript_links_are_not_links_even_unescaped() -> None:
    page = read(render_page("[x](javascript:alert(1)) ![i](javascript:alert(2))\n", "t"))
    assert not [v for _, name, v in page.attributes if v and "javascript" in v]


def test_the_trimmed_html_parser_renders_minutes_like_plain_commonmark(tmp_path: Path) -> None:
    """Disabling the unused markdown-it rules changes nothing in what minutes look like."""
    from markdown_it import MarkdownIt

    from listen.minutes.render_html import markdown_to_html

    plain = MarkdownIt("commonmark", {"html": False}).enable("table")
    for build, session in ((build_history, MAIN), (build_hostile, HOSTILE_DAY)):
        store = Store(resolve_workspace(tmp_path / session))
        build(store)
        for options in (MinutesOptions(redact=False), MinutesOptions(anonymise=True)):
            markdown = render_minutes(build_minutes(store, SETTINGS, session, options))
            assert markdown_to_html(markdown) == plain.render(markdown)
