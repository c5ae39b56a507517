"""A live workspace: while the app runs, a REAL second process (`listen submit`, `listen transcribe`,
run as a user would in another terminal) writes to the workspace. The app notices within 2 s,
without being told, on Home, on the Inbox and in a Listen step; adding the new clip to the
running session works; nothing crashes.

The waits poll the app's state between ``pilot.pause`` calls, bounded by the 2 s the app promises;
nothing sleeps a fixed time."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import REPO, run_listen
from tui.builders import make_app, record_notifications, running, settle, start_session, to_first_clip

from listen.store import Store
from listen.tui.screens.home import HomeScreen
from listen.tui.screens.inbox import InboxScreen
from listen.tui.screens.modals import ChoiceModal
from listen.tui.screens.session import SessionScreen
from listen.tui.steps.listen import ListenStep
from listen.tui.widgets.table import ListenTable
from listen.workspace import Workspace

NOTICE_SECONDS = 2.0  # the app's promise (DESIGN: a live workspace)
SPEECH = Path(__file__).resolve().parent.parent / "fixtures" / "speech"


async def within(pilot, seconds: float, seen: Callable[[], bool]) -> bool:
    """True as soon as ``seen()`` holds, polling between frames; False after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if seen():
            return True
        await pilot.pause(0.05)
    return seen()


async def submit(workspace: Workspace, tmp: Path, name: str, text: str, by: str = "Sam") -> str:
    """`listen submit` in another process (run in a thread, so the app keeps running meanwhile);
    returns the new clip's id as the command prints it."""
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    done = await asyncio.to_thread(run_listen, "--workspace", workspace.root, "submit", path, "--by", by)
    assert done.returncode == 0, done.stderr
    return new_clip_id(workspace, name)


def new_clip_id(workspace: Workspace, name: str) -> str:
    return next(c.id for c in Store(workspace).clips() if c.source == name)


CLOSE = """
import sys
from listen.session import service
from listen.store import Store
from listen.workspace import resolve_workspace
service.close_session(Store(resolve_workspace(sys.argv[1])), sys.argv[2])
"""


def in_another_process(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Python driving the service as a second process would (the command line has no 'session
    close', nor a way to write a different transcript)."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def home_waiting(app) -> int:
    screen = app.screen
    if not isinstance(screen, HomeScreen) or screen.summary is None or screen.summary.clips is None:
        return -1
    return screen.summary.clips.waiting_total


def inbox_keys(app) -> set[str]:
    screen = app.screen
    if not isinstance(screen, InboxScreen):
        return set()
    table = screen.query_one(ListenTable)
    return {str(key.value) for key in table.rows}


def test_other_processes_writes_show_on_home_inbox_and_in_a_listen_step(built, tmp_path: Path) -> None:
    workspace, store, _ids = built
    app = make_app(workspace, store, offer_resume=False)

    async def scenario() -> dict[str, object]:
        result: dict[str, object] = {}
        async with running(app) as pilot:
            # Home: a rep submits from another terminal
            before = home_waiting(app)
            assert before >= 0
            await submit(workspace, tmp_path, "first.txt", "Customer: where is my order?\n\nAgent: no idea.")
            result["home"] = await within(pilot, NOTICE_SECONDS, lambda: home_waiting(app) == before + 1)

            # Inbox: another one lands while the list is on screen; the cursor stays put
            await pilot.press("2")
            await settle(pilot)
            table = app.screen.query_one(ListenTable)
            await pilot.press("down")
            await settle(pilot)
            cursor_key = table.current_key
            second = await submit(workspace, tmp_path, "second.txt", "Customer: the app logs me out.")
            result["inbox"] = await within(pilot, NOTICE_SECONDS, lambda: second in inbox_keys(app))
            result["cursor kept"] = table.current_key == cursor_key

            # a Listen step of a running session: a third clip arrives, c adds it
            await pilot.press("1")
            await settle(pilot)
            await to_first_clip(pilot)
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            step = screen.step_view
            assert isinstance(step, ListenStep)
            third = await submit(
                workspace, tmp_path, "chat.txt", "Customer: my parcel is lost.\n\nAgent: sorry."
            )
            await pilot.press("c")
            await settle(pilot)
            modal = app.screen
            assert isinstance(modal, ChoiceModal), type(modal).__name__
            offered = [str(option.id) for option in modal.query_one("OptionList")._options]
            result["offered"] = third in offered
            while modal.query_one("OptionList").highlighted_option.id != third:
                await pilot.press("down")
            await pilot.press("enter")
            await settle(pilot)
            result["same step"] = screen.step_view is step and step.is_mounted
            result["agenda clips"] = screen.agenda.clip_ids if screen.agenda else []
            result["third"] = third
            result["screen"] = type(app.screen).__name__
        return result

    result = asyncio.run(scenario())
    assert result["home"], "Home did not count the clip another process submitted"
    assert result["inbox"], "the Inbox did not list the clip another process submitted"
    assert result["cursor kept"]
    assert result["offered"]
    assert result["screen"] == "SessionScreen"
    assert result["same step"], "the step the room was on was rebuilt (its cursor and selection lost)"
    [session] = [s for s in Store(workspace).sessions() if s.status == "open"]
    assert result["third"] in session.clip_ids
    assert result["agenda clips"] == session.clip_ids


def test_a_session_closed_in_another_window_is_let_go_with_a_notice(built, tmp_path: Path) -> None:
    workspace, store, _ids = built
    app = make_app(workspace, store, offer_resume=False)
    said = record_notifications(app)

    async def scenario() -> tuple[bool, list[str], str]:
        async with running(app) as pilot:
            await start_session(pilot)
            await pilot.press("n")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SessionScreen) and screen.agenda is not None
            session_id = screen.session.id
            done = await asyncio.to_thread(in_another_process, CLOSE, str(workspace.root), session_id)
            assert done.returncode == 0, done.stderr
            let_go = await within(pilot, NOTICE_SECONDS, lambda: screen.agenda is None)
            await settle(pilot)
            screen.save_progress()  # what the half-minute tick does: must not try to save
            await settle(pilot)
            return let_go, said, type(app.screen).__name__

    let_go, notes, shown = asyncio.run(scenario())
    assert let_go
    assert shown == "SessionScreen"  # the room is not thrown to another screen
    assert any("was closed in another window" in n for n in notes), notes
    assert not any("the session is closed" in n for n in notes), notes


@pytest.mark.slow
def test_listen_transcribe_in_another_window_updates_home(built, tmp_path: Path) -> None:
    """Home said '1 queued · press t' after a CLI transcribe, and t then found nothing to do."""
    workspace, store, _ids = built
    source = shutil.copy(sorted(SPEECH.glob("*.flac"))[0], tmp_path / "call.flac")
    app = make_app(workspace, store, offer_resume=False)

    def queued(app) -> int:
        screen = app.screen
        summary = getattr(screen, "summary", None)
        return summary.clips.queued if summary is not None and summary.clips is not None else -1

    async def scenario() -> tuple[bool, bool]:
        async with running(app) as pilot:
            done = await asyncio.to_thread(
                run_listen, "--workspace", workspace.root, "submit", source, "--by", "Ben"
            )
            assert done.returncode == 0, done.stderr
            saw_queued = await within(pilot, NOTICE_SECONDS, lambda: queued(app) == 1)
            done = await asyncio.to_thread(
                run_listen, "--workspace", workspace.root, "transcribe", timeout=600
            )
            assert done.returncode == 0, done.stderr
            saw_done = await within(pilot, NOTICE_SECONDS, lambda: queued(app) == 0)
            return saw_queued, saw_done

    saw_queued, saw_done = asyncio.run(scenario())
    assert saw_queued, "Home did not count the clip queued by another process"
    assert saw_done, "Home still counts as queued a clip another process transcribed"
    [clip] = [c for c in Store(workspace).clips() if c.kind == "audio"]
    assert clip.status == "transcribed"


def test_a_clip_a_dead_run_left_transcribing_is_queued_again_at_start(built, tmp_path: Path) -> None:
    """Recovery runs when the app starts (it used to wait for Home to count the clips)."""
    import dataclasses

    from listen.ingest.submit import submit_file

    workspace, store, _ids = built
    source = shutil.copy(sorted(SPEECH.glob("*.flac"))[0], tmp_path / "call.flac")
    clip = submit_file(store, source, submitted_by="Ben").clip
    with store.transaction() as tx:  # what a transcription killed mid-clip leaves behind
        tx.put(dataclasses.replace(tx.clip(clip.id), status="transcribing"))
    app = make_app(workspace, Store(workspace), offer_resume=False)
    said = record_notifications(app)

    async def scenario() -> None:
        async with running(app):
            pass

    asyncio.run(scenario())
    assert Store(workspace).clip(clip.id).status == "queued"
    assert any("back in the queue" in n for n in said), said


RETRANSCRIBE = """
import dataclasses, sys
from listen.domain import Segment, Transcript
from listen.store import Store
from listen.workspace import resolve_workspace
store = Store(resolve_workspace(sys.argv[1]))
clip_id = sys.argv[2]
store.write_transcript(clip_id, Transcript(text="New words", segments=[
    Segment(0.0, 4.0, "Customer: new words from a second run"),
    Segment(4.0, 8.0, "Agent: and a second line"),
]))
with store.transaction() as tx:
    tx.put(dataclasses.replace(tx.clip(clip_id), transcribed_at="2026-11-23T10:05:00+01:00"))
"""


def test_the_clip_on_screen_transcribed_again_elsewhere_shows_the_new_lines_with_a_notice(built) -> None:
    """A conflict with what the room is looking at: never silent, never a crash."""
    workspace, store, _ids = built
    app = make_app(workspace, store, offer_resume=False)
    said = record_notifications(app)

    async def scenario() -> tuple[bool, list[str], bool]:
        async with running(app) as pilot:
            await to_first_clip(pilot)
            step = app.screen.step_view
            assert isinstance(step, ListenStep) and step.clip_id is not None
            view = step.query_one("TranscriptView")
            done = await asyncio.to_thread(
                in_another_process, RETRANSCRIBE, str(workspace.root), step.clip_id
            )
            assert done.returncode == 0, done.stderr
            shown = await within(
                pilot, NOTICE_SECONDS, lambda: any("second run" in line.text for line in view.lines)
            )
            await settle(pilot)
            return shown, [line.text for line in view.lines], app.screen.step_view is step

    shown, lines, same_step = asyncio.run(scenario())
    assert shown, lines
    assert lines == ["Customer: new words from a second run", "Agent: and a second line"]
    assert same_step
    assert any("transcribed again in another window" in n for n in said), said


def test_the_clip_on_screen_transcribed_again_by_this_app_is_not_said_to_be_another_windows(built) -> None:
    """The app's own transcription batch rewrites the clip on screen (its store, then the
    clips_written message the batch posts): the new lines are shown and the room is told the
    transcript changed, without claiming another window did it."""
    from listen.domain import Segment, Transcript
    from listen.tui.transcription import clips_written

    workspace, store, _ids = built
    app = make_app(workspace, store, offer_resume=False)
    said = record_notifications(app)

    def write_as_the_batch(clip_id: str) -> None:
        import dataclasses

        app.store.write_transcript(
            clip_id,
            Transcript(text="New words", segments=[Segment(0.0, 4.0, "Customer: words of this app's run")]),
        )
        with app.store.transaction() as tx:
            tx.put(dataclasses.replace(tx.clip(clip_id), transcribed_at="2026-11-23T10:05:00+01:00"))

    async def scenario() -> list[str]:
        async with running(app) as pilot:
            await to_first_clip(pilot)
            step = app.screen.step_view
            assert isinstance(step, ListenStep) and step.clip_id is not None
            view = step.query_one("TranscriptView")
            await asyncio.to_thread(write_as_the_batch, step.clip_id)
            app.post_message(clips_written("transcripts", [step.clip_id]))
            assert await within(
                pilot, NOTICE_SECONDS, lambda: any("this app's run" in line.text for line in view.lines)
            )
            await settle(pilot)
            return [line.text for line in view.lines]

    lines = asyncio.run(scenario())
    assert lines == ["Customer: words of this app's run"]
    replaced = [n for n in said if "transcribed again" in n]
    assert replaced, said
    assert not any("another window" in n for n in replaced), replaced
