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
