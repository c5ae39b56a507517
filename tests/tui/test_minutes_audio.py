"""The Minutes screen and audio quotes (issue 15, point 5): `a` exports the minutes with each
quote's bleeped sound, the screen then shows the document as written (which quote has audio, and
why one has none) and `p` plays the next quote's exported file. The output device is the one thing
a CI machine lacks: the test names one that does not exist, so `p` must end in a notice, never a
crash (with a device, the same path plays)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui.builders import make_app, running, settle

from listen.session import service
from listen.store import Store
from listen.workspace import Workspace
from tests.minutes.audio_helpers import audio_clip, session_with_quotes, tone_words, transcript_of

TEXT = "My number is five five five two one three four four seven seven. Thanks a lot."


def test_the_minutes_screen_exports_audio_quotes_and_plays_one(workspace: Workspace, tmp_path: Path) -> None:
    workspace.settings_path.write_text('region = "US"\n[audio]\noutput_device = "no-such-speaker"\n')
    store = Store(workspace)
    samples, said = tone_words(TEXT.split())
    clip_id = audio_clip(store, tmp_path, "call", [samples])
    store.write_transcript(clip_id, transcript_of(said))
    old = audio_clip(store, tmp_path, "old", [samples[: samples.shape[0] // 2] * 0.5])
    store.write_transcript(old, transcript_of(said[:3], words=False))
    session_id = session_with_quotes(
        store, [(clip_id, said[0].start, said[-1].end, TEXT), (old, said[0].start, said[2].end, "My")]
    )
    service.close_session(store, session_id)  # closed: its minutes come from the frozen record
    app = make_app(workspace, store, offer_resume=False)

    async def scenario() -> tuple[str, str, list[str], str]:
        async with running(app, "6", size=(120, 40)) as pilot:
            before = str(app.screen.query_one("#minutes-head").render())
            await pilot.press("a")
            await settle(pilot)
            after = str(app.screen.query_one("#minutes-head").render())
            await pilot.press("p")
            await settle(pilot)
            notes = [str(n.message) for n in app._notifications]
            return before, after, notes, type(app.screen).__name__

    before, after, notes, screen = asyncio.run(scenario())
    folder = next((workspace.root / "minutes").glob("*.audio"))
    assert sorted(p.name for p in folder.iterdir()) == ["q01.ogg"]
    assert "audio" not in before and "audio: 1 quote file (p plays the next)" in after
    assert any("audio: 1 of 2 quotes with audio" in note for note in notes), notes
    assert any("no audio for q02: its transcript has no word timings" in note for note in notes), notes
    assert any("Cannot play q01" in note and "device" in note for note in notes), notes
    assert screen == "MinutesScreen"
    document = next((workspace.root / "minutes").glob("*.md")).read_text()
    assert "(no audio: its transcript has no word timings" in document
