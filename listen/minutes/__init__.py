"""Minutes of a session and the cross-session report: gather, redact, escape, render, write.

Public entry points (the CLI and the TUI use these):

- ``build_minutes(store, settings, session_ref, options) -> Minutes``: plain data, already
  redacted/anonymised (``model.py``);
- ``render_minutes(minutes, fmt) -> str``: Markdown or a self-contained HTML page;
- ``export_minutes(store, settings, workspace, session_ref, fmt=..., output=..., options=...)``:
  all of it, written atomically; returns the path;
- ``build_report`` / ``render_report`` / ``export_report``: the same for ``listen report``.

Recurrence across weeks is session logic: ``listen.session.recurrence``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The entry points load on first use (PEP 562): importing one light module of this package (the
# Trends screen's ``listen.minutes.trends``) must not load the minutes model, the report and the
# redaction patterns.
if TYPE_CHECKING:  # "X as X": re-exported
    from listen.minutes.api import export_minutes as export_minutes
    from listen.minutes.api import export_report as export_report
    from listen.minutes.api import render_minutes as render_minutes
    from listen.minutes.api import render_report as render_report
    from listen.minutes.model import Minutes as Minutes
    from listen.minutes.model import MinutesOptions as MinutesOptions
    from listen.minutes.model import build_minutes as build_minutes
    from listen.minutes.paths import FORMATS as FORMATS
    from listen.minutes.report import Report as Report
    from listen.minutes.report import ReportOptions as ReportOptions
    from listen.minutes.report import build_report as build_report

_HOMES = {  # each entry point's module
    "FORMATS": "paths",
    "Minutes": "model",
    "MinutesOptions": "model",
    "build_minutes": "model",
    "Report": "report",
    "ReportOptions": "report",
    "build_report": "report",
    "export_minutes": "api",
    "export_report": "api",
    "render_minutes": "api",
    "render_report": "api",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"listen.minutes.{home}"), name)
