"""The stable JSON shapes printed by `listen clips --json` and `listen show --json` (documented in README).

Version 1. Fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from listen.domain import Clip, Transcript
from listen.transcribe.corrections import machine_text


def clip_summary(clip: Clip) -> dict[str, Any]:
    return {
        "id": clip.id,
        "title": clip.title,
        "source": clip.source,
        "kind": clip.kind,
        "channel": clip.channel,
        "submitted_by": clip.submitted_by,
        "submitted_at": clip.submitted_at,
        "status": clip.status,
        "failure": clip.failure,
        "duration": clip.duration,
    }


def clip_detail(clip: Clip, transcript: Transcript | None) -> dict[str, Any]:
    detail = clip_summary(clip)
    detail["sha256"] = clip.sha256
    detail["media"] = clip.media or None
    detail["byte_size"] = clip.byte_size
    detail["audio"] = clip.audio.to_doc() if clip.audio else None
    detail["notices"] = list(clip.notices)
    detail["rep_view"] = clip.rep_view.to_doc()
    detail["transcript"] = None if transcript is None else transcript_json(transcript)
    return detail


def transcript_json(transcript: Transcript) -> dict[str, Any]:
    return {
        "text": transcript.text,
        "language": transcript.language,
        "engine": transcript.engine,
        "model": transcript.model,
        "segments": [
            {
                "start": segment.start,
                "end": segment.end,
                "text": segment.text,
                "speaker": segment.speaker,
                "sender": segment.sender,
                "at": segment.at,
                "words": [word.to_doc() for word in segment.words],
                "corrected": segment.corrected,  # a person changed its text (edited, split, merged)
                "original_text": machine_text(segment),
            }
            for segment in transcript.segments
        ],
        "corrected_at": transcript.corrected_at,
    }
