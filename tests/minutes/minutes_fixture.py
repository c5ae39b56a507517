"""A full, deterministic team history built through the store API (tx.put of domain objects).

Five weekly sessions, 2026-10-26 .. 2026-11-23; the last one ("2026-11-23") is the session whose
minutes the golden files hold. Customer text carries personal data the minutes must redact.
"""

from __future__ import annotations

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
from listen.settings import Member, Settings
from listen.store import Store

SESSION_DATES = ("2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23")
MAIN = "2026-11-23"

SETTINGS = Settings(
    members=(
        Member("Ana Lima", "support lead"),
        Member("Ben Okafor", "support"),
        Member("Chloé Martin", "owner"),
        Member("Dev Patel", "billing"),
        Member("Eli Brown", "support"),
    )
)

ATTENDEES = [
    Attendee("Ana Lima", "support lead"),
    Attendee("Ben Okafor", "support"),
    Attendee("Chloé Martin", "owner"),
    Attendee("Dev Patel", "billing"),
]


def at(day: str, hhmm: str = "10:00") -> str:
    return f"{day}T{hhmm}:00+00:00"


def clip(
    clip_id: str,
    title: str,
    *,
    channel: str = "phone",
    by: str = "Ben Okafor",
    day: str = MAIN,
    duration: float | None = 192.4,
    view: RepView | None = None,
) -> Clip:
    kind = "audio" if duration is not None else "text"
    return Clip(
        id=clip_id,
        sha256=clip_id * 6 + "0" * 4,
        kind=kind,  # type: ignore[arg-type]
        title=title,
        source=f"{clip_id}.{'mp3' if kind == 'audio' else 'eml'}",
        media=f"clips/{clip_id}/original",
        byte_size=1000,
        channel=channel,  # type: ignore[arg-type]
        submitted_by=by,
        submitted_at=at(day, "08:00"),
        status="transcribed",
        duration=duration,
        rep_view=view or RepView(),
        has_transcript=False,
    )


def link(
    clip_id: str | None, session_id: str | None, seconds: float | None = None, quote: str | None = None
) -> GapLink:
    day = session_id or MAIN
    return GapLink(
        clip_id=clip_id, session_id=session_id, at=seconds, quote=quote, linked_at=at(day[:10], "10:30")
    )


def session(day: str, clip_ids: list[str], **extra: object) -> Session:
    return Session(
        id=day,
        date=day,
        facilitator="Ana Lima",
        attendees=list(ATTENDEES),
        clip_ids=clip_ids,
        step_index=7,
        step_seconds={
            "stage": 300.0,
            "follow-up": 290.0,
            "listen": 1500.0,
            "ideas": 600.0,
            "decide": 540.0,
            "commit": 300.0,
        },
        status="closed",
        started_at=at(day, "09:00"),
        ended_at=at(day, "09:59"),
        **extra,  # type: ignore[arg-type]
    )


def build_history(store: Store) -> None:
    """Everything the golden minutes show, written in one transaction."""
    s1, s2, s3, s4, s5 = SESSION_DATES
    clips = [
        # earlier sessions
        clip("a1a1a1a1a1", "Refund asked after 20 days", day=s1, by="Eli Brown"),
        clip("a2a2a2a2a2", "Customer could not find the refund form", day=s2, channel="web", duration=None),
        clip("a3a3a3a3a3", "Refund refused at day 16", day=s3, by="Eli Brown"),
        clip("a4a4a4a4a4", "Partial refund confusion", day=s4, channel="chat", duration=None),
        # the main session
        clip(
            "b1b1b1b1b1",
            "Double charge after the plan change",
            view=RepView(
                needed="A refund of the second charge before the weekend",
                hard="The billing screen shows one payment; the bank shows two. "
                "She read her card 4111 1111 1111 1111 out twice.",
                workaround="Asked Dev to check the processor log; promised a call back on "
                "five five five, two one three, four four seven seven",
                helped="partly",
                note="Customer was calm but worried about rent. Ben stayed on the line 25 minutes.",
            ),
        ),
        clip(
            "b2b2b2b2b2",
            "Where is my refund? (e-mail thread)",
            channel="email",
            by="Eli Brown",
            duration=None,
            view=RepView(
                needed="To know when the refund arrives",
                hard="Refunds older than 14 days need a manager; no manager on Fridays",
                helped="no",
                note="Reply to m.garcia@example.com; IBAN GB82 WEST 1234 5698 7654 32 given for a transfer",
            ),
        ),
        clip(
            "b3b3b3b3b3",
            "Can't log in after password reset",
            channel="chat",
            duration=None,
            view=RepView(
                needed="Access to the account", helped="yes", workaround="Sent a magic link by hand"
            ),
        ),
    ]
    gaps = [
        Gap(
            id="G-1",
            category="Policy",
            title="Refund window is 14 days; customers expect 30",
            description="Most refund calls arrive between day 15 and day 30.",
            severity=3,
            verdict="rephrase",
            created_at=at(s2, "09:20"),
            links=[
                link("a2a2a2a2a2", s2),
                link("a3a3a3a3a3", s3, 41.0),
                link("a4a4a4a4a4", s4),
                link("b2b2b2b2b2", s5, None, "Refunds older than 14 days need a manager"),
            ],
        ),
        Gap(
            id="G-2",
            category="Tool",
            title="Billing screen hides duplicate charges",
            description="The processor shows both charges; our billing screen merges them.",
            severity=2,
            created_at=at(s1, "09:30"),
            links=[
                link("a1a1a1a1a1", s1, 12.0),
                link("a3a3a3a3a3", s3, 80.5),
                link("b1b1b1b1b1", s5, 62.0, "I was charged twice"),
            ],
        ),
        Gap(
            id="G-3",
            category="Procedure",
            title="No manager cover for refund approvals on Fridays",
            severity=2,
            created_at=at(s5, "09:35"),
            links=[link("b2b2b2b2b2", s5)],
        ),
        Gap(
            id="G-4",
            category="Knowledge",
            title="Reps don't know the magic-link fallback",
            description="Only two people know how to send one by hand.",
            severity=1,
            created_at=at(s5, "09:40"),
            links=[link("b3b3b3b3b3", s5, None, "I tried the reset link three times")],
        ),
        Gap(
            id="G-5",
            category="Policy",
            title="Card details read aloud on calls",
            severity=3,
            verdict="eliminate",
            created_at=at(s4, "09:40"),
            links=[link("a4a4a4a4a4", s4), link("b1b1b1b1b1", s5, 95.0)],
        ),
        # merged into G-1 in an earlier week: its links count for G-1
        Gap(
            id="G-6",
            category="Policy",
            title="Refund period too short",
            created_at=at(s1, "09:45"),
            merged_into="G-1",
            links=[link("a1a1a1a1a1", s1, 30.0)],
        ),
    ]
    ideas = [
        FixIdea(
            id="I-1",
            text="Extend the refund window to 30 days",
            gap_ids=["G-1"],
            author="Chloé Martin",
            session_id=s5,
            votes={"Ana Lima": 1, "Ben Okafor": 1, "Chloé Martin": 1, "Dev Patel": 1},
            impact=3,
            effort=1,
            picked=True,
            created_at=at(s5, "09:42"),
        ),
        FixIdea(
            id="I-2",
            text="Show each processor charge on the billing screen",
            gap_ids=["G-2"],
            author="Dev Patel",
            session_id=s5,
            votes={"Ana Lima": 1, "Dev Patel": 1},
            impact=3,
            effort=2,
            picked=True,
            created_at=at(s5, "09:43"),
        ),
        FixIdea(
            id="I-3",
            text="Take card numbers through the payment link only",
            gap_ids=["G-5"],
            author="Ben Okafor",
            session_id=s5,
            votes={"Ben Okafor": 1, "Chloé Martin": 1},
            impact=2,
            effort=2,
            created_at=at(s5, "09:44"),
        ),
        FixIdea(
            id="I-4",
            text="One-page guide: the magic-link fallback",
            gap_ids=["G-4"],
            author="Ana Lima",
            session_id=s5,
            votes={},
            impact=1,
            effort=1,
            created_at=at(s5, "09:45"),
        ),
    ]
    actions = [
        Action(
            id="A-1",
            title="Publish the refund FAQ",
            owner="Ben Okafor",
            due="2026-11-20",
            status="done",
            origin_kind="gap",
            origin_id="G-1",
            session_id=s4,
            created_at=at(s4, "09:50"),
            closed_at=at(s5, "09:05"),
            follow_ups=[FollowUp(s5, "done", "Live on the help centre since Thursday", at(s5, "09:05"))],
        ),
        Action(
            id="A-2",
            title="Ask the processor for a duplicate-charge report",
            owner="Dev Patel",
            due="2026-11-18",
            origin_kind="gap",
            origin_id="G-2",
            session_id=s3,
            created_at=at(s3, "09:50"),
            follow_ups=[
                FollowUp(s4, "carried", "Waiting for their support", at(s4, "09:06")),
                FollowUp(s5, "carried", "They replied; report due next week", at(s5, "09:06")),
            ],
        ),
        Action(
            id="A-3",
            title="Record a hold-music message about refunds",
            owner="Ana Lima",
            due="2026-11-30",
            status="dropped",
            origin_kind="session",
            session_id=s4,
            created_at=at(s4, "09:51"),
            closed_at=at(s5, "09:07"),
            follow_ups=[FollowUp(s5, "dropped", "The refund FAQ covers it", at(s5, "09:07"))],
        ),
        Action(
            id="A-4",
            title="Propose a 30-day refund window to the owner",
            owner="Chloé Martin",
            due="2026-12-07",
            origin_kind="idea",
            origin_id="I-1",
            session_id=s5,
            created_at=at(s5, "09:52"),
        ),
        Action(
            id="A-5",
            title="Ticket: list every processor charge on the billing screen",
            owner="Dev Patel",
            due="2026-12-14",
            origin_kind="idea",
            origin_id="I-2",
            session_id=s5,
            created_at=at(s5, "09:53"),
        ),
    ]
    sessions = [
        session(s1, ["a1a1a1a1a1"], story_check=StoryCheck(cohesion=58.0)),
        session(s2, ["a2a2a2a2a2"]),
        session(s3, ["a3a3a3a3a3"], story_check=StoryCheck(cohesion=64.4)),
        session(s4, ["a4a4a4a4a4"]),
        session(
            s5,
            ["b1b1b1b1b1", "b2b2b2b2b2", "b3b3b3b3b3"],
            quotes=[
                Quote(
                    "b1b1b1b1b1",
                    62.0,
                    66.5,
                    "I was charged twice and my rent is due Monday",
                    "customer",
                    at(s5, "09:20"),
                ),
                Quote(
                    "b1b1b1b1b1",
                    14.2,
                    18.0,
                    "You can call me back on +44 20 7946 0958",
                    "customer",
                    at(s5, "09:19"),
                ),
                Quote("b1b1b1b1b1", 130.0, 133.0, "Let me check that with Dev", "agent", at(s5, "09:21")),
                Quote(
                    "b2b2b2b2b2",
                    None,
                    None,
                    "It has been 16 days. Please write to m.garcia@example.com",
                    None,
                    at(s5, "09:25"),
                ),
            ],
            notes=[
                "Chloé will take the refund window to the owners' meeting on Friday.",
                "Dev asks reps to forward duplicate-charge e-mails to dev.patel@example.com",
            ],
            story_check=StoryCheck(
                answers={
                    "Ana Lima": "We answer on the first call, every time.",
                    "Ben Okafor": "A human who answers on the first call.",
                    "Chloé Martin": "Refunds without a fight.",
                },
                cohesion=71.6,
                shared_words=["answer", "first", "call"],
                furthest="Chloé Martin",
            ),
        ),
    ]
    with store.transaction() as tx:
        for obj in [*clips, *gaps, *ideas, *actions, *sessions]:
            tx.put(obj)


# --------------------------------------------------------------------------- hostile content

LONG_LINE = ("word *em* _u_ [l](http://u) <b>x</b> | cell | `c` \\ # " * 200)[:10_000]

HOSTILE = (
    "# Heading",
    "| a | b |\n|---|---|\n| c | d |",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![i](http://x/i.png)",
    "`code` and ```fence```",
    "---",
    "1. item",
    "> quote",
    "    indented code",
    "Setext\n===",
    "~~~\nfenced\n~~~",
    "<http://autolink.example> www.example.com",
    "&lt;b&gt; &amp; &#60;",
    "line one\n\n- list\n+ plus\n* star",
    "trailing backslash \\",
    "<img src=x onerror=alert(1)>",
    "[ref]: http://evil.example\n[ref]",
    "**bold** *em* __u__ ~~strike~~",
    "###### six #",
    LONG_LINE,
)
HOSTILE_DAY = "2026-12-07"
HOSTILE_EARLIER = "2026-11-30"


def hostile(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def build_hostile(store: Store) -> None:
    """A session whose every piece of people's text is hostile Markdown/HTML."""
    h = hostile
    names = [h(2), h(3), h(16)]  # attendee names are typed by people too
    clips = [
        Clip(
            id=f"c{i}c{i}c{i}c{i}c{i}",
            sha256=f"{i}" * 64,
            kind="audio",
            title=h(i),
            source="x.mp3",
            media="clips/x",
            byte_size=1,
            channel="phone",
            submitted_by=h(i + 3),
            submitted_at=at(HOSTILE_DAY, "08:00"),
            status="transcribed",
            duration=61.0,
            rep_view=RepView(needed=h(i + 1), hard=h(i + 2), workaround=h(i + 4), helped="no", note=h(i + 5)),
        )
        for i in range(len(HOSTILE))
    ]
    gaps = [
        Gap(
            id=f"G-{i + 1}",
            category=h(i),
            title=h(i + 1),
            description=h(i + 2),
            created_at=at(HOSTILE_DAY, "09:00"),
            links=[
                GapLink(clips[i].id, HOSTILE_DAY, 10.0 + i, h(i + 3), at(HOSTILE_DAY, "09:10")),
                GapLink(clips[i].id, HOSTILE_EARLIER, None, None, at(HOSTILE_EARLIER, "09:10")),
            ],
        )
        for i in range(len(HOSTILE))
    ]
    ideas = [
        FixIdea(
            id=f"I-{i + 1}",
            text=h(i),
            gap_ids=[f"G-{i + 1}"],
            session_id=HOSTILE_DAY,
            votes={names[0]: i % 3},
            impact=1 + i % 3,
            effort=1 + (i + 1) % 3,
            picked=i % 2 == 0,
            created_at=at(HOSTILE_DAY, "09:30"),
        )
        for i in range(len(HOSTILE))
    ]
    actions = [
        Action(
            id=f"A-{i + 1}",
            title=h(i),
            owner=h(i + 6),
            due="2026-12-01" if i % 2 else "2026-12-31",
            origin_kind="idea",
            origin_id=f"I-{i + 1}",
            session_id=HOSTILE_EARLIER if i % 3 == 0 else HOSTILE_DAY,
            created_at=at(HOSTILE_DAY, "09:40"),
            follow_ups=(
                [
                    FollowUp(
                        HOSTILE_DAY,
                        ("done", "carried", "dropped")[(i // 3) % 3],
                        h(i + 7),
                        at(HOSTILE_DAY, "09:05"),
                    )
                ]  # type: ignore[arg-type]
                if i % 3 == 0
                else []
            ),
        )
        for i in range(len(HOSTILE))
    ]
    sessions = [
        Session(
            id=HOSTILE_EARLIER,
            date=HOSTILE_EARLIER,
            facilitator=names[0],
            status="closed",
            started_at=at(HOSTILE_EARLIER, "09:00"),
        ),
        Session(
            id=HOSTILE_DAY,
            date=HOSTILE_DAY,
            facilitator=names[0],
            attendees=[Attendee(name, h(i + 8)) for i, name in enumerate(names)],
            prompt_pack=h(9),
            clip_ids=[c.id for c in clips],
            quotes=[
                Quote(c.id, 5.0, 6.0, h(i + 9), h(i + 10), at(HOSTILE_DAY, "09:20"))
                for i, c in enumerate(clips)
            ],
            notes=[h(i + 14) for i in range(len(HOSTILE))],
            story_check=StoryCheck(
                answers={name: h(i + 11) for i, name in enumerate(names)},
                cohesion=50.0,
                shared_words=[h(12), h(13)],
            ),
            status="closed",
            started_at=at(HOSTILE_DAY, "09:00"),
        ),
    ]
    with store.transaction() as tx:
        for obj in [*clips, *gaps, *ideas, *actions, *sessions]:
            tx.put(obj)
