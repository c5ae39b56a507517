"""How one gap reads in a side panel: what it is, how often it recurs, and where it showed up."""

from __future__ import annotations

from rich.text import Text

from listen.domain import Clip, GapLink
from listen.timefmt import position
from listen.tui.safe import multi_line, one_line
from listen.tui.viewmodels import GapRow


def link_label(link: GapLink, clips: dict[str, Clip]) -> Text:
    """`2026-11-16 · Refund call (phone) @ 1:23 “the quote”`."""
    text = Text()
    text.append(one_line(link.session_id or link.linked_at[:10]), style="dim")
    clip = clips.get(link.clip_id or "")
    if clip is not None:
        text.append(one_line(f" · {clip.title}"))
        text.append(one_line(f" ({clip.channel})"), style="dim")
    elif link.clip_id:
        text.append(one_line(f" · clip {link.clip_id}"))
    if link.at is not None:
        text.append(f" @ {position(link.at)}", style="cyan")
    if link.quote:
        text.append("\n   " + one_line(f"“{link.quote}”"), style="italic")
    return text


def gap_detail_text(row: GapRow, clips: dict[str, Clip]) -> Text:
    gap = row.gap
    text = Text()
    text.append(one_line(f"{gap.id} "), style="dim")
    text.append(one_line(gap.title), style="bold")
    text.append("\n" + one_line(f"{gap.category} · severity {gap.severity} · {gap.status}"))
    if gap.verdict:
        text.append(one_line(f" · verdict: {gap.verdict}"))
    text.append(
        f"\nseen {row.times_seen}× in {row.sessions_seen} session(s), {row.weeks_recurring} week(s)",
        style="bold yellow" if row.recurring else "",
    )
    if row.recurring:
        text.append(f" · recurring ({row.rec.longest_run} sessions in a row)", style="bold yellow")
    text.append("\n" + one_line(f"first seen {row.rec.first_seen} · last {row.rec.last_seen}"), style="dim")
    if gap.description:
        text.append("\n\n")
        text.append(multi_line(gap.description))
    if gap.links:
        text.append("\n\n")
        text.append("Where it showed up", style="bold underline")
        for link in gap.links:
            text.append("\n• ")
            text.append_text(link_label(link, clips))
    return text
