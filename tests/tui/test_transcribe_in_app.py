"""A real transcription batch run from the app: the progress bar shows, the clip is transcribed,
the Inbox shows it. Slow: it loads the bundled speech model."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from tui.builders import make_app, settle

from listen.ingest.submit import submit_file
from listen.tui.screens.home import HomeScreen

SPEECH = Path(__file__).resolve().parent.parent / "fixtures" / "speech"


@pytest.mark.slow
def test_a_transcription_batch_from_home(built, tmp_path: Path) -> None:
    workspace, store, _ids = built
    source = sorted(SPEECH.glob("*.flac"))[0]
    clip = submit_file(store, shutil.copy(source, tmp_path / "call.flac"), submitted_by="Ben").clip
    assert clip.status == "queued"
    app = make_app(workspace, store)

    async def scenario() -> tuple[bool, list[str]]:
        seen: list[bool] = []
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            home = app.screen
            assert isinstance(home, HomeScreen)
            bar = home.query_one("#queue-bar")

            def progress(state) -> None:  # runs after Home's own watcher
                if state.running and state.total > 0:
                    seen.append(bool(bar.display))

            app.watch(app, "transcription", progress, init=False)
            await pilot.press("t")
            for _ in range(3000):
                if not app.transcription.running:
                    break
                await pilot.pause(0.05)
            await settle(pilot)
            return any(seen), [str(n.message) for n in app._notifications]

    saw_bar, notes = asyncio.run(scenario())
    assert saw_bar, notes
    assert store.clip(clip.id).status == "transcribed", notes
    transcript = store.transcript(clip.id)
    assert transcript is not None and transcript.text.strip()
    assert any("Transcription finished: 1 clip(s) ready." in n for n in notes)


@pytest.mark.slow
def test_the_inbox_patches_the_row_of_the_clip_the_app_transcribes(built, tmp_path: Path) -> None:
    """The app's own batch, run from the Inbox: the clip's row goes queued -> transcribing ->
    transcribed by patching that row (the clip's shard read again, as for another process's
    write); the Inbox is never read in full again and the cursor stays where it was."""
    from listen.tui.screens.inbox import InboxScreen
    from listen.tui.widgets.table import ListenTable

    workspace, store, _ids = built
    source = sorted(SPEECH.glob("*.flac"))[0]
    clip = submit_file(store, shutil.copy(source, tmp_path / "call.flac"), submitted_by="Ben").clip
    app = make_app(workspace, store)

    async def scenario() -> tuple[list[str], int, str | None, str | None]:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            inbox = app.screen
            assert isinstance(inbox, InboxScreen)
            table = inbox.query_one(ListenTable)
            assert clip.id in table.rows
            table.select_key(clip.id)
            await pilot.press("down")  # the cursor on another clip: it must stay there
            await settle(pilot)
            cursor = table.current_key
            loads: list[int] = []
            load_data = inbox.load_data
            inbox.load_data = lambda: (loads.append(1), load_data())[1]  # type: ignore[method-assign]
            statuses = [str(table.get_cell(clip.id, "status"))]  # before the batch starts
            apply_clips = inbox.apply_clips

            def noting(*args: object) -> None:  # each patch's result, however soon the next comes
                apply_clips(*args)  # type: ignore[arg-type]
                status = str(table.get_cell(clip.id, "status"))
                if statuses[-1] != status:
                    statuses.append(status)

            inbox.apply_clips = noting  # type: ignore[method-assign]
            await pilot.press("T")
            for _ in range(3000):
                if not app.transcription.running and "transcribed" in statuses[-1]:
                    break
                await pilot.pause(0.05)
            await settle(pilot)
            statuses.append(str(table.get_cell(clip.id, "status")))
            return statuses, len(loads), cursor, table.current_key

    statuses, loads, cursor, after = asyncio.run(scenario())
    assert "queued" in statuses[0]
    assert any("transcribing" in s for s in statuses), statuses
    assert "transcribed" in statuses[-1], statuses
    assert loads == 0  # patched, never read in full
    assert after == cursor and cursor != clip.id
    assert store.clip(clip.id).status == "transcribed"
