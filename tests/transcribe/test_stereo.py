"""Stereo calls: each channel on its own, merged by time, agent/customer from the channel setting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from listen.audio.decode import decode_audio
from listen.domain import Segment
from listen.transcribe.faster_engine import FasterWhisperEngine
from listen.transcribe.stereo import (
    channel_speakers,
    is_dual_mono,
    merge_by_time,
    shift,
    transcribe_channels,
    transcript_text,
)
from listen.transcribe.wer import word_error_rate
from tests.transcribe.speech import Turn, stereo_call

CALL = [
    Turn("agent", "Thank you for calling Northwind support, this is Sam."),
    Turn("customer", "Hi, my order never arrived and the tracking page is empty."),
    Turn("agent", "I am sorry about that. Can you give me the order number?"),
    Turn("customer", "Yes, it was for a blue kettle and two mugs."),
]


def test_channel_speakers_follow_the_setting() -> None:
    assert channel_speakers("left") == ("agent", "customer")
    assert channel_speakers("right") == ("customer", "agent")


def test_merge_by_time_interleaves_tracks() -> None:
    agent = [Segment(0.0, 2.0, "a1", "agent"), Segment(5.0, 6.0, "a2", "agent")]
    customer = [Segment(2.5, 4.0, "c1", "customer"), Segment(5.0, 5.5, "c2", "customer")]
    merged = merge_by_time([agent, customer])
    assert [s.text for s in merged] == ["a1", "c1", "c2", "a2"]


def test_shift_moves_segments_and_words() -> None:
    from listen.domain import Word

    moved = shift([Segment(1.0, 2.0, "hi", None, [Word(1.0, 1.5, "hi", 0.9)])], 10.0)
    assert (moved[0].start, moved[0].end, moved[0].words[0].start) == (11.0, 12.0, 11.0)


def test_transcript_text_labels_turns() -> None:
    segments = [
        Segment(0.0, 1.0, "Hello.", "agent"),
        Segment(1.0, 2.0, "How can I help?", "agent"),
        Segment(2.5, 3.0, "Hi.", "customer"),
    ]
    assert transcript_text(segments) == "Agent: Hello. How can I help?\nCustomer: Hi."
    assert transcript_text([Segment(0.0, 1.0, "One."), Segment(1.0, 2.0, "Two.")]) == "One. Two."


def test_dual_mono_is_detected() -> None:
    signal = np.sin(np.arange(16000) / 10.0).astype(np.float32)
    assert is_dual_mono(np.stack([signal, signal]))
    assert not is_dual_mono(np.stack([signal, np.zeros_like(signal)]))


@pytest.mark.slow
@pytest.mark.parametrize("agent_left", [True, False])
def test_stereo_call_turns_come_out_in_order_with_speakers(
    engine: FasterWhisperEngine, tmp_path: Path, agent_left: bool
) -> None:
    path = stereo_call(tmp_path / "call.wav", CALL, agent_left=agent_left)
    channels = decode_audio(path, keep_channels=True)
    speakers = channel_speakers("left" if agent_left else "right")
    seen: list[float] = []
    segments = transcribe_channels(engine, channels, speakers, progress=seen.append)
    turns = _turns(segments)
    assert [speaker for speaker, _ in turns] == [turn.speaker for turn in CALL]
    for (_, heard), turn in zip(turns, CALL, strict=True):
        assert word_error_rate(turn.text, heard) <= 0.25, (turn.text, heard)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(channels.shape[1] / 16000)


@pytest.mark.slow
def test_dual_mono_file_is_transcribed_once_without_speakers(
    engine: FasterWhisperEngine, tmp_path: Path
) -> None:
    from tests.transcribe.speech import say, write_wav

    line = "Please hold while I check your account."
    speech = say(line)
    path = write_wav(tmp_path / "dual.wav", [speech, speech])
    segments = transcribe_channels(engine, decode_audio(path, keep_channels=True), ("agent", "customer"))
    assert all(segment.speaker is None for segment in segments)
    assert word_error_rate(line, " ".join(s.text for s in segments)) <= 0.2


def _turns(segments: list[Segment]) -> list[tuple[str | None, str]]:
    """Consecutive segments of one speaker joined into a turn."""
    turns: list[tuple[str | None, str]] = []
    for segment in segments:
        if turns and turns[-1][0] == segment.speaker:
            turns[-1] = (segment.speaker, f"{turns[-1][1]} {segment.text}")
        else:
            turns.append((segment.speaker, segment.text))
    return turns
