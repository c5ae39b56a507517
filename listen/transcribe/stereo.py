"""Stereo call recordings: each side transcribed on its own, merged by time, labelled by speaker.

A phone system that records calls in stereo puts the agent on one channel and the customer on
the other (which one is the ``agent_channel`` setting, default left). Transcribing each channel
alone gives clean turns even when both talk at once; the segments are then merged in time order
with ``speaker`` set to "agent" or "customer". A "stereo" file whose two channels carry the same
signal (dual mono) is transcribed once, with no speaker, and a silent channel is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np

from listen.domain import Segment, Word
from listen.transcribe.engine import SAMPLE_RATE, CancelCheck, Engine, ProgressCallback

AGENT = "agent"
CUSTOMER = "customer"
SILENT_PEAK = 1e-4  # a channel below -80 dBFS holds nobody
DUAL_MONO_TOLERANCE = 0.01  # channels differing by under 1 % of the peak are the same signal


def channel_speakers(agent_channel: Literal["left", "right"] | str) -> tuple[str, str]:
    """The speaker on the left and on the right channel."""
    return (AGENT, CUSTOMER) if agent_channel != "right" else (CUSTOMER, AGENT)


def is_dual_mono(channels: np.ndarray) -> bool:
    """True when both channels carry (almost) the same signal: a mono call saved as stereo."""
    left, right = channels[0], channels[1]
    peak = float(max(np.max(np.abs(left), initial=0.0), np.max(np.abs(right), initial=0.0)))
    if peak < SILENT_PEAK:
        return True
    return float(np.max(np.abs(left - right))) <= DUAL_MONO_TOLERANCE * peak


def transcribe_channels(
    engine: Engine,
    channels: np.ndarray,
    speakers: Sequence[str],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> list[Segment]:
    """Transcribe each channel of ``(channels, samples)`` audio alone and merge the turns by time.

    Progress is reported in seconds of this audio, both passes together (half way after the first).
    """
    seconds = channels.shape[-1] / SAMPLE_RATE
    if is_dual_mono(channels):
        mono = np.ascontiguousarray(channels.mean(axis=0, dtype=np.float32))
        return engine.transcribe(mono, progress=progress, cancel=cancel)
    tracks: list[list[Segment]] = []
    count = len(speakers)
    for index, speaker in enumerate(speakers):
        samples = np.ascontiguousarray(channels[index], dtype=np.float32)
        if float(np.max(np.abs(samples), initial=0.0)) < SILENT_PEAK:
            tracks.append([])
        else:

            def report(done: float, index: int = index) -> None:
                if progress is not None:
                    progress((index * seconds + done) / count)

            found = engine.transcribe(samples, progress=report, cancel=cancel)
            tracks.append([_with_speaker(segment, speaker) for segment in found])
        if progress is not None:
            progress((index + 1) * seconds / count)
    return merge_by_time(tracks)


def merge_by_time(tracks: Iterable[list[Segment]]) -> list[Segment]:
    """All segments of all tracks in time order (ties: earlier end, then track order)."""
    ordered = [
        (segment.start, segment.end, track_index, position, segment)
        for track_index, track in enumerate(tracks)
        for position, segment in enumerate(track)
    ]
    ordered.sort(key=lambda item: item[:4])
    return [item[4] for item in ordered]


def shift(segments: Iterable[Segment], offset: float) -> list[Segment]:
    """Copies of ``segments`` with every time moved ``offset`` seconds later."""
    if offset == 0.0:
        return list(segments)
    return [
        Segment(
            start=round(segment.start + offset, 3),
            end=round(segment.end + offset, 3),
            text=segment.text,
            speaker=segment.speaker,
            words=[
                Word(round(w.start + offset, 3), round(w.end + offset, 3), w.word, w.probability)
                for w in segment.words
            ],
        )
        for segment in segments
    ]


def transcript_text(segments: Sequence[Segment]) -> str:
    """The plain text of a transcript: one "Agent: ..." line per turn when speakers are known."""
    if any(segment.speaker for segment in segments):
        lines: list[str] = []
        current: str | None = None
        for segment in segments:
            if segment.speaker != current or not lines:
                label = (segment.speaker or "unknown").capitalize()
                lines.append(f"{label}: {segment.text}")
                current = segment.speaker
            else:
                lines[-1] += f" {segment.text}"
        return "\n".join(lines)
    return " ".join(segment.text for segment in segments)


def _with_speaker(segment: Segment, speaker: str) -> Segment:
    return Segment(segment.start, segment.end, segment.text, speaker, list(segment.words))
