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
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            saw_bar = False
            for _ in range(3000):
                await pilot.pause(0.05)
                screen = app.screen
                if isinstance(screen, HomeScreen) and screen.query_one("#queue-bar").display:
                    saw_bar = True
                if not app.transcription.running and saw_bar:
                    break
            await settle(pilot)
            return saw_bar, [str(n.message) for n in app._notifications]

    saw_bar, notes = asyncio.run(scenario())
    assert saw_bar
    assert store.clip(clip.id).status == "transcribed", notes
    transcript = store.transcript(clip.id)
    assert transcript is not None and transcript.text.strip()
    assert any("Transcription finished: 1 clip(s) ready." in n for n in notes)
