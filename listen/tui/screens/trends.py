"""Trends: gaps, actions, clips and the story over the team's weeks, drawn in the terminal.

The numbers come from the report's own trend rule (``report_trends``, listen.minutes.trends), so
the screen, the HTML report's charts and the Markdown sparklines always agree. The plots are drawn by
textual-plotext (plotext), imported only when this screen is first shown.

Only gap ids, week labels and fixed words reach plotext (its output is parsed as ANSI); gap titles
are shown in the list under the chart, as plain text.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.types import NoActiveAppError
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from listen.minutes.trends import RANGES, Chart, Trends, range_start, sparkline
from listen.tui.safe import one_line, plain
from listen.tui.screens.base import ListenScreen
from listen.tui.widgets.footer import KeyFooter
from listen.tui.widgets.nav import NavBar

RANGE_TITLES = {"4w": "4 weeks", "12w": "12 weeks", "all": "all"}
# plotext colour names, and the same colours for the list of gaps under the chart
LINE_COLOURS = ("cyan+", "red+", "green+", "magenta+", "yellow+", "blue+", "white", "orange")
TEXT_COLOURS = ("bright_cyan", "bright_red", "bright_green", "bright_magenta", "bright_yellow", "bright_blue")
LABEL_CHARS = 52  # a gap's title in the list is cut here (one line at 80 columns)
CHART_IDS = ("trend-gaps", "trend-actions", "trend-clips", "trend-story")


@dataclass(frozen=True)
class TrendsData:
    trends: Trends
    range_key: str


def load_trends(app: Any, range_key: str, reuse: Any = None) -> Trends:
    """The report's trend for the range ending today (called in a thread): only what the charts
    need is read and redacted (``report_trends``, the rule ``build_report`` uses for its trend)."""
    from listen.minutes.report import ReportOptions, report_trends

    today = app.clock.today()
    options = ReportOptions(
        since=range_start(range_key, today),
        today=today,
        redact=app.settings.redact,
        anonymise=app.settings.anonymise,
    )
    return report_trends(app.store, app.settings, options, reuse)


class TrendPlot(PlotextPlot):
    """A PlotextPlot that builds plotext's picture once per drawing, size and theme: plotext
    builds it afresh at every repaint (~10 ms a chart), and opening the screen repaints each
    chart several times. Nothing is built before the first drawing (the data is on its way)."""

    drawn = 0  # drawings made (draw() counts them)
    _picture: tuple[tuple[object, ...], RenderResult] | None = None

    def render(self) -> RenderResult:
        if not self.drawn:
            return ""
        key = (self.drawn, self.size, self.app.theme)
        if self._picture is None or self._picture[0] != key:
            self._picture = (key, super().render())
        return self._picture[1]


def draw(plot: TrendPlot, chart: Chart, *, keys: bool = False, width: int = 200) -> None:
    """Put one chart on a plotext widget: x positions are week numbers, labelled sparsely. More
    weeks than the plot has columns (all of a long history) are drawn as the mean of each group
    of ``group`` weeks: still per week, and plotext's drawing time stays flat."""
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    count = len(chart.x_labels)
    group = max(1, -(-count // max(width, 1)))
    plt.title(chart.title if group == 1 else f"{chart.title} (mean of each {group} weeks)")
    starts = list(range(0, count, group))
    xs = [i + 1 for i in starts]
    top = 0.0
    for n, series in enumerate(chart.series):
        label = one_line(series.key if keys else series.label)
        values = [sum(series.values[i : i + group]) / len(series.values[i : i + group]) for i in starts]
        top = max(top, max(values, default=0))
        plt.plot(xs, values, label=label, color=LINE_COLOURS[n % len(LINE_COLOURS)], marker="braille")
    if count:
        every = max(1, -(-len(xs) // 6))
        marks = xs[::every]
        plt.xticks([float(i) for i in marks], [one_line(_short(chart.x_labels[i - 1])) for i in marks])
    top = chart.y_max or top
    high = max(1, math.ceil(top))
    step = -(-high // 4)  # whole-number ticks: these are counts (or 0..100)
    ticks = list(range(0, high + step, step))
    plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])
    plt.ylim(0, ticks[-1])
    plot.drawn += 1
    plot.refresh()


def _short(label: str) -> str:
    """'2026-W48' -> 'W48'; '2026-11-16' -> '11-16' (the year is in the range line)."""
    return label.split("-", 1)[1] if label[:4].isdigit() else label


class TrendsScreen(ListenScreen):
    MODE = "trends"
    CSS_PATH = "trends.tcss"
    AUTO_FOCUS = "#trend-gap-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "range('4w')", "4 weeks", id="trends-4w"),
        Binding("t", "range('12w')", "12 weeks", id="trends-12w"),
        Binding("a", "range('all')", "All weeks", id="trends-all"),
        Binding("enter", "open_gap", "Open gap", id="trends-open-gap"),
        # the gap list has the keyboard; on a small terminal the charts below are reached by page
        Binding("pagedown", "page_charts(1)", "More charts", priority=True, id="trends-page-down"),
        Binding("pageup", "page_charts(-1)", "Charts above", show=False, priority=True, id="trends-page-up"),
    ]

    range_key = "12w"
    data: TrendsData | None = None

    def __init__(self) -> None:
        super().__init__()
        self._add_own_css()

    def _add_own_css(self) -> None:
        """Give the app's stylesheet this screen's rules now, so that opening it parses only them.
        Left to Textual, a new mode screen's CSS_PATH makes it parse every rule of the app again,
        three times (a fresh parse with the new file, then a refresh for the screen it replaces and
        one for itself), and restyle every widget of the screen left: about a third of the first
        open. Nothing else needs restyling here: every rule in trends.tcss starts with TrendsScreen."""
        try:
            app = self.app
        except NoActiveAppError:  # made outside a running app: Textual loads the CSS when shown
            return
        stylesheet = app.stylesheet
        for path in self.css_path:
            where = os.path.abspath(path)  # how Textual's Stylesheet.read names a file source
            if not stylesheet.has_source(where):
                stylesheet.add_source(Path(where).read_text(encoding="utf-8"), read_from=(where, ""))
        # styled with the app's current stylesheet: no CSS refresh to catch up on when it is shown
        self._css_update_count = app._css_update_count

    def compose(self) -> ComposeResult:
        yield NavBar("trends")
        yield Static("", id="trends-head")
        with Grid(id="trends-grid"):
            with Vertical(id="trend-gaps-box", classes="trend-card"):
                yield TrendPlot(id="trend-gaps")
                yield OptionList(id="trend-gap-list")
            for chart_id in CHART_IDS[1:]:
                yield TrendPlot(id=chart_id, classes="trend-card")
        yield KeyFooter(compact=True)

    def action_page_charts(self, direction: int) -> None:
        grid = self.query_one("#trends-grid")
        if direction > 0:
            grid.scroll_page_down(animate=False)
        else:
            grid.scroll_page_up(animate=False)

    def load_data(self) -> Any:
        # the objects Home (or the last range) made of the unchanged documents are taken as they are
        return TrendsData(load_trends(self.listen, self.range_key, self.listen.reuses), self.range_key)

    def show_data(self, data: Any) -> None:
        self.data = data
        trends: Trends = data.trends
        weeks = trends.weeks
        span = f"{weeks[0]} to {weeks[-1]}" if weeks else "no weeks"
        head = Text(" Range: ")
        for key, title in RANGE_TITLES.items():
            style = "reverse bold" if key == data.range_key else "dim"
            head.append(f" {title} ", style=style)
            head.append(" ")
        head.append(plain(f" · {span} · {len(weeks)} weeks"))
        self.query_one("#trends-head", Static).update(head)
        for chart_id, chart in zip(CHART_IDS, trends.charts, strict=True):
            plot = self.query_one(f"#{chart_id}", TrendPlot)
            draw(plot, chart, keys=chart_id == "trend-gaps", width=plot.size.width or self.size.width)
        self._fill_gap_list(trends)
        grid = self.query_one("#trends-grid")
        self.call_after_refresh(grid.scroll_home, animate=False)  # the gaps chart first, whole

    def _fill_gap_list(self, trends: Trends) -> None:
        options = self.query_one("#trend-gap-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if not trends.gaps.series:
            options.add_option(Option(Text("No gaps seen in this range.", style="dim"), disabled=True))
            return
        for n, series in enumerate(trends.gaps.series):
            line = Text()  # the colour as a span: Textual reads a Text's own style with its own
            line.append("━━ ", style=TEXT_COLOURS[n % len(TEXT_COLOURS)])  # names (no "bright_cyan")
            line.append(sparkline(series.values[-12:]) + " ", style="bold")
            line.append(plain(f"×{series.total:.0f} "))
            line.append(plain(series.label[:LABEL_CHARS]))
            options.add_option(Option(line, id=series.key))
        options.highlighted = (
            highlighted if highlighted is not None and highlighted < options.option_count else 0
        )

    def action_range(self, key: str) -> None:
        if key in RANGES and key != self.range_key:
            self.range_key = key
            self.reload()

    def action_open_gap(self) -> None:
        options = self.query_one("#trend-gap-list", OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id:
            self.listen.open_gap(option.id)

    @on(OptionList.OptionSelected, "#trend-gap-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.listen.open_gap(event.option.id)
