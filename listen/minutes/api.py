"""The minutes package's entry points (re-exported lazily by ``listen.minutes``)."""

from __future__ import annotations

from pathlib import Path

from listen.domain import Session
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


def minutes_target(
    store: View, workspace: Workspace, session_ref: str | None, fmt: str, output: Path | None
) -> tuple[Session, Path]:
    """The session an export is of, and where its document goes (``output``, else
    ``minutes/<date>-<slug>.<fmt>``); a target it must never write is refused before anything is
    built (a first export may freeze the minutes)."""
    if output is not None:
        check_document_target(output, workspace)
    session = resolve_session(store, session_ref)
    return session, output if output is not None else default_minutes_path(workspace, session, fmt)


def write_minutes(path: Path, text: str, workspace: Workspace, *, chosen: bool, force: bool) -> Path:
    """Write an export's document: the default place (not ``chosen``) is made and replaced freely;
    a file the user named is replaced only when it is an earlier export, or with ``force``."""
    return write_document(
        path, text, create_folder=not chosen, workspace=workspace, force=force or not chosen
    )


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
    session, path = minutes_target(store, workspace, session_ref, fmt, output)
    text = render_minutes(build_minutes(store, settings, session.id, options), fmt)
    return write_minutes(path, text, workspace, chosen=output is not None, force=force)


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
