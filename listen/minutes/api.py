"""The minutes package's entry points (re-exported lazily by ``listen.minutes``)."""

from __future__ import annotations

from pathlib import Path

from listen.minutes.model import Minutes, MinutesOptions, build_minutes, resolve_session
from listen.minutes.paths import (
    check_document_target,
    default_minutes_path,
    default_report_path,
    write_document,
)
from listen.minutes.render_md import render_markdown
from listen.minutes.report import Report, ReportOptions, build_report, render_report_markdown, report_title
from listen.settings import Settings
from listen.store import View
from listen.workspace import Workspace


def render_minutes(minutes: Minutes, fmt: str = "md") -> str:
    markdown = render_markdown(minutes)
    if fmt == "md":
        return markdown
    from listen.minutes.render_html import render_page

    return render_page(markdown, minutes.title)


def render_report(report: Report, fmt: str = "md") -> str:
    markdown = render_report_markdown(report)
    if fmt == "md":
        return markdown
    from listen.minutes.charts_svg import charts_html
    from listen.minutes.render_html import render_page

    return render_page(markdown, report_title(report), figures=charts_html(report.trends.charts))


def export_minutes(
    store: View,
    settings: Settings,
    workspace: Workspace,
    session_ref: str | None = None,
    *,
    fmt: str = "md",
    output: Path | None = None,
    options: MinutesOptions | None = None,
    force: bool = False,
) -> Path:
    """Write one session's minutes (default ``minutes/<date>-<slug>.<fmt>``); returns the path."""
    if output is not None:
        check_document_target(output, workspace)  # before building: a first export may freeze
    session = resolve_session(store, session_ref)
    text = render_minutes(build_minutes(store, settings, session.id, options), fmt)
    if output is None:
        path = default_minutes_path(workspace, session, fmt)
        return write_document(path, text, create_folder=True, workspace=workspace, force=True)
    return write_document(output, text, workspace=workspace, force=force)


def export_report(
    store: View,
    settings: Settings,
    workspace: Workspace,
    *,
    fmt: str = "md",
    output: Path | None = None,
    options: ReportOptions | None = None,
    force: bool = False,
) -> Path:
    """Write the cross-session report (default ``minutes/report-<today>.<fmt>``); returns the path."""
    report = build_report(store, settings, options)
    text = render_report(report, fmt)
    if output is None:
        path = default_report_path(workspace, report.today, fmt)
        return write_document(path, text, create_folder=True, workspace=workspace, force=True)
    return write_document(output, text, workspace=workspace, force=force)
