"""Everything one session's minutes show, gathered from the store into plain, display-ready data.

``build_minutes`` reads the store once, applies redaction and anonymisation to every piece of
text that came from people (customers, reps, the team), and returns a frozen ``Minutes`` object.
Renderers (Markdown, HTML, the TUI's preview) only format and escape it; none of them sees a raw
name or unredacted text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from listen.domain import (
    Action,
    Clip,
    FixIdea,
    Gap,
    GapLink,
    Quote,
    Session,
    due_passed,
    merged_target,
    speaker_label,
)
from listen.errors import ListenError, NotFoundError
from listen.minutes.anonymise import People
from listen.minutes.privacy import Privacy
from listen.session.recurrence import GapRecurrence, Timeline, gap_recurrence
from listen.session.story import cohesion_trend
from listen.settings import Settings
from listen.store import View

NOT_DISCUSSED = "not-discussed"  # the follow-up outcome of an open action the session left undecided
STORY_TREND_LENGTH = 5  # earlier story checks shown next to this one


@dataclass(frozen=True)
class MinutesOptions:
    redact: bool = True
    anonymise: bool = False
    as_of: dt.date | None = None  # overdue is judged on this day; default: the session's date


@dataclass(frozen=True)
class PersonLine:
    name: str
    role: str  # empty when unknown or when anonymised (the name is then the role)


@dataclass(frozen=True)
class FollowUpLine:
    action_id: str
    title: str
    owner: str
    due: str | None
    outcome: str  # done / carried / dropped / not-discussed
    note: str
    overdue: bool


@dataclass(frozen=True)
class QuoteLine:
    start: float | None
    end: float | None
    speaker: str
    text: str


@dataclass(frozen=True)
class TaggedGap:
    gap_id: str
    category: str
    title: str
    at: float | None
    quote: str


@dataclass(frozen=True)
class RepViewLines:
    needed: str
    hard: str
    workaround: str
    helped: str
    note: str

    @property
    def empty(self) -> bool:
        return not (self.needed or self.hard or self.workaround or self.helped or self.note)


@dataclass(frozen=True)
class ClipSection:
    number: int
    clip_id: str
    title: str
    channel: str
    kind: str
    duration: float | None
    submitted_by: str
    rep_view: RepViewLines
    quotes: tuple[QuoteLine, ...]
    gaps: tuple[TaggedGap, ...]
    missing: bool = False  # the clip is no longer in the workspace


@dataclass(frozen=True)
class GapLine:
    gap_id: str
    category: str
    title: str
    description: str
    severity: int
    status: str
    verdict: str | None
    recurrence: GapRecurrence
    new: bool  # first seen in this session
    tagged_here: int  # links made in this session


@dataclass(frozen=True)
class CategoryGroup:
    category: str
    gaps: tuple[GapLine, ...]


@dataclass(frozen=True)
class IdeaLine:
    rank: int
    idea_id: str
    text: str
    gap_ids: tuple[str, ...]
    votes: int
    impact: int | None
    effort: int | None
    picked: bool


@dataclass(frozen=True)
class ActionLine:
    action_id: str
    title: str
    owner: str
    due: str | None
    status: str
    origin: str  # "idea I-3", "gap G-2" or "session"
    overdue: bool
    carried: bool  # committed in an earlier session and carried forward in this one
    committed_on: str  # ISO date


@dataclass(frozen=True)
class StoryLine:
    cohesion: float | None
    earlier: tuple[tuple[str, float], ...]  # (session date, cohesion), oldest first
    shared_words: tuple[str, ...]
    answers: tuple[tuple[str, str], ...]  # (person, answer)


@dataclass(frozen=True)
class Counts:
    clips: int
    quotes: int
    gaps: int
    new_gaps: int
    recurring_gaps: int
    ideas: int
    picked_ideas: int
    actions: int
    followed_up: int
    done: int
    carried: int
    dropped: int


@dataclass(frozen=True)
class Minutes:
    session_id: str
    date: str
    title: str
    prompt_pack: str
    status: str
    facilitator: str
    attendees: tuple[PersonLine, ...]
    duration_seconds: float | None
    counts: Counts
    recurring: tuple[GapLine, ...]
    follow_ups: tuple[FollowUpLine, ...]
    clips: tuple[ClipSection, ...]
    gap_groups: tuple[CategoryGroup, ...]
    ideas: tuple[IdeaLine, ...]
    actions: tuple[ActionLine, ...]
    story: StoryLine | None
    redacted: bool
    anonymised: bool
    notes: tuple[str, ...] = ()  # the session's own notes ("a note for the minutes"), in order


# --------------------------------------------------------------------------- reading


def resolve_session(store: View, session_ref: str | None) -> Session:
    """A session by id, or the latest one for None / "latest"."""
    if session_ref is None or session_ref == "latest":
        session = store.latest_session()
        if session is None:
            raise ListenError("no sessions yet: run a listening session in the app first")
        return session
    try:
        return store.session(session_ref)
    except NotFoundError:
        raise NotFoundError(f"{session_ref}: no such session") from None


def gap_targets(gaps: Iterable[Gap]) -> dict[str, str]:
    """Each gap's id -> the id of the gap it resolves to (``domain.merged_target``); gaps whose
    merge chain is broken are left out."""
    by_id = {gap.id: gap for gap in gaps}
    targets = {}
    for gap in by_id.values():
        target = merged_target(gap, by_id.get)
        if target is not None:
            targets[gap.id] = target.id
    return targets


def fold_merged(gaps: Iterable[Gap]) -> list[Gap]:
    """Gaps that were not merged away, each holding the links of the gaps merged into it."""
    by_id = {gap.id: gap for gap in gaps}
    kept = {gid: g for gid, g in by_id.items() if g.merged_into is None}
    copied: set[str] = set()
    targets = gap_targets(by_id.values())
    for gap in by_id.values():
        if gap.merged_into is None:
            continue
        target = targets.get(gap.id)
        if target is None or target not in kept:
            continue
        if target not in copied:  # never change the caller's objects
            kept[target] = dataclasses.replace(kept[target], links=list(kept[target].links))
            copied.add(target)
        into = kept[target]
        known = {link.key for link in into.links}
        for link in gap.links:
            if link.key not in known:
                into.links.append(link)
                known.add(link.key)
    return list(kept.values())


def natural_key(identifier: str) -> tuple[str, int, str]:
    """'G-10' sorts after 'G-9'."""
    match = re.match(r"^(.*?)(\d+)$", identifier)
    if match:
        return (match.group(1), int(match.group(2)), identifier)
    return (identifier, -1, identifier)


# --------------------------------------------------------------------------- building


def build_minutes(
    store: View,
    settings: Settings,
    session_ref: str | None = None,
    options: MinutesOptions | None = None,
) -> Minutes:
    """Gather the minutes of one session (by id, or the latest for None / "latest")."""
    options = options or MinutesOptions(redact=settings.redact, anonymise=settings.anonymise)
    session = resolve_session(store, session_ref)
    if session.status == "closed":  # the record of that day, not today's gaps and actions
        from listen.minutes.record import frozen_source

        store, settings = frozen_source(store, settings, session)
        session = store.session(session.id)
        options = dataclasses.replace(options, as_of=None)  # overdue as on that day, not today
    sessions = store.sessions()
    timeline = Timeline(sessions, upto=session.id)
    gaps = fold_merged(store.gaps(include_merged=True))
    actions = store.actions()
    ideas = store.ideas(session.id)
    as_of = options.as_of or dt.date.fromisoformat(session.date)

    clip_order = ordered_clips(session, gaps)
    clips = {clip_id: _find_clip(store, clip_id) for clip_id in clip_order}
    follow_ups = _follow_ups(session, actions) + _not_discussed(session, actions, sessions)
    table_actions = _table_actions(session, actions)

    people = _people(settings, session, clips.values(), follow_ups, table_actions, options)
    text = Privacy(people, redacting=options.redact, region=settings.region)

    session_dates = {s.id: s.date for s in sessions}
    here_gaps = [g for g in gaps if any(link.session_id == session.id for link in g.links)]
    gap_lines = {g.id: _gap_line(g, session, timeline, text) for g in here_gaps}
    groups = _group_gaps(gap_lines.values(), settings.gap_categories)
    recurring = tuple(
        sorted(
            (line for line in gap_lines.values() if line.recurrence.recurring),
            key=lambda line: (-line.recurrence.longest_run, natural_key(line.gap_id)),
        )
    )
    follow_lines = tuple(_follow_up_line(a, outcome, note, as_of, text) for a, outcome, note in follow_ups)
    tags_by_clip: dict[str, list[tuple[Gap, GapLink]]] = {}
    for gap in here_gaps:
        for link in gap.links:
            if link.session_id == session.id and link.clip_id:
                tags_by_clip.setdefault(link.clip_id, []).append((gap, link))
    quotes_by_clip: dict[str, list[Quote]] = {}
    for quote in session.quotes:
        quotes_by_clip.setdefault(quote.clip_id, []).append(quote)
    clip_sections = tuple(
        _clip_section(
            i, clip_id, clips[clip_id], quotes_by_clip.get(clip_id, []), tags_by_clip.get(clip_id, []), text
        )
        for i, clip_id in enumerate(clip_order, start=1)
    )
    idea_lines = _idea_lines(ideas, text)
    action_lines = tuple(_action_line(a, carried, as_of, session_dates, text) for a, carried in table_actions)
    counts = Counts(
        clips=len(clip_sections),
        quotes=sum(len(c.quotes) for c in clip_sections),
        gaps=len(gap_lines),
        new_gaps=sum(1 for line in gap_lines.values() if line.new),
        recurring_gaps=len(recurring),
        ideas=len(idea_lines),
        picked_ideas=sum(1 for idea in idea_lines if idea.picked),
        actions=sum(1 for line in action_lines if not line.carried),
        followed_up=sum(1 for f in follow_lines if f.outcome != NOT_DISCUSSED),
        done=sum(1 for f in follow_lines if f.outcome == "done"),
        carried=sum(1 for f in follow_lines if f.outcome == "carried"),
        dropped=sum(1 for f in follow_lines if f.outcome == "dropped"),
    )
    return Minutes(
        session_id=session.id,
        date=session.date,
        title=f"Listening session — {session.date}",
        prompt_pack=text(session.prompt_pack),
        status=session.status,
        facilitator=text.name(session.facilitator),
        attendees=tuple(
            PersonLine(text.name(a.name), "" if options.anonymise else text(a.role))
            for a in session.attendees
        ),
        duration_seconds=_duration(session),
        counts=counts,
        recurring=recurring,
        follow_ups=follow_lines,
        clips=clip_sections,
        gap_groups=groups,
        ideas=idea_lines,
        actions=action_lines,
        story=_story(session, timeline, text),
        redacted=options.redact,
        anonymised=options.anonymise,
        notes=tuple(text(note) for note in session.notes if note.strip()),
    )


def _find_clip(store: View, clip_id: str) -> Clip | None:
    try:
        clip = store.clip(clip_id)
    except NotFoundError:
        return None
    return clip if clip.id == clip_id.strip().lower() else None  # never another clip by prefix


def ordered_clips(session: Session, gaps: Sequence[Gap]) -> list[str]:
    """The clips played, then any clip quoted or tagged in the session but not in its list."""
    order = dict.fromkeys(session.clip_ids)
    for quote in session.quotes:
        order.setdefault(quote.clip_id, None)
    for gap in gaps:
        for link in gap.links:
            if link.session_id == session.id and link.clip_id:
                order.setdefault(link.clip_id, None)
    return list(order)


def _follow_ups(session: Session, actions: Sequence[Action]) -> list[tuple[Action, str, str]]:
    found: list[tuple[Action, str, str]] = []
    for action in actions:
        mine = [f for f in action.follow_ups if f.session_id == session.id]
        if mine:
            last = mine[-1]  # the room may change its mind; the last word stands
            found.append((action, last.outcome, last.note))
    found.sort(key=lambda item: (item[0].due or "9999", natural_key(item[0].id)))
    return found


def _not_discussed(
    session: Session, actions: Sequence[Action], sessions: Sequence[Session]
) -> list[tuple[Action, str, str]]:
    """Actions still open when this session met (committed in an earlier one, not closed by then)
    that it made no decision about: the minutes list them as "not discussed"."""
    dates = {s.id: s.date for s in sessions}
    found: list[tuple[Action, str, str]] = []
    for action in actions:
        committed = dates.get(action.session_id or "", action.created_at[:10])
        if committed >= session.date or any(f.session_id == session.id for f in action.follow_ups):
            continue
        closed_before = any(
            f.outcome != "carried" and dates.get(f.session_id, "9999") < session.date
            for f in action.follow_ups
        )
        closed_outside = (
            action.status != "open" and not action.follow_ups and (action.closed_at or "") < session.date
        )
        if not (closed_before or closed_outside):
            found.append((action, NOT_DISCUSSED, ""))
    found.sort(key=lambda item: (item[0].due or "9999", natural_key(item[0].id)))
    return found


def _table_actions(session: Session, actions: Sequence[Action]) -> list[tuple[Action, bool]]:
    """Actions carried forward in this session, then those committed in it."""
    carried = [
        a
        for a in actions
        if a.session_id != session.id
        and any(f.session_id == session.id and f.outcome == "carried" for f in a.follow_ups)
    ]
    committed = [a for a in actions if a.session_id == session.id]
    carried.sort(key=lambda a: (a.due or "9999", natural_key(a.id)))
    committed.sort(key=lambda a: (a.created_at, natural_key(a.id)))
    return [(a, True) for a in carried] + [(a, False) for a in committed]


def _people(
    settings: Settings,
    session: Session,
    clips: Iterable[Clip | None],
    follow_ups: Sequence[tuple[Action, str, str]],
    table_actions: Sequence[tuple[Action, bool]],
    options: MinutesOptions,
) -> People:
    roles = {m.name.strip(): m.role for m in settings.members if m.role}
    roles.update({a.name.strip(): a.role for a in session.attendees if a.role})
    submitters = [clip.submitted_by for clip in clips if clip is not None]
    names: list[str] = [session.facilitator, *(a.name for a in session.attendees), *submitters]
    names += [a.owner for a, _, _ in follow_ups]
    names += [a.owner for a, _ in table_actions]
    if session.story_check:
        names += list(session.story_check.answers)
    names += [m.name for m in settings.members]
    return People(names, roles, reps=submitters, anonymise=options.anonymise)


def _duration(session: Session) -> float | None:
    if session.duration_seconds > 0:
        return session.duration_seconds
    if session.ended_at:
        try:
            start = dt.datetime.fromisoformat(session.started_at)
            end = dt.datetime.fromisoformat(session.ended_at)
        except ValueError:
            return None
        seconds = (end - start).total_seconds()
        return seconds if seconds > 0 else None
    return None


def _follow_up_line(action: Action, outcome: str, note: str, as_of: dt.date, text: Privacy) -> FollowUpLine:
    return FollowUpLine(
        action_id=action.id,
        title=text(action.title),
        owner=text.name(action.owner),
        due=action.due,
        outcome=outcome,
        note=text(note),
        overdue=outcome in ("carried", NOT_DISCUSSED) and due_passed(action.due, as_of),
    )


def _clip_section(
    number: int,
    clip_id: str,
    clip: Clip | None,
    quotes: Sequence[Quote],
    tags: Sequence[tuple[Gap, GapLink]],
    text: Privacy,
) -> ClipSection:
    """One clip heard: its facts, the rep's view, its quotes and the gaps tagged on it here."""
    ordered = ordered_quotes(quotes)
    tagged = [
        TaggedGap(gap.id, text(gap.category), text(gap.title), link.at, text(link.quote))
        for gap, link in tags
    ]
    tagged.sort(key=lambda t: (t.at is None, t.at or 0.0, natural_key(t.gap_id)))
    quote_lines = tuple(
        QuoteLine(q.start, q.end, _speaker(q.speaker, q.sender, text), text(q.text)) for q in ordered
    )
    if clip is None:
        return ClipSection(
            number, clip_id, f"Clip {clip_id}", "", "", None, "",
            RepViewLines("", "", "", "", ""), quote_lines, tuple(tagged), missing=True,
        )  # fmt: skip
    view = clip.rep_view
    return ClipSection(
        number=number,
        clip_id=clip.id,
        title=text(clip.title),
        channel=clip.channel,
        kind=clip.kind,
        duration=clip.duration,
        submitted_by=text.name(clip.submitted_by),
        rep_view=RepViewLines(
            needed=text(view.needed),
            hard=text(view.hard),
            workaround=text(view.workaround),
            helped=(view.helped or "").capitalize(),
            note=text(view.note),
        ),
        quotes=quote_lines,
        gaps=tuple(tagged),
    )


def ordered_quotes(quotes: Iterable[Quote]) -> list[Quote]:
    """A clip's quotes in the order its minutes list them: by time, untimed (text clips) last."""
    return sorted(quotes, key=lambda q: (q.start is None, q.start or 0.0, q.marked_at))


def minutes_people(store: View, settings: Settings, session: Session, options: MinutesOptions) -> People:
    """The people ``build_minutes`` names (or labels by role) for ``session``: the audio quotes
    bleep the same names the text replaces."""
    gaps = fold_merged(store.gaps(include_merged=True))
    actions = store.actions()
    clips = [_find_clip(store, clip_id) for clip_id in ordered_clips(session, gaps)]
    follow_ups = _follow_ups(session, actions) + _not_discussed(session, actions, store.sessions())
    return _people(settings, session, clips, follow_ups, _table_actions(session, actions), options)


def _speaker(speaker: str | None, sender: str | None, text: Privacy) -> str:
    """Who said a quote: "Customer", "Agent", "Agent (Sam)" (the team member's name as the
    minutes show people: a role when anonymised), or the name the thread gave (redacted as all
    text). A customer's own name stays out: the minutes are about the system, not the customer."""
    role = (speaker or "").lower()
    if role == "agent" and sender and sender.strip().casefold() != role:
        return speaker_label(role, text.name(sender))
    if role in ("agent", "customer"):
        return role.capitalize()
    return text(speaker or sender)


def _gap_line(gap: Gap, session: Session, timeline: Timeline, text: Privacy) -> GapLine:
    recurrence = gap_recurrence(gap, timeline)
    first_session = recurrence.session_ids[0] if recurrence.session_ids else None
    return GapLine(
        gap_id=gap.id,
        category=text(gap.category),
        title=text(gap.title),
        description=text(gap.description),
        severity=gap.severity,
        status=gap.status,
        verdict=gap.verdict,
        recurrence=recurrence,
        new=first_session == session.id and recurrence.first_seen >= session.date,
        tagged_here=sum(1 for link in gap.links if link.session_id == session.id),
    )


def _group_gaps(lines: Iterable[GapLine], categories: Sequence[str]) -> tuple[CategoryGroup, ...]:
    by_category: dict[str, list[GapLine]] = {}
    for line in lines:
        by_category.setdefault(line.category, []).append(line)
    known = [c for c in categories if c in by_category]
    others = sorted(c for c in by_category if c not in categories)
    groups = []
    for category in [*known, *others]:
        members = sorted(
            by_category[category],
            key=lambda g: (
                not g.recurrence.recurring,
                -g.recurrence.times_seen,
                -g.severity,
                natural_key(g.gap_id),
            ),
        )
        groups.append(CategoryGroup(category, tuple(members)))
    return tuple(groups)


def _idea_lines(ideas: Sequence[FixIdea], text: Privacy) -> tuple[IdeaLine, ...]:
    ordered = sorted(
        ideas,
        key=lambda i: (-i.vote_count, -(i.impact or 0), i.effort or 9, i.created_at, natural_key(i.id)),
    )
    lines: list[IdeaLine] = []
    rank = 0
    previous_votes: int | None = None
    for position, idea in enumerate(ordered, start=1):
        if idea.vote_count != previous_votes:  # equal votes share a rank (1, 2, 2, 4)
            rank = position
            previous_votes = idea.vote_count
        lines.append(
            IdeaLine(
                rank=rank,
                idea_id=idea.id,
                text=text(idea.text),
                gap_ids=tuple(sorted(idea.gap_ids, key=natural_key)),
                votes=idea.vote_count,
                impact=idea.impact,
                effort=idea.effort,
                picked=idea.picked,
            )
        )
    return tuple(lines)


def _action_line(
    action: Action,
    carried: bool,
    as_of: dt.date,
    session_dates: dict[str, str],
    text: Privacy,
) -> ActionLine:
    if action.origin_kind in ("idea", "gap") and action.origin_id:
        origin = f"{action.origin_kind} {action.origin_id}"
    else:
        origin = "session"
    committed_on = session_dates.get(action.session_id or "", action.created_at[:10])
    return ActionLine(
        action_id=action.id,
        title=text(action.title),
        owner=text.name(action.owner),
        due=action.due,
        status=action.status,
        origin=origin,
        overdue=action.is_overdue(as_of),
        carried=carried,
        committed_on=committed_on,
    )


def _story(session: Session, timeline: Timeline, text: Privacy) -> StoryLine | None:
    check = session.story_check
    if check is None or (check.cohesion is None and not check.answers):
        return None
    earlier = cohesion_trend(s for s in timeline.sessions if s.id != session.id)
    return StoryLine(
        cohesion=check.cohesion,
        earlier=tuple(earlier[-STORY_TREND_LENGTH:]),
        shared_words=tuple(text(w) for w in check.shared_words),
        answers=tuple((text.name(name), text(answer)) for name, answer in check.answers.items()),
    )
