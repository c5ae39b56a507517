"""A small, deterministic workspace for the app's tests, built through the real store and service.

Fixed dates everywhere a screen shows one: the clips' submission times, the past session, the due
dates. The app under test gets a clock fixed at ``TODAY`` (a Monday), so nothing moves between runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from contextlib import asynccontextmanager
from pathlib import Path

from listen.domain import RepView
from listen.ingest.submit import submit_file
from listen.session import service
from listen.settings import load_settings
from listen.store import Store
from listen.tui.clock import Clock
from listen.workspace import Workspace, resolve_workspace

TODAY = dt.date(2026, 11, 23)
LAST_WEEK = "2026-11-16"
FIXED_NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

SETTINGS_TOML = """\
prompt_pack = "weekly"

[[members]]
name = "Ana"
role = "support lead"

[[members]]
name = "Ben"
role = "support"

[[members]]
name = "Chloe"
role = "operations"
"""

CLIPS = {
    "refund-email.txt": (
        "Refund took three weeks",
        "Ben",
        "email",
        """Customer: I returned the blender on the 2nd and I still have no refund.

Customer: Every time I call I am told it takes 5 to 10 days. It has been three weeks.

Agent: I am sorry. The refund tool only lets me see the warehouse scan, not the payment status.

Agent: I raised a ticket with finance and promised a call back by Friday.""",
        RepView(
            needed="their refund",
            hard="no payment status in the refund tool",
            workaround="ticket to finance",
            helped="partly",
        ),
    ),
    "delivery-chat.txt": (
        "Where is my delivery slot",
        "Chloe",
        "chat",
        """Customer: The website said next-day delivery but the slot picker shows nothing this week.

Agent: The slot picker hides slots when the postcode is in a rural zone.

Customer: Why does the product page promise next day then?

Agent: I booked the first slot by hand from the courier portal.""",
        RepView(
            needed="a delivery slot",
            hard="product page promise differs from the slot picker",
            workaround="booked by hand in the courier portal",
            helped="yes",
        ),
    ),
    "warranty-email.txt": (
        "Warranty claim needs a receipt we never sent",
        "Ana",
        "email",
        """Customer: You ask for the receipt but you never emailed me one.

Agent: The warranty form requires a receipt number; orders from the shop app have none.

Agent: I looked the order up and typed its number in the receipt field.""",
        RepView(
            needed="a warranty repair",
            hard="warranty form demands a receipt number",
            workaround="used the order number",
            helped="yes",
        ),
    ),
}


def write_settings(workspace: Workspace) -> None:
    workspace.settings_path.write_text(SETTINGS_TOML, encoding="utf-8")


def add_text_clips(store: Store, folder: Path) -> dict[str, str]:
    """Submit the text clips through the real ingest; returns {file name: clip id}."""
    folder.mkdir(parents=True, exist_ok=True)
    ids: dict[str, str] = {}
    for index, (name, (title, by, channel, text, view)) in enumerate(CLIPS.items()):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        result = submit_file(store, path, submitted_by=by, channel=channel, title=title, rep_view=view)
        clip = result.clip
        when = f"2026-11-{18 + index:02d}T09:00:00+01:00"
        with store.transaction() as tx:  # fixed submission times: the Inbox shows them
            tx.put(dataclasses.replace(clip, submitted_at=when, transcribed_at=when))
        ids[name] = clip.id
    return ids


def add_past_session(store: Store, clip_id: str) -> str:
    """Last week's closed session: a gap, two ideas with votes, one open action due last Friday."""
    session = service.start_session(
        store, facilitator="Ana", attendees=["Ben", "Chloe"], clip_ids=[clip_id], date=LAST_WEEK
    )
    gap = service.tag_new_gap(
        store,
        session_id=session.id,
        clip_id=clip_id,
        category="Tool",
        title="Refund tool hides the payment status",
        description="Reps cannot see where a refund is.",
        severity=3,
        at=None,
        quote="The refund tool only lets me see the warehouse scan",
    )
    service.tag_new_gap(
        store,
        session_id=session.id,
        clip_id=clip_id,
        category="Policy",
        title="Refund promise of 5 to 10 days is not what happens",
        severity=2,
        verdict="rephrase",
    )
    first = service.add_idea(
        store,
        session_id=session.id,
        text="Show payment status in the refund tool",
        gap_ids=[gap.id],
        author="Ben",
    )
    second = service.add_idea(
        store,
        session_id=session.id,
        text="Weekly finance sync on stuck refunds",
        gap_ids=[gap.id],
        author="Chloe",
    )
    service.cast_vote(store, first.id, "Ana")
    service.cast_vote(store, first.id, "Ben")
    service.cast_vote(store, second.id, "Chloe")
    service.pick_idea(store, first.id)
    service.commit_action(
        store,
        session_id=session.id,
        idea_id=first.id,
        title="",
        owner="Chloe",
        due="2026-11-20",
        today=dt.date.fromisoformat(LAST_WEEK),
    )
    service.save_progress(store, session.id, 9, {"stage": 300.0, "follow-up": 240.0, "ideas": 600.0})
    service.close_session(store, session.id)
    return session.id


def add_open_session_at(store: Store, ids: dict[str, str], kind: str) -> str:
    """This week's session, left open at the first step of ``kind``, with ideas and a few dots."""
    clips = [ids["warranty-email.txt"], ids["delivery-chat.txt"]]
    session = service.start_session(
        store, facilitator="Ana", attendees=["Ben", "Chloe"], clip_ids=clips, date=TODAY.isoformat()
    )
    gap = service.tag_new_gap(
        store,
        session_id=session.id,
        clip_id=clips[1],
        category="Product",
        title="Product page promises next-day delivery the slot picker cannot give",
    )
    service.link_gap(store, "G-1", session_id=session.id, clip_id=clips[0])
    texts = [
        ("Show the real delivery date on the product page", gap.id),
        ("Let reps book courier slots from the CRM", gap.id),
        ("Accept the order number as a receipt", None),
        ("Show payment status to reps", "G-1"),
    ]
    made = [
        service.add_idea(store, session_id=session.id, text=t, gap_ids=[g] if g else []) for t, g in texts
    ]
    service.cast_vote(store, made[0].id, "Ana")
    service.cast_vote(store, made[0].id, "Ben")
    service.cast_vote(store, made[3].id, "Chloe")
    service.set_impact_effort(store, made[0].id, 3, 2)
    service.pick_idea(store, made[0].id)
    leave_session_at(store, session.id, clips, kind, {"stage": 240.0, "follow-up": 180.0})
    return session.id


def leave_session_at(
    store: Store, session_id: str, clip_ids: list[str], kind: str, spent: dict[str, float] | None = None
) -> None:
    """Save the session's progress as stopped at the weekly pack's first step of ``kind``."""
    from listen.session.agenda import lay_out
    from listen.session.packs import load_pack

    entries = lay_out(load_pack("weekly", store.workspace), clip_ids)
    index = next(e.index for e in entries if e.kind == kind)
    service.save_progress(store, session_id, index, spent or {})


def build_workspace(root: Path) -> tuple[Workspace, Store, dict[str, str]]:
    """A workspace with three text clips and last week's closed session."""
    workspace = resolve_workspace(root)
    write_settings(workspace)
    store = Store(workspace)
    ids = add_text_clips(store, root.parent / f"{root.name}-inputs")
    add_past_session(store, ids["refund-email.txt"])
    return workspace, store, ids


def fixed_clock() -> Clock:
    return Clock.fixed(FIXED_NOW)


def make_app(workspace: Workspace, store: Store, **kwargs: object):
    from listen.tui.app import ListenApp

    return ListenApp(
        workspace, store=store, settings=load_settings(workspace.settings_path), clock=fixed_clock(), **kwargs
    )


LONG_LIVED = {"_loader"}  # DirectoryTree's loader waits for work forever


async def settle(pilot, rounds: int = 40) -> None:
    """Let workers finish and their messages be handled: idle twice in a row (a write, or a step
    being mounted, can start a follow-up worker after the first quiet moment)."""
    app = pilot.app
    quiet = 0
    for _ in range(rounds):
        await pilot.pause()
        ours = [w for w in app.workers if w.group not in LONG_LIVED and not w.is_finished]
        if ours:
            await app.workers.wait_for_complete(ours)
        await pilot.pause()
        busy = any(not w.is_finished for w in app.workers if w.group not in LONG_LIVED)
        busy = busy or getattr(app, "has_pending_writes", False)
        quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            return


@asynccontextmanager
async def running(app, *keys: str, size: tuple[int, int] = (100, 30)):
    """The app on a terminal of ``size``, settled, after pressing ``keys`` (then settled again)."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        yield pilot


async def start_session(pilot, facilitator: str = "Ana") -> None:
    """From Home: open the session setup, name the facilitator, start with what it ticks."""
    await pilot.press("s")
    await settle(pilot)
    await pilot.press(*facilitator, "ctrl+s")
    await settle(pilot)


async def open_carry_forward(pilot) -> None:
    """From Home: start a session, go to Follow-up, press c on its first action (A-1)."""
    await start_session(pilot)
    await pilot.press("n")
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)


def record_notifications(app) -> list[str]:
    """Every notification the app shows, kept as "title: message" (the toasts themselves expire
    after a few seconds, which a slow test run can outlast)."""
    said: list[str] = []
    notify = app.notify

    def recording_notify(message, *args, **kwargs):
        said.append(f"{kwargs.get('title') or ''}: {message}")
        return notify(message, *args, **kwargs)

    app.notify = recording_notify
    return said


async def to_first_clip(pilot) -> None:
    """From Home: start a session with what the setup ticks, and move on to its first Listen step
    (past 'set the stage' and 'follow up', moving on with last week's actions undecided)."""
    from textual.screen import ModalScreen

    await start_session(pilot)
    await pilot.press("n")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    if isinstance(pilot.app.screen, ModalScreen):  # "move on with actions undecided?": yes
        await pilot.press("y")
        await settle(pilot)
