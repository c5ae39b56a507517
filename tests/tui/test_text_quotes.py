"""Issue 12, point 6 in the app: a chat clip is shown message by message with its sender, one line
is quoted like an audio segment (the dialog wraps the words inside it), and the exported minutes
attribute each quote to its sender."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from textual.containers import Vertical
from textual.widgets import TextArea
from tui.builders import TODAY, leave_session_at, make_app, running, settle

from listen.ingest.submit import submit_file
from listen.session import service
from listen.tui.screens.quote_prompt import QuotePrompt
from listen.tui.steps.listen import ListenStep
from listen.tui.widgets.player import PlayerPanel

LONG = (
    "I was home all Saturday and nobody came, the doorbell works, the neighbours saw no van, and the "
    "photo your courier sent shows a door that is not mine \x1b[2J [bold]at all[/bold]."
)
CHAT = f"""[10:02] Jo Harper: Hi, my order 4411 never arrived
[10:03] Ben: Sorry to hear that. The courier portal says it was delivered on Saturday.
[10:06] Jo Harper: {LONG}
[10:08] Ben: I cannot resend it without a manager's approval.
"""


def open_session_on(store, clip_id: str) -> str:
    """This week's session, left open on the Listen step of ``clip_id``."""
    session = service.start_session(
        store, facilitator="Ana", attendees=["Ben", "Chloe"], clip_ids=[clip_id], date=TODAY.isoformat()
    )
    leave_session_at(store, session.id, [clip_id], "listen", {"stage": 60.0})
    return session.id


def session_on_chat(store, folder: Path) -> str:
    """The lost-parcel chat submitted by Ben, and this week's session open on its Listen step."""
    chat = folder / "lost-parcel.txt"
    chat.write_text(CHAT, encoding="utf-8")
    clip = submit_file(store, chat, submitted_by="Ben", title="Lost parcel").clip
    return open_session_on(store, clip.id)


def export(workspace, session_id: str, target: Path, *extra: str) -> str:
    command = ["export", session_id, "-o", str(target), *extra]
    done = subprocess.run(
        [sys.executable, "-m", "listen", "--workspace", str(workspace.root), *command],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return target.read_text(encoding="utf-8")


def test_a_chat_line_quoted_is_attributed_to_its_sender_in_the_minutes(built, tmp_path: Path) -> None:
    workspace, store, _ids = built
    session_id = session_on_chat(store, tmp_path)
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with running(app, "y", size=(80, 24)) as pilot:
            step = app.screen.step_view
            assert isinstance(step, ListenStep)
            view = step.query_one(PlayerPanel).transcript
            assert [(line.who, line.at) for line in view.lines] == [
                ("Customer (Jo Harper)", "10:02"),
                ("Agent (Ben)", "10:03"),
                ("Customer (Jo Harper)", "10:06"),
                ("Agent (Ben)", "10:08"),
            ]
            # The third line, long and hostile: one line of the chat, not the thread.
            await pilot.press("down", "down", "q")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, QuotePrompt)
            area = dialog.query_one("#quote-text", TextArea)
            box = dialog.query_one(".dialog", Vertical).region
            assert box.right <= 80 and box.bottom <= 24  # the dialog fits the terminal
            assert box.contains_region(area.region)  # the words stay inside their dialog...
            assert area.wrapped_document.height >= 3  # ...wrapped over several lines
            assert area.virtual_size.width <= area.content_region.width  # never scrolled sideways
            assert "\x1b" not in area.text and "␛[2J" in area.text  # the ESC is shown, not sent
            assert "Customer (Jo Harper)" in str(dialog.query_one("#quote-who").render())
            assert "Jo Harper: " not in area.text and "Ben" not in area.text  # only that line's words
            await pilot.press("enter")
            await settle(pilot)
            # The agent's last line, quoted as it is.
            await pilot.press("down", "q")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)

    asyncio.run(scenario())
    quotes = store.session(session_id).quotes
    assert [(q.speaker, q.sender, q.start) for q in quotes] == [
        ("customer", "Jo Harper", None),
        ("agent", "Ben", None),
    ]
    assert quotes[0].text.startswith("I was home all Saturday") and quotes[0].text.endswith(
        "[bold]at all[/bold]."
    )
    assert quotes[1].text == "I cannot resend it without a manager's approval."

    service.close_session(store, session_id)
    markdown = export(workspace, session_id, tmp_path / "minutes.md")
    section = markdown.split("#### Quotes", 1)[1].split("####", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(lines) == 2
    assert lines[0].startswith("- Customer: “I was home all Saturday")
    assert lines[1] == "- Agent (Ben): “I cannot resend it without a manager's approval.”"
    assert "Jo Harper" not in section  # the customer by role, not by name; never the whole chat
    assert "\x1b" not in markdown

    page = export(workspace, session_id, tmp_path / "minutes.html")
    assert "Agent (Ben): “I cannot resend it" in page
    assert "Customer: “I was home all Saturday" in page
    assert "<bold>" not in page and "[bold]at all[/bold]" in page  # markup stays text

    anonymous = export(workspace, session_id, tmp_path / "anonymous.md", "--anonymise")
    section = anonymous.split("#### Quotes", 1)[1].split("####", 1)[0]
    assert "- Agent (Support): “I cannot resend it" in section  # Ben by his role, as everywhere
    assert "Ben" not in section
