"""A clip at a glance: what it is, and the rep's own view of what happened."""

from __future__ import annotations

from rich.text import Text

from listen.domain import Clip, RepView
from listen.ingest.thread import thread_summary
from listen.tui.safe import one_line
from listen.tui.viewmodels import format_duration, short_date

REP_FIELDS = (
    ("needed", "Customer needed"),
    ("hard", "What made it hard"),
    ("workaround", "Workaround"),
    ("helped", "Customer helped"),
    ("note", "Note"),
)


def rep_view_text(view: RepView) -> Text:
    text = Text()
    for key, label in REP_FIELDS:
        value = getattr(view, key) or ""
        if value:
            if text:
                text.append("\n")
            text.append(f"{label}: ", style="bold")
            text.append(one_line(value))
    if not text:
        text.append("The rep left no notes.", style="dim")
    return text


def clip_facts_text(clip: Clip) -> Text:
    text = Text()
    text.append(one_line(clip.title), style="bold")
    what = f"{clip.channel} · {format_duration(clip.duration)}"
    if clip.kind == "text":  # "chat thread", not "chat · text"
        what = thread_summary(clip, None)
    facts = f"{what} · by {clip.submitted_by}"
    text.append("\n" + one_line(facts))
    text.append(one_line(f" · {short_date(clip.submitted_at)}"), style="dim")
    status_style = "bold red" if clip.status == "failed" else "dim"
    text.append("\n" + one_line(clip.status), style=status_style)
    if clip.failure:
        text.append(one_line(f": {clip.failure}"), style="red")
    for notice in clip.notices:
        text.append("\n" + one_line(f"⚠ {notice}"), style="yellow")
    text.append("\n\n")
    text.append_text(rep_view_text(clip.rep_view))
    return text
