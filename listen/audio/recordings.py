"""Recordings in progress: the hidden file a recording lives in inside the workspace until it is
submitted as a clip, and the ones a crash left behind (headers repaired). Used by `listen record`
and the app's record panel alike, so a leftover from either is found by both."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from listen.audio.wavwriter import repair_wav

TEMP_PREFIX = ".recording-"  # clips/.recording-<timestamp>.wav while a recording is running
ACTIVE_SECONDS = 10.0  # a temporary recording written this recently belongs to a live recorder


def temp_recording_path(clips_dir: Path, when: dt.datetime | None = None) -> Path:
    """Where a new recording goes until it becomes a clip: hidden, inside the workspace."""
    when = when or dt.datetime.now()
    return clips_dir / f"{TEMP_PREFIX}{when:%Y%m%d-%H%M%S-%f}.wav"


def leftover_recordings(clips_dir: Path) -> list[tuple[Path, float]]:
    """Recordings a crash left behind, with their seconds of audio, headers repaired.

    Skips files written in the last ``ACTIVE_SECONDS`` (another recorder is still at work).
    """
    found = []
    for path in sorted(clips_dir.glob(f"{TEMP_PREFIX}*.wav")):
        try:
            if time.time() - path.stat().st_mtime < ACTIVE_SECONDS:
                continue
            seconds = repair_wav(path)
        except OSError:
            continue
        if seconds:
            found.append((path, seconds))
    return found
