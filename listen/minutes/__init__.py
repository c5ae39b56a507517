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
if TYPE_CHECKING:
    from listen.minutes.api import (
        FORMATS,
        Minutes,
        MinutesOptions,
        Report,
        ReportOptions,
        build_minutes,
        build_report,
        export_minutes,
        export_report,
        render_minutes,
        render_report,
    )

__all__ = [
    "FORMATS",
    "Minutes",
    "MinutesOptions",
    "Report",
    "ReportOptions",
    "build_minutes",
    "build_report",
    "export_minutes",
    "export_report",
    "render_minutes",
    "render_report",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from listen.minutes import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
