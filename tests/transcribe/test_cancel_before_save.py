"""A stop asked for while the last window is being transcribed: the clip is not saved, but queued."""

from __future__ import annotations

import pytest

from listen.settings import Settings
from listen.store import Store
from listen.transcribe.faster_engine import FasterWhisperEngine
from listen.transcribe.runner import Progress, transcribe_clips
from tests.transcribe.speech import JFK, recording

pytestmark = pytest.mark.slow


def test_a_stop_after_the_last_window_keeps_the_clip_queued(
    store: Store, engine: FasterWhisperEngine
) -> None:
    from listen.ingest.submit import submit_file

    clip = submit_file(store, recording(JFK).path, submitted_by="Ana").clip
    events: list[Progress] = []

    def cancel() -> bool:  # Ctrl-C arriving as the engine returns its last segment
        return any(e.stage == "transcribing" and e.clip_done >= e.clip_total for e in events)

    summary = transcribe_clips(store, Settings(), engine=engine, on_progress=events.append, cancel=cancel)
    assert any(e.clip_done >= e.clip_total > 0 for e in events), "the whole clip was transcribed"
    assert summary.cancelled and [o.status for o in summary.outcomes] == ["cancelled"]
    stored = store.clip(clip.id)
    assert stored.status == "queued" and not stored.has_transcript
    assert store.transcript(clip.id) is None
