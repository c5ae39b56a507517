"""Minutes (or a report) as one self-contained HTML page.

The Markdown is rendered by markdown-it-py in CommonMark mode with raw HTML disabled (any HTML in
the source comes out as text), GFM tables enabled, and the rules the minutes never use disabled.
The page loads nothing: the stylesheet is inline, there are no scripts, and a
Content-Security-Policy forbids any other resource.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from listen.minutes.escape import clean

STYLESHEET = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24;
       max-width: 52rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #1b1f24; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #c8ccd0; padding-bottom: .2rem; }
h3 { font-size: 1.08rem; margin-top: 1.4rem; }
h4 { font-size: .95rem; margin: 1rem 0 .3rem; color: #444c56; }
ul { padding-left: 1.3rem; }
li { margin: .15rem 0; overflow-wrap: anywhere; }
p { overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #c8ccd0; padding: .3rem .5rem; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
th { background: #f1f3f5; white-space: nowrap; overflow-wrap: normal; }
tr:nth-child(even) td { background: #fafbfc; }
strong { font-weight: 650; }
em { color: #57606a; }
figure { margin: 1rem 0 1.5rem; }
figure svg { max-width: 40rem; height: auto; display: block; }
details summary { color: #444c56; font-size: .9rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; color: #000; }
  h2 { break-after: avoid; }
  h3, h4 { break-after: avoid; }
  table, li, figure svg { break-inside: avoid; }
  tr:nth-child(even) td, th { background: none; }
}
""".strip()

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"
CSP_WITH_AUDIO = CSP + "; media-src data:"  # minutes with audio quotes: their sound is inline, nothing else


# Rules the minutes and reports never use. Turning them off changes nothing in their output (a
# test checks this), makes rendering about 40% faster, and is one more wall: even text that
# escaped escaping could not become a link, image, code, quote or HTML.
UNUSED_BLOCK_RULES = ["code", "fence", "blockquote", "hr", "reference", "html_block", "lheading"]
UNUSED_INLINE_RULES = ["backticks", "link", "image", "autolink", "html_inline", "entity"]


@cache
def markdown_parser() -> Any:
    """CommonMark with raw HTML off and tables on (markdown-it-py is imported on first use)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    return parser.disable(UNUSED_BLOCK_RULES + UNUSED_INLINE_RULES)


def markdown_to_html(markdown: str) -> str:
    """The body HTML of a Markdown document."""
    return str(markdown_parser().render(markdown))


def render_page(markdown: str, title: str, *, figures: str = "", media: dict[str, str] | None = None) -> str:
    """A complete HTML page for ``markdown``, titled ``title`` (plain text). ``figures`` (the
    report's charts: HTML built by listen.minutes.charts_svg, every text in it escaped) goes before
    the first second-level heading. ``media`` maps placeholder words in the Markdown (random, so no
    text can hold one) to the ``<audio>`` elements of the audio quotes (``audio_export.py``); the
    page then allows ``data:`` media and nothing else more."""
    body = markdown_to_html(markdown)
    if media:
        tokens = re.compile("|".join(re.escape(token) for token in media))
        body = tokens.sub(lambda m: media[m.group(0)], body)
    if figures:
        at = body.find("<h2>")
        at = len(body) if at < 0 else at
        body = body[:at] + figures + body[at:]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP_WITH_AUDIO if media else CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{html.escape(clean(title), quote=True)}</title>\n"
        f"<style>\n{STYLESHEET}\n</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
