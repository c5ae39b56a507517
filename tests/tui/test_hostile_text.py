"""Hostile stored text in the app and every listing (issue 10, point 1): customer text is never
parsed as markup and never reaches the terminal as a control character.

What the screen shows is read from the screen's compositor: the segments Textual would write to
the terminal, so a control character found there is one the terminal would receive."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import random
from email.header import Header
from pathlib import Path

from helpers import raw_controls, run_listen
from tui.builders import build_workspace, make_app, running, settle

from listen.session import service
from listen.store import Store
from listen.tui.widgets.table import ListenTable
from listen.workspace import Workspace

MARKUP = "[bold red]x[/]"
LINK = "[link=https://e.vil]click[/]"


def screen_lines(app) -> list[str]:
    """Each line of the current screen as the terminal would get it (control segments, which
    Textual itself emits to move the cursor, left out)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip if not segment.control) for strip in strips]


def check_screen(app, where: str) -> str:
    lines = screen_lines(app)
    for line in lines:
        assert raw_controls(line, newlines=False) == [], (where, line)
    return "\n".join(lines)


def run(coro):
    return asyncio.run(coro)


# --------------------------------------------------------------------------- markup shows literally


def test_a_title_in_markup_shows_literally_in_the_inbox_and_gaps(tmp_path: Path) -> None:
    workspace, store, ids = build_workspace(tmp_path / "ws")
    hostile = f"{MARKUP} {LINK} \x1b]52;c;cHduZWQ=\x07\u202e"
    with store.transaction() as tx:
        clip = tx.clip(ids["refund-email.txt"])
        tx.put(dataclasses.replace(clip, title=hostile, submitted_by="[b]Ben[/b]"))
        gap = next(g for g in store.gaps() if g.id == "G-1")
        tx.put(dataclasses.replace(gap, title=hostile, description=f"{MARKUP}\n\x1b[2J"))
    app = make_app(workspace, store)

    async def scenario() -> tuple[str, str, str]:
        async with running(app, "2", size=(160, 40)) as pilot:
            table = app.screen.query_one(ListenTable)
            table.select_key(ids["refund-email.txt"])  # its facts show in the side panel
            await settle(pilot)
            inbox = check_screen(app, "inbox")
            await pilot.press("4")
            await settle(pilot)
            app.screen.query_one(ListenTable).select_key("G-1")
            await settle(pilot)
            gaps = check_screen(app, "gaps")
            await pilot.press("1")
            await settle(pilot)
            home = check_screen(app, "home")
            return inbox, gaps, home

    inbox, gaps, home = run(scenario())
    for shown in (inbox, gaps):
        assert shown.count(MARKUP) >= 2  # in the table's row and in the side panel, as typed
        assert "[link=https://e.vil]" in shown
        assert "␛]52;c;cHduZWQ=␇" in shown  # the escape made visible, not acted on
    assert "[b]Ben[/b]" in inbox
    assert "␛[2J" in gaps  # the description, under the gap's side panel
    assert "[bold red]x" in home  # the most recurring gaps (the title is cut to the card)


def test_a_notification_naming_hostile_text_is_plain(tmp_path: Path) -> None:
    workspace, store, _ids = build_workspace(tmp_path / "ws")
    app = make_app(workspace, store)

    async def scenario() -> str:
        async with app.run_test(size=(120, 30), notifications=True) as pilot:  # toasts drawn
            await settle(pilot)
            app.screen.notify(f"New gap G-9: {MARKUP}\x1b]0;renamed\x07")  # as a step does
            await settle(pilot)
            return check_screen(app, "toast")

    shown = run(scenario())
    assert MARKUP in shown
    assert "␛]0;renamed␇" in shown


# --------------------------------------------------------------------------- fuzz

PIECES = [
    # escape sequences: OSC 52 (clipboard), OSC 0 (window title), CSI, DCS, C1 CSI and OSC
    "\x1b]52;c;ZW1haWwtcHduZWQ=\x1b\\", "\x1b]0;owned\x07", "\x1b[2J", "\x1b[1A\x1b[2K", "\x1b[31m",
    "\x1bP1$q\x1b\\", "\x9b2J", "\x9d0;x\x9c", "\x1b", "\x07", "\x08", "\x7f",
    # line breaks in one-line fields
    "\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\t",
    # bidi and zero-width
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u200d", "\ufeff",
    "\u2060", "\U000e0041",
    # markup: Rich / Textual content markup and actions
    "[bold red]", "[/]", "[/bold red]", "[link=https://e.vil]", "[@click=app.quit]", "[", "]", "\\[",
    "[$accent]", "[reverse]",
    # words
    "refund", "Dana", "the tool", "払い戻し", "ça", "🙂", " ", "x",
]  # fmt: skip
NO_NUL = [p for p in PIECES if "\x00" not in p]  # a command-line argument cannot hold NUL


def hostile_text(rng: random.Random, pieces: list[str] = NO_NUL, most: int = 10) -> str:
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, most)))
    return text if text.strip() else text + "x"  # fields that must not be blank get a letter


def email_with_subject(subject: str) -> str:
    encoded = Header(subject, "utf-8").encode()  # RFC 2047: any character, NUL included
    return (
        "From: Dana <dana@example.com>\n"
        f"Subject: {encoded}\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Hello, the refund has not arrived and the tool shows nothing at all for my order.\n"
    )


def fuzz_workspace(tmp_path: Path, seed: int) -> tuple[Path, list[str]]:
    """Clips submitted through the real CLI with random hostile titles, names and notes, then a
    session over them (gaps, quotes, ideas, actions, notes, attendees) through the service."""
    rng = random.Random(seed)
    root = tmp_path / "ws"
    build_workspace(root)  # the three clips and last week's session of the app tests
    inputs = tmp_path / "fuzz"
    inputs.mkdir()
    for index in range(6):
        chat = inputs / f"chat-{index}.txt"
        chat.write_text(
            f"Customer: {hostile_text(rng)} my order never came and nobody answers the phone at all.\n\n"
            f"Agent: {hostile_text(rng)} I looked it up in the tool and it shows nothing for it.\n",
            encoding="utf-8",
        )
        result = run_listen(
            "--workspace", root, "submit", chat,
            "--title", hostile_text(rng), "--by", hostile_text(rng), "--note", hostile_text(rng),
            "--needed", hostile_text(rng), "--hard", hostile_text(rng),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert raw_controls(result.stdout + result.stderr) == []
    mail = inputs / "subject.eml"
    subject = hostile_text(rng, ["\x00", *PIECES])
    mail.write_text(email_with_subject(subject), encoding="utf-8")
    result = run_listen("--workspace", root, "submit", "--by", hostile_text(rng), mail)
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout + result.stderr) == []

    store = Store(Workspace(root))
    clip_ids = [c.id for c in store.clips() if c.source.startswith(("chat-", "subject"))]
    names = [hostile_text(rng, most=4) for _ in range(3)]
    session = service.start_session(
        store, facilitator=names[0], attendees=names[1:], clip_ids=clip_ids, date="2026-11-23"
    )
    gaps = []
    for clip_id in clip_ids[:4]:
        gap = service.tag_new_gap(
            store,
            session_id=session.id,
            clip_id=clip_id,
            category=rng.choice(["Tool", "Policy", "Product"]),
            title=hostile_text(rng),
            description=hostile_text(rng),
            quote=hostile_text(rng),
        )
        gaps.append(gap.id)
        service.mark_quote(store, session.id, clip_id, None, None, hostile_text(rng), "customer")
    for gap_id in gaps[:3]:
        idea = service.add_idea(
            store, session_id=session.id, text=hostile_text(rng), gap_ids=[gap_id], author=names[1]
        )
        service.pick_idea(store, idea.id)
        service.commit_action(
            store,
            session_id=session.id,
            idea_id=idea.id,
            title=hostile_text(rng),
            owner=hostile_text(rng, most=3),
            due="2026-11-30",
            today=dt.date(2026, 11, 23),
        )
    service.add_note(store, session.id, hostile_text(rng))
    service.add_attendee(store, session.id, hostile_text(rng, most=3), hostile_text(rng, most=3))
    service.close_session(store, session.id)
    return root, [*clip_ids, session.id]


def cli_listings(root: Path, clip_ids: list[str]) -> list[tuple[str, str]]:
    """Every listing the CLI has of this workspace: (what, stdout + stderr)."""
    runs = [
        ("clips", ["clips"]),
        ("export md", ["export", "latest", "-o", "-"]),
        ("export html", ["export", "latest", "--format", "html", "-o", "-"]),
        ("report md", ["report", "-o", "-"]),
        ("report html", ["report", "--format", "html", "-o", "-"]),
        ("doctor", ["doctor"]),
        *[(f"show {clip_id}", ["show", clip_id]) for clip_id in clip_ids],
    ]
    outputs = []
    for what, args in runs:
        result = run_listen("--workspace", root, *args)
        assert result.returncode in (0, 1), (what, result.stderr)  # doctor: 1 when a check fails
        outputs.append((what, result.stdout + result.stderr))
    return outputs


def test_fuzz_every_listing_and_screen_is_free_of_control_characters(tmp_path: Path) -> None:
    for seed in (1, 2):
        base = tmp_path / f"seed-{seed}"
        base.mkdir()
        root, ids = fuzz_workspace(base, seed)
        *clip_ids, _session_id = ids

        for what, output in cli_listings(root, clip_ids):
            assert raw_controls(output) == [], (seed, what, sorted(set(raw_controls(output))))
        assert len(clip_ids) == 7  # six chats and the e-mail, all stored

        store = Store(Workspace(root))
        app = make_app(Workspace(root), store)

        async def scenario(app=app, clip_ids=clip_ids, seed=seed) -> int:
            screens = 0
            async with running(app, size=(140, 40)) as pilot:
                for key, rows in (
                    ("2", clip_ids),
                    ("4", None),
                    ("6", None),
                    ("5", None),
                    ("7", None),  # Trends: hostile gap titles under the chart
                    ("1", None),
                ):
                    await pilot.press(key)
                    await settle(pilot)
                    check_screen(app, f"seed {seed} screen {key}")
                    screens += 1
                    if rows:  # each hostile clip's side panel in the Inbox
                        table = app.screen.query_one(ListenTable)
                        assert table.row_count == len(rows) + 3  # and the three of build_workspace
                        for clip_id in rows:
                            table.select_key(clip_id)
                            await settle(pilot)
                            check_screen(app, f"seed {seed} inbox row {clip_id}")
                    elif key == "4":  # each gap's side panel
                        table = app.screen.query_one(ListenTable)
                        assert table.row_count >= 4  # the four hostile gaps
                        for index in range(table.row_count):
                            table.move_cursor(row=index)
                            await settle(pilot)
                            check_screen(app, f"seed {seed} gaps row {index}")
            return screens

        assert run(scenario()) == 6
