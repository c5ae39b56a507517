"""The trend over the team's weeks: ISO weeks in the workspace's time zone, empty weeks as zero,
and the report's charts (inline SVG + a table each) that stay harmless and name no one."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from listen.domain import Gap, GapLink, Session
from listen.errors import SettingsError
from listen.minutes import ReportOptions, build_report, render_report
from listen.minutes.escape import clean
from listen.minutes.render_html import CSP
from listen.minutes.trends import (
    TrendInput,
    build_trends,
    range_start,
    sparkline,
    week_label,
    week_of_day,
    week_of_timestamp,
    week_span,
)
from listen.settings import Settings, load_settings
from listen.store import Store
from tests.minutes.minutes_fixture import HOSTILE, HOSTILE_DAY, SETTINGS

TODAY = dt.date(2026, 11, 30)
BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def labels(weeks: list[tuple[int, int]]) -> list[str]:
    return [week_label(w) for w in weeks]


def test_iso_weeks_across_a_year_end_with_53_weeks() -> None:
    assert week_label(week_of_day(dt.date(2026, 12, 31))) == "2026-W53"
    assert week_label(week_of_day(dt.date(2027, 1, 3))) == "2026-W53"  # a Sunday: still 2026's week
    assert week_label(week_of_day(dt.date(2027, 1, 4))) == "2027-W01"
    assert week_label(week_of_day(dt.date(2024, 12, 30))) == "2025-W01"  # Monday in 2024, 2025's week
    span = week_span((2026, 52), (2027, 2))
    assert labels(span) == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert labels(week_span((2025, 52), (2026, 1))) == ["2025-W52", "2026-W01"]  # 2025 has 52


def test_a_timestamp_counts_in_the_week_of_the_team_s_time_zone() -> None:
    late_sunday_utc = "2026-12-27T23:30:00+00:00"  # already Monday in Berlin
    assert week_label(week_of_timestamp(late_sunday_utc, UTC)) == "2026-W52"
    assert week_label(week_of_timestamp(late_sunday_utc, BERLIN)) == "2026-W53"
    new_year_berlin = "2027-01-04T00:30:00+01:00"  # Monday in Berlin, Sunday in New York and UTC
    assert week_label(week_of_timestamp(new_year_berlin, BERLIN)) == "2027-W01"
    assert week_label(week_of_timestamp(new_year_berlin, ZoneInfo("America/New_York"))) == "2026-W53"
    assert week_label(week_of_timestamp(new_year_berlin, UTC)) == "2026-W53"


def _gap(links: list[GapLink]) -> Gap:
    return Gap(id="G-1", category="Policy", title="Refunds wait for approval", links=links)


def test_empty_weeks_are_zero_and_links_follow_the_time_zone() -> None:
    sessions = [Session(id="S-1", date="2026-12-21"), Session(id="S-2", date="2027-01-11")]
    links = [
        GapLink(clip_id="c1", session_id="S-1"),
        GapLink(clip_id="c2", session_id="S-2"),
        GapLink(clip_id="c3", session_id=None, linked_at="2027-01-03T23:30:00+00:00"),  # Mon in Berlin
    ]
    data = TrendInput(sessions=sessions, gaps=[(_gap(links), "G-1 Refunds")], actions=[], clips=[], story=[])
    berlin = build_trends(data, today=dt.date(2027, 1, 12), where=BERLIN)
    assert berlin.weeks == ("2026-W52", "2026-W53", "2027-W01", "2027-W02")
    assert berlin.gaps.series[0].values == (1, 0, 1, 1)
    utc = build_trends(data, today=dt.date(2027, 1, 12), where=UTC)
    assert utc.gaps.series[0].values == (1, 1, 0, 1)
    assert berlin.gap_sparkline("G-1") == sparkline((1, 0, 1, 1)) == "█▁██"


def test_ranges_end_with_today_s_week() -> None:
    assert range_start("4w", TODAY) == dt.date(2026, 11, 9)  # TODAY is a Monday (W49)
    assert range_start("12w", TODAY) == dt.date(2026, 9, 14)
    assert range_start("all", TODAY) is None


def test_the_timezone_setting_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "listen.toml"
    path.write_text('timezone = "Europe/Berlin"\n')
    assert load_settings(path).timezone == "Europe/Berlin"
    assert Settings().timezone == ""  # the system's
    for bad in ("Mars/Olympus", "../../etc/passwd", "Europe/Berlin\\u001b[31m"):
        path.write_text(f'timezone = "{bad}"\n')
        with pytest.raises(SettingsError, match="'timezone' must be an IANA time zone"):
            load_settings(path)


def test_report_trend_over_the_fixture_history(history: Store) -> None:
    report = build_report(history, SETTINGS, ReportOptions(today=TODAY))
    trends = report.trends
    assert trends.weeks[0] <= "2026-W44" and trends.weeks[-1] == "2026-W49"
    assert len(set(trends.weeks)) == len(trends.weeks)
    assert [s.key for s in trends.gaps.series] == [g.gap_id for g in report.top_gaps][:6]
    seen = {s.key: s.total for s in trends.gap_weekly}
    for gap in report.top_gaps:  # every time a gap was seen falls in one week of the range
        assert seen[gap.gap_id] == gap.recurrence.times_seen
    committed = next(s for s in trends.actions.series if s.key == "committed")
    assert committed.total == report.actions_total
    assert [round(v) for v in trends.story.series[0].values] == [round(c) for _, c in report.story]
    # the Markdown shows a sparkline per top gap, as wide as the weeks shown (at most 12)
    markdown = render_report(report)
    width = min(12, len(trends.weeks))
    assert len(re.findall(rf"\| [▁▂▃▄▅▆▇█]{{{width}}} \|", markdown)) == len(report.top_gaps)


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.svg_tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]
        if tag == "table" and "details" in self.open:
            self.svg_tables += 1
        if tag not in ("meta", "line", "polyline", "circle"):
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if "style" not in self.open and "title" not in self.open[:3]:
            self.text.append(data)


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


SVG_TAGS = {"svg", "title", "text", "line", "polyline", "circle", "figure", "details", "summary"}


def test_hostile_report_with_charts_is_one_harmless_page(hostile_store: Store) -> None:
    report = build_report(
        hostile_store, Settings(), ReportOptions(today=dt.date.fromisoformat(HOSTILE_DAY), redact=False)
    )
    html = render_report(report, "html")
    page = read(html)
    assert page.tags.count("html") == 1 and page.tags.count("body") == 1 and page.tags.count("style") == 1
    assert page.open == []  # every element closed: one well-formed document
    assert page.tags.count("svg") == 4 and page.tags.count("details") == 4 and page.svg_tables == 4
    assert "script" not in page.tags and "foreignobject" not in page.tags
    assert not [
        name for _, name, _ in page.attributes if name in ("href", "src", "style") or name.startswith("on")
    ]
    assert f'content="{CSP}"' in html  # the policy is unchanged
    assert re.search(r"<svg[^>]*>", html) and "xlink" not in html
    visible = " ".join(" ".join(page.text).split())
    gap_titles = [g.title for g in report.top_gaps]
    assert gap_titles
    for title in gap_titles[:6]:  # in the legend (cut) and the table, as text
        assert " ".join(clean(title).split())[:30] in visible
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert any("<script>alert(1)</script>" in t for t in HOSTILE) and "&lt;script&gt;" in html


def test_anonymised_charts_name_no_one(history: Store) -> None:
    report = build_report(history, SETTINGS, ReportOptions(today=TODAY, anonymise=True))
    html = render_report(report, "html")
    charts = html[html.index("<h2>Trends</h2>") : html.index("<h2>", html.index("<h2>Trends</h2>") + 5)]
    assert charts.count("<svg") == 4
    names = [part for member in SETTINGS.members for part in member.name.split()]
    for name in names:
        assert name not in charts
    markdown = render_report(report)
    for name in names:
        assert name not in markdown
