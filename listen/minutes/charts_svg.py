"""The report's trend charts as inline SVG, each followed by its numbers in a table.

Hand-written on purpose: four line charts need ~150 lines, and drawing them here keeps the page
inside its Content-Security-Policy unchanged (``default-src 'none'; style-src 'unsafe-inline'``).
Only SVG elements and presentation attributes are written: no ``<style>``, no ``<script>``, no
``href``, no event attributes, no external font. pygal, the maintained alternative, embeds a
``<script>`` tooltip loader and a ``<style>`` block per chart, which would need both stripping and a
looser policy. Every text (gap titles, dates) is cleaned of control characters and escaped.

Each chart has a ``<title>`` (its accessible name) and a ``<details>`` table under it so the
numbers stay readable without the picture, by a screen reader or on paper.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence

from listen.minutes.escape import clean
from listen.minutes.trends import Chart

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 32, 24, 34  # plot margins (room for a centred last x label)
LEGEND_ROW = 16
LABEL_CHARS = 70  # a legend label is cut to this many characters
X_LABELS = 8  # at most this many labels under the x axis
COLOURS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#7f7f7f",
    "#bcbd22",
    "#e377c2",
)
DASHES = ("", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "", "6 3", "2 2", "8 3 2 3")


@functools.lru_cache(maxsize=4096)  # week labels and numbers repeat in every chart and table row
def text(value: str, limit: int | None = None) -> str:
    """Plain text for an SVG or HTML text node or attribute: cleaned, cut, escaped."""
    value = " ".join(clean(value).split())
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return html.escape(value, quote=True)


@functools.lru_cache(maxsize=4096)
def number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def nice_top(value: float) -> float:
    """A round top for the y axis at or above ``value``."""
    if value <= 4:
        return 4.0
    for step in (1, 2, 5):
        for scale in (1, 10, 100, 1000, 10000, 100000):
            top = step * scale
            if top >= value and top % 4 == 0:
                return float(top)
    return float(value)


def chart_svg(chart: Chart, chart_id: str) -> str:
    """One line chart: y ticks, x labels (thinned), one line per series, a legend under it."""
    series = chart.series
    points = len(chart.x_labels)
    legend_height = LEGEND_ROW * len(series) + 6
    height = HEIGHT + legend_height
    top = chart.y_max or nice_top(max((max(s.values, default=0) for s in series), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (points - 1) if points > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * min(v, top) / top

    # a long history has ~500 points a line: each x, and each y of a value, formatted once
    xs = [f"{x(i):.1f}" for i in range(points)]
    ys: dict[float, str] = {}

    def y_text(v: float) -> str:
        shown = ys.get(v)
        if shown is None:
            shown = ys[v] = f"{y(v):.1f}"
        return shown

    title_id = f"{chart_id}-title"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{title_id}" font-family="sans-serif" font-size="11">',
        f'<title id="{title_id}">{text(chart.title)}</title>',
        f'<text x="{LEFT}" y="14" font-size="13" font-weight="bold" fill="#1b1f24">'
        f"{text(chart.title)}</text>",
    ]
    for k in range(5):  # grid and y ticks
        value = top * k / 4
        yy = y(value)
        out.append(f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" stroke="#e1e4e8"/>')
        out.append(
            f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#57606a">{number(value)}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#57606a"/>'
    )
    step = max(1, -(-points // X_LABELS))
    for i in range(0, points, step):
        out.append(
            f'<text x="{x(i):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" fill="#57606a">'
            f"{text(chart.x_labels[i], 12)}</text>"
        )
    if not series:
        out.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
            f'fill="#57606a">nothing in this period</text>'
        )
    for n, s in enumerate(series):
        colour, dash = COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{xs[i]},{y_text(v)}" for i, v in enumerate(s.values))
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>')
        if points <= 30:
            out += [
                f'<circle cx="{xs[i]}" cy="{y_text(v)}" r="2.5" fill="{colour}"/>'
                for i, v in enumerate(s.values)
            ]
        ly = HEIGHT + LEGEND_ROW * n + 8
        out.append(
            f'<line x1="{LEFT}" y1="{ly}" x2="{LEFT + 24}" y2="{ly}" '
            f'stroke="{colour}" stroke-width="2"{dashed}/>'
        )
        out.append(
            f'<text x="{LEFT + 30}" y="{ly + 4}" fill="#1b1f24">{text(s.label, LABEL_CHARS)} '
            f"({number(s.total)})</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def chart_table(chart: Chart) -> str:
    """The chart's numbers: one row per week (or session), one column per series."""
    head = "".join(f"<th>{text(s.label, LABEL_CHARS)}</th>" for s in chart.series)
    first = "Session" if chart.y_max else "Week"
    rows = []
    for i, label in enumerate(chart.x_labels):
        cells = "".join(f"<td>{number(s.values[i])}</td>" for s in chart.series)
        rows.append(f"<tr><td>{text(label)}</td>{cells}</tr>")
    return (
        f"<details>\n<summary>{text(chart.title)}: the numbers</summary>\n"
        f"<table>\n<thead><tr><th>{first}</th>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</details>"
    )


def charts_html(charts: Sequence[Chart]) -> str:
    """The "Trends" section of the report page."""
    parts = ["<h2>Trends</h2>"]
    for n, chart in enumerate(charts, start=1):
        parts.append(f"<figure>\n{chart_svg(chart, f'chart-{n}')}\n{chart_table(chart)}\n</figure>")
    return "\n".join(parts) + "\n"
