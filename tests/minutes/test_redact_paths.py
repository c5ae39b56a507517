"""Redaction and anonymisation in one place, on every path into a document (issue 13, points 4-5).

A session is built where every text field people type holds a marker e-mail address (and names
hold marked names); the Markdown and HTML minutes (the app's Minutes preview renders the same
Markdown) and the report must show none of them. A check on the domain classes keeps the list of
fields honest: a new text field must be marked here or named as not shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from listen.domain import (
    Action,
    Attendee,
    Clip,
    FixIdea,
    FollowUp,
    Gap,
    GapLink,
    Quote,
    RepView,
    Session,
    StoryCheck,
)
from listen.minutes import (
    MinutesOptions,
    ReportOptions,
    build_minutes,
    build_report,
    render_minutes,
    render_report,
)
from listen.minutes.anonymise import People
from listen.settings import Member, Settings
from listen.store import Store
from listen.workspace import Workspace

DAY = "2026-12-07"


def marker(field: str) -> str:
    return f"{field.replace('.', '-').replace('_', '-')}.secret@example.com"


# Text fields that a document never shows, or that hold only ids, dates, enum words or paths the
# program itself writes; every other str field of these classes is marked below.
NOT_TEXT = {
    "Clip.id", "Clip.sha256", "Clip.kind", "Clip.source", "Clip.media", "Clip.channel", "Clip.submitted_at",
    "Clip.status", "Clip.failure", "Clip.transcribed_at", "Gap.id", "Gap.status", "Gap.verdict",
    "Gap.created_at", "Gap.created_by", "Gap.merged_into", "GapLink.clip_id", "GapLink.session_id",
    "GapLink.linked_at", "FixIdea.id", "FixIdea.author", "FixIdea.session_id", "FixIdea.first_session_id",
    "FixIdea.created_at",
    "FollowUp.session_id", "FollowUp.outcome", "FollowUp.at", "Action.id", "Action.due", "Action.status",
    "Action.origin_kind", "Action.origin_id", "Action.session_id", "Action.created_at", "Action.closed_at",
    "Quote.clip_id", "Quote.marked_at", "StoryCheck.furthest", "Session.id", "Session.date",
    "Session.status", "Session.started_at", "Session.ended_at", "RepView.helped",
}  # fmt: skip
MARKED = {
    "Clip.title", "Clip.submitted_by", "RepView.note", "RepView.needed", "RepView.hard", "RepView.workaround",
    "Gap.category", "Gap.title", "Gap.description", "GapLink.quote", "FixIdea.text", "FollowUp.note",
    "Action.title", "Action.owner", "Attendee.name", "Attendee.role", "Quote.text", "Quote.speaker",
    "Quote.sender",
    "Session.facilitator", "Session.prompt_pack",
}  # fmt: skip
# Not plain text fields but marked too: Session.notes, StoryCheck.answers (names and answers),
# StoryCheck.shared_words.


def text_fields() -> set[str]:
    names = set()
    for cls in (Clip, RepView, Gap, GapLink, FixIdea, FollowUp, Action, Attendee, Quote, StoryCheck, Session):
        for f in dataclasses.fields(cls):
            if f.type in ("str", "str | None"):
                names.add(f"{cls.__name__}.{f.name}")
    return names


def test_every_text_field_is_marked_or_named_as_not_shown() -> None:
    assert text_fields() - (MARKED | NOT_TEXT) == set()  # a new text field: mark it or name it
    assert text_fields() >= MARKED


def build(store: Store) -> None:
    m = marker
    clip = Clip(
        id="c0ffee0001", sha256="0" * 64, kind="audio", title=m("Clip.title"), source="x.mp3",
        media="clips/x", byte_size=1, channel="phone", submitted_by=m("Clip.submitted_by"),
        submitted_at=f"{DAY}T08:00:00+00:00", status="transcribed", duration=60.0,
        rep_view=RepView(note=m("RepView.note"), needed=m("RepView.needed"), hard=m("RepView.hard"),
                         workaround=m("RepView.workaround"), helped="no"),
    )  # fmt: skip
    gap = Gap(
        id="G-1", category=m("Gap.category"), title=m("Gap.title"), description=m("Gap.description"),
        links=[GapLink(clip.id, DAY, 3.0, m("GapLink.quote"))],
    )  # fmt: skip
    idea = FixIdea(id="I-1", text=m("FixIdea.text"), gap_ids=["G-1"], session_id=DAY, picked=True)
    action = Action(
        id="A-1", title=m("Action.title"), owner=m("Action.owner"), due="2026-12-01", session_id="2026-11-30",
        origin_kind="idea", origin_id="I-1", follow_ups=[FollowUp(DAY, "carried", m("FollowUp.note"))],
    )  # fmt: skip
    fresh = Action(
        id="A-2", title=m("Action.title"), owner=m("Action.owner"), due="2026-12-24", session_id=DAY
    )
    earlier = Session(id="2026-11-30", date="2026-11-30", status="closed")
    session = Session(
        id=DAY, date=DAY, facilitator=m("Session.facilitator"),
        attendees=[Attendee(m("Attendee.name"), m("Attendee.role"))], prompt_pack=m("Session.prompt_pack"),
        clip_ids=[clip.id], quotes=[
            Quote(clip.id, 1.0, 2.0, m("Quote.text"), m("Quote.speaker")),
            Quote(clip.id, 3.0, 4.0, "the agent spoke", "agent", sender=m("Quote.sender")),
        ],
        notes=[m("Session.notes")],
        story_check=StoryCheck(answers={m("StoryCheck.name"): m("StoryCheck.answers")}, cohesion=40.0,
                               shared_words=[m("StoryCheck.shared_words")]),
        status="closed",
    )  # fmt: skip
    with store.transaction() as tx:
        for obj in (clip, gap, idea, action, fresh, earlier, session):
            tx.put(obj)


def documents(store: Store, settings: Settings, anonymise: bool) -> dict[str, str]:
    options = MinutesOptions(anonymise=anonymise, as_of=dt.date(2026, 12, 7))
    minutes = build_minutes(store, settings, DAY, options)
    report = build_report(store, settings, ReportOptions(today=dt.date(2026, 12, 31), anonymise=anonymise))
    return {
        "md": render_minutes(minutes, "md"),
        "html": render_minutes(minutes, "html"),
        "report": render_report(report, "md"),
        "report html": render_report(report, "html"),
    }


def test_no_marker_survives_in_minutes_or_report(workspace: Workspace) -> None:
    store = Store(workspace)
    build(store)
    for anonymise in (False, True):
        for name, page in documents(store, Settings(region="US"), anonymise).items():
            assert "secret@example" not in page, (name, anonymise)
            assert not re.search(r"\w@\w", page), (name, anonymise)
            assert "[email]" in page.replace("\\", ""), name  # the fields were shown, redacted


def test_redaction_can_be_turned_off_and_then_the_text_is_shown(workspace: Workspace) -> None:
    store = Store(workspace)
    build(store)
    minutes = build_minutes(store, Settings(), DAY, MinutesOptions(redact=False, as_of=dt.date(2026, 12, 7)))
    page = render_minutes(minutes, "md").replace("\\", "")
    shown = {f for f in MARKED if marker(f) in page}
    assert {"Clip.title", "Quote.text", "FixIdea.text", "Action.title", "Gap.description"} <= shown


# --------------------------------------------------------------------------- anonymise


def test_anonymise_replaces_every_form_of_a_name() -> None:
    people = People(
        ["Sam Okafor", "Ana Ruiz", "Eva Novak", "Will Turner"],
        {"Sam Okafor": "support", "Ana Ruiz": "billing"},
        anonymise=True,
    )
    cases = {
        "Sam Okafor said": "Support said",
        "ana called back": "Billing called back",
        "ANA RUIZ wrote": "Billing wrote",
        "Ruiz agreed": "Billing agreed",
        "Mrs. Novak and Ms Novak": "Member 1 and Member 1",
        "Sam  Okafor and sam\tokafor": "Support and Support",
        "Dr Ruiz": "Billing",
        "we will call; Will said so": "we will call; Member 2 said so",
    }
    assert {text: people.text(text) for text in cases} == cases
    assert people.name("sam  okafor") == "Support"
    assert people.name("Ana") == "Billing"


def test_anonymised_minutes_show_no_name_anywhere(workspace: Workspace) -> None:
    store = Store(workspace)
    names = ["Ana Ruiz", "Eva Novak"]
    clip = Clip(
        id="c0ffee0002", sha256="1" * 64, kind="audio", title="ana's refund call (Mrs. Novak listening)",
        source="x.mp3", media="clips/x", byte_size=1, channel="phone", submitted_by="Ana Ruiz",
        submitted_at=f"{DAY}T08:00:00+00:00", status="transcribed",
        rep_view=RepView(note="RUIZ escalated, novak approved"),
    )  # fmt: skip
    session = Session(
        id=DAY, date=DAY, facilitator="Eva  Novak", attendees=[Attendee(n) for n in names],
        clip_ids=[clip.id], quotes=[Quote(clip.id, 1.0, 2.0, "Ruiz: I asked Eva twice")], status="closed",
    )  # fmt: skip
    with store.transaction() as tx:
        tx.put(clip)
        tx.put(session)
    settings = Settings(members=(Member("Ana Ruiz", "support"), Member("Eva Novak", "lead")))
    for page in documents(store, settings, anonymise=True).values():
        assert not re.search(r"(?i)\b(?:ana|ruiz|eva|novak)\b", page), page
