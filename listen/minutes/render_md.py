"""Minutes as Markdown (CommonMark plus GFM tables), owner first (issue 12): after the title, what
was decided and who owns it by when, then what is overdue or stalled, then the recurring gaps;
only then who was there, the counts, the session's notes, the follow-up and the clip-by-clip detail.

Every value taken from ``Minutes`` goes through ``escape.inline`` / ``escape.cell``, so the only
structure in the document is the structure written here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from listen.minutes.escape import cell, inline
from listen.minutes.model import (
    ActionLine,
    ClipSection,
    FollowUpLine,
    GapLine,
    IdeaLine,
    Minutes,
    StoryLine,
)
from listen.session.recurrence import compact_weeks
from listen.timefmt import clock, meeting_length, position

OUTCOME_WORDS = {
    "done": "done",
    "carried": "carried forward",
    "dropped": "dropped",
    "not-discussed": "not discussed",
}
STATUS_WORDS = {"open": "open", "fixing": "fixing", "fixed": "fixed", "wont-fix": "won't fix"}


# --------------------------------------------------------------------------- small formats


def timestamp(seconds: float | None) -> str:
    """A moment in a clip as the minutes show it, floored like everywhere else (timefmt.position)
    with two-digit minutes: 62.4 -> '[01:02]'; 3725 -> '[1:02:05]'; None -> ''."""
    if seconds is None:
        return ""
    return f"[{position(seconds).rjust(5, '0')}]"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def score(value: int | None) -> str:
    return str(value) if value is not None else ""


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A GFM table; cells must already be escaped."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


# --------------------------------------------------------------------------- sections


def render_markdown(
    minutes: Minutes, *, quote_marks: Mapping[tuple[int, int], str] | None = None, audio: Sequence[str] = ()
) -> str:
    """The whole document, ending with one newline. ``quote_marks`` (Markdown the audio quotes
    wrote, keyed by clip number and the quote's place in its clip) ends quote lines; ``audio``
    (lines) follows the clips."""
    lines: list[str] = [f"# {inline(minutes.title)}", ""]
    lines += _decisions(minutes.actions)
    lines += _attention(minutes.actions, minutes.follow_ups)
    lines += _recurring(minutes.recurring)
    lines += _meta(minutes)
    lines += _summary(minutes)
    lines += _notes(minutes.notes)
    lines += _follow_ups(minutes.follow_ups)
    lines += _clips(minutes.clips, quote_marks or {})
    lines += audio
    lines += _gaps(minutes)
    lines += _ideas(minutes.ideas)
    lines += _actions(minutes.actions)
    if minutes.story is not None:
        lines += _story(minutes.story)
    lines += _footer(minutes)
    return "\n".join(lines).rstrip("\n") + "\n"


def _person(name: str, role: str) -> str:
    return f"{inline(name)} ({inline(role)})" if role else inline(name)


def _meta(minutes: Minutes) -> list[str]:
    attendees = ", ".join(_person(a.name, a.role) for a in minutes.attendees) or "none recorded"
    roles = {a.name: a.role for a in minutes.attendees}
    facilitator = _person(minutes.facilitator, roles.get(minutes.facilitator, ""))
    status = "" if minutes.status == "closed" else " (the session is still open)"
    return [
        "## The session",
        "",
        f"- **Facilitator:** {facilitator or 'not recorded'}",
        f"- **Attendees:** {attendees}",
        f"- **Duration:** {meeting_length(minutes.duration_seconds)}",
        f"- **Agenda:** the {inline(minutes.prompt_pack)} prompt pack · session id "
        f"{inline(minutes.session_id)}{status}",
        "",
    ]


def _summary(minutes: Minutes) -> list[str]:
    c = minutes.counts
    parts = [
        f"{plural(c.clips, 'clip')} heard",
        f"{plural(c.quotes, 'quote')} marked",
        f"{plural(c.gaps, 'gap')} tagged ({c.new_gaps} new, {c.recurring_gaps} recurring)",
        f"{plural(c.ideas, 'fix idea')} ({c.picked_ideas} picked)",
        f"{plural(c.actions, 'action')} committed",
    ]
    if c.followed_up:
        parts.append(
            f"{plural(c.followed_up, 'earlier action')} followed up "
            f"({c.done} done, {c.carried} carried forward, {c.dropped} dropped)"
        )
    undecided = sum(1 for f in minutes.follow_ups if f.outcome == "not-discussed")
    if undecided:
        parts.append(f"{plural(undecided, 'open action')} not discussed")
    return [f"**Summary:** {' · '.join(parts)}.", ""]


def _who_what(action: ActionLine) -> str:
    owner = inline(action.owner) or "no owner"
    return f"{owner}: {inline(action.action_id)} {inline(action.title)}"


def _decisions(actions: Sequence[ActionLine]) -> list[str]:
    """The actions committed in this session: who does what, by when."""
    lines = ["## Decisions and owners", ""]
    committed = [a for a in actions if not a.carried]
    if not committed:
        return [*lines, "No actions were committed in this session.", ""]
    lines += [f"- {_who_what(a)}, by {inline(a.due) if a.due else 'no date set'}" for a in committed]
    return [*lines, ""]


def _attention(actions: Sequence[ActionLine], follow_ups: Sequence[FollowUpLine]) -> list[str]:
    """Actions past their due date, actions carried forward instead of done, and open actions the
    session did not discuss (left out when there are none)."""
    late = [a for a in actions if a.overdue or a.carried]
    untouched = [f for f in follow_ups if f.outcome == "not-discussed"]
    if not late and not untouched:
        return []
    lines = ["## Overdue or stalled", ""]
    for f in untouched:
        due = f"due {inline(f.due)}" if f.due else "no due date"
        said = "overdue; not discussed" if f.overdue else "not discussed"
        lines.append(
            f"- {inline(f.owner) or 'no owner'}: {inline(f.action_id)} {inline(f.title)}, {due} ({said})"
        )
    for action in late:
        why = ["overdue"] if action.overdue else []
        if action.carried:
            why.append(f"carried forward, committed {inline(action.committed_on)}")
        due = f"due {inline(action.due)}" if action.due else "no due date"
        lines.append(f"- {_who_what(action)}, {due} ({'; '.join(why)})")
    return [*lines, ""]


def _recurring(recurring: Sequence[GapLine]) -> list[str]:
    if not recurring:
        return []
    lines = ["## Recurring gaps", ""]
    lines += [
        f"- {inline(g.gap_id)} {inline(g.title)} ({g.recurrence.longest_run} sessions in a row, "
        f"seen {times(g.recurrence.times_seen)} in all)"
        for g in recurring
    ]
    return [*lines, ""]


def _notes(notes: Sequence[str]) -> list[str]:
    if not notes:
        return []
    return ["## Session notes", "", *[f"- {inline(note)}" for note in notes], ""]


def _follow_ups(follow_ups: Sequence[FollowUpLine]) -> list[str]:
    lines = ["## Follow-up of earlier actions", ""]
    if not follow_ups:
        return [*lines, "No earlier actions were followed up in this session.", ""]
    rows = [
        [
            f"{cell(f.action_id)} {cell(f.title)}",
            cell(f.owner),
            cell(f.due, "none") + (" (overdue)" if f.overdue else ""),
            OUTCOME_WORDS.get(f.outcome, cell(f.outcome)),
            cell(f.note),
        ]
        for f in follow_ups
    ]
    return [*lines, *table(["Action", "Owner", "Due", "Outcome", "Note"], rows), ""]


def _clips(clips: Sequence[ClipSection], marks: Mapping[tuple[int, int], str]) -> list[str]:
    lines = ["## Clips heard", ""]
    if not clips:
        return [*lines, "No clips were played in this session.", ""]
    for clip in clips:
        lines += _clip(clip, marks)
    return lines


def _clip(clip: ClipSection, marks: Mapping[tuple[int, int], str]) -> list[str]:
    if clip.missing:
        lines = [f"### {clip.number}. {inline(clip.title)} (no longer in the workspace)", ""]
    else:
        facts = [f"**Channel:** {inline(clip.channel)}"]
        if clip.duration is not None:
            facts.append(f"**Length:** {clock(clip.duration)}")
        facts.append(f"**Submitted by:** {inline(clip.submitted_by)}")
        lines = [f"### {clip.number}. {inline(clip.title)}", "", f"- {' · '.join(facts)}"]
        view = clip.rep_view
        for label, value in (
            ("Customer needed", view.needed),
            ("What made it hard", view.hard),
            ("Workaround", view.workaround),
            ("Customer helped", view.helped),
            ("Rep's note", view.note),
        ):
            if value:
                lines.append(f"- **{label}:** {inline(value)}")
        lines.append("")
    if clip.quotes:
        lines += ["#### Quotes", ""]
        for index, quote in enumerate(clip.quotes):
            when = timestamp(quote.start)
            who = f"{inline(quote.speaker)}: " if quote.speaker else ""
            mark = marks.get((clip.number, index))
            after = f" {mark}" if mark else ""
            lines.append(f"- {when + ' ' if when else ''}{who}“{inline(quote.text)}”{after}")
        lines.append("")
    if clip.gaps:
        lines += ["#### Gaps tagged", ""]
        for tag in clip.gaps:
            line = f"- {inline(tag.gap_id)} ({inline(tag.category)}): {inline(tag.title)}"
            if tag.at is not None:
                line += f", at {timestamp(tag.at)}"
            if tag.quote:
                line += f": “{inline(tag.quote)}”"
            lines.append(line)
        lines.append("")
    return lines


def _gaps(minutes: Minutes) -> list[str]:
    lines = ["## Gaps by category", ""]
    if not minutes.gap_groups:
        return [*lines, "No gaps were tagged in this session.", ""]
    for group in minutes.gap_groups:
        lines += [f"### {inline(group.category)}", ""]
        for gap in group.gaps:
            lines += _gap(gap)
        lines.append("")
    return lines


def _gap(gap: GapLine) -> list[str]:
    r = gap.recurrence
    flags = []
    if r.recurring:
        flags.append(f"**RECURRING** ({r.longest_run} sessions in a row)")
    if gap.new:
        flags.append("new")
    head = f"- **{inline(gap.gap_id)} {inline(gap.title)}**"
    if flags:
        head += " · " + " · ".join(flags)
    seen = (
        f"Seen {times(r.times_seen)}, in {plural(r.sessions_seen, 'session')} and "
        f"{plural(r.clips_seen, 'clip')}, since {inline(r.first_seen)}"
    )
    if gap.tagged_here and gap.tagged_here != r.times_seen:
        seen += f" ({times(gap.tagged_here)} in this session)"
    details = [f"Severity {gap.severity}", STATUS_WORDS.get(gap.status, inline(gap.status))]
    if gap.verdict:
        details.append(f"verdict: {inline(gap.verdict)}")
    lines = [head, f"  - {seen}", f"  - Weeks seen: {inline(compact_weeks(r.weeks))}"]
    lines.append(f"  - {' · '.join(details)}")
    if gap.description:
        lines.append(f"  - {inline(gap.description)}")
    return lines


def _ideas(ideas: Sequence[IdeaLine]) -> list[str]:
    lines = ["## Fix ideas", ""]
    if not ideas:
        return [*lines, "No fix ideas were recorded in this session.", ""]
    rows = [
        [
            str(idea.rank),
            f"{cell(idea.idea_id)} {cell(idea.text)}",
            cell(", ".join(idea.gap_ids)),
            str(idea.votes),
            score(idea.impact),
            score(idea.effort),
            "yes" if idea.picked else "",
        ]
        for idea in ideas
    ]
    headers = ["Rank", "Idea", "Gaps", "Votes", "Impact", "Effort", "Picked"]
    return [*lines, *table(headers, rows), "", "Impact and effort: 1 (low) to 3 (high).", ""]


def _actions(actions: Sequence[ActionLine]) -> list[str]:
    lines = ["## Actions", ""]
    if not actions:
        return [*lines, "No actions were committed or carried forward in this session.", ""]
    rows = []
    for action in actions:
        due = cell(action.due, "none")
        if action.overdue:
            due += " **(overdue)**"
        status = cell(action.status)
        if action.carried:
            status += f" (carried forward; committed {cell(action.committed_on)})"
        rows.append(
            [
                f"{cell(action.action_id)} {cell(action.title)}",
                cell(action.owner),
                due,
                status,
                cell(action.origin),
            ]
        )
    return [*lines, *table(["Action", "Owner", "Due", "Status", "Origin"], rows), ""]


def _story(story: StoryLine) -> list[str]:
    lines = ["## Story check", ""]
    if story.cohesion is not None:
        figure = f"- **Cohesion:** {story.cohesion:.0f}/100"
        if story.earlier:
            last_date, last = story.earlier[-1]
            change = round(story.cohesion) - round(last)
            trend = "up" if change > 0 else "down" if change < 0 else "no change"
            amount = f" {abs(change)}" if change else ""
            figure += f" ({trend}{amount} from {last:.0f} on {inline(last_date)})"
        lines.append(figure)
        if story.earlier:
            earlier = " · ".join(f"{inline(day)}: {value:.0f}" for day, value in story.earlier)
            lines.append(f"- **Earlier checks:** {earlier}")
    if story.shared_words:
        lines.append(f"- **Words the answers share:** {', '.join(inline(w) for w in story.shared_words)}")
    if story.answers:
        lines.append("- **Answers:**")
        lines += [f"  - {inline(name)}: {inline(answer)}" for name, answer in story.answers]
    return [*lines, ""]


def _footer(minutes: Minutes) -> list[str]:
    notes = []
    if minutes.redacted:
        notes.append(
            "Personal data in customer and team text is redacted "
            "(e-mail addresses, phone, card and account numbers, street addresses)."
        )
    if minutes.anonymised:
        notes.append("People are shown by their role.")
    notes.append("Gaps belong to the system, never to a person.")
    return [f"*{' '.join(notes)}*", ""]
