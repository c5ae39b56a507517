"""Stereo calls: each channel on its own, merged by time, agent/customer from the channel setting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from listen.audio.decode import decode_audio
from listen.domain import Segment
from listen.transcribe.faster_engine import FasterWhisperEngine
from listen.transcribe.segments import MAX_SEGMENT_SECONDS
from listen.transcribe.stereo import (
    channel_speakers,
    is_dual_mono,
    merge_by_time,
    shift,
    transcribe_channels,
    transcript_text,
)
from listen.transcribe.wer import corpus_error_rate, word_error_rate
from tests.transcribe.speech import (
    CUSTOMER_VOICE,
    OTHER_AGENT_VOICE,
    RATE,
    Spoken,
    Turn,
    say,
    silence,
    sound_span,
    stereo_call,
    turns_of,
    within,
)

# Bounds with their margins, measured by bench/transcribe_matrix.py: a turn up to 0.44 seen (en-gb-x-rp;
# 0.0 with en-us), the whole call up to 0.21, one line on both channels (dual mono) up to 0.29.
# A turn only has to be recognisably itself (another turn scores near 1.0).
TURN_MAX_WER = 0.6
CALL_MAX_WER = 0.35
DUAL_MONO_MAX_WER = 0.45
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
    turns = turns_of(segments)
    assert [speaker for speaker, _ in turns] == [turn.speaker for turn in CALL], turns
    pairs = [(turn.text, heard) for (_, heard), turn in zip(turns, CALL, strict=True)]
    for said, heard in pairs:
        assert within("stereo call: one turn", word_error_rate(said, heard), TURN_MAX_WER), (said, heard)
    assert within("stereo call: whole call", corpus_error_rate(pairs), CALL_MAX_WER), pairs
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
    assert within("dual mono", word_error_rate(line, " ".join(s.text for s in segments)), DUAL_MONO_MAX_WER)


# A call laid out as phone systems record it: the agent's channel is silent for seven seconds before
# each of the agent's lines while the customer talks on the other. Prompted with the company words,
# tiny.en hears each channel as one long segment, and on the agent's channel it invents "Thank you."
# over the last half second of silence (measured: every run, threads 1, 2 or 4).
DIALOGUE_AGENT = (
    "Thank you for calling Northwind Cycles. This is Ana. How can I help you today?",
    "I am so sorry. That should never happen. Can I have your order number?",
    "I can see it. I cannot give you a refund myself. Every refund needs a manager to approve it.",
    "Marta is away at a trade fair until Thursday, so probably Friday.",
    "I understand. I will write a note so she sees it first thing. You will get an email.",
)
DIALOGUE_CUSTOMER = (
    None,
    "Hi. My new helmet arrived with a crack down the side.",
    "Just a moment, it is on the packing slip.",
    "Yes.",
    "Thanks!",
)
DIALOGUE_MAX_WER = 0.2  # the whole call, 0.04-0.09 seen; per turn TURN_MAX_WER ("away at a": "a way to")
# Whisper stretches a last word over the silence after it (measured up to 0.7 s past the sound) and
# may start a first word at its window's start: a segment must overlap its turn's sound and lie
# within this much of it. Turns on one channel are 7 s apart, so the turn is never in doubt.
TIME_SLACK = 1.5


def gapped_call(gap: float = 7.0, tail: float = 0.5) -> tuple[np.ndarray, list[Spoken]]:
    """``(2, samples)`` audio, agent left, and where each turn's sound is."""
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    spoken: list[Spoken] = []
    at = 0.0
    for agent_line, customer_line in zip(DIALOGUE_AGENT, DIALOGUE_CUSTOMER, strict=True):
        other = silence(gap)
        if customer_line is not None:
            speech = say(customer_line, voice=CUSTOMER_VOICE) * 0.8
            offset = (other.shape[0] - speech.shape[0]) // 2
            other[offset : offset + speech.shape[0]] = speech
            spoken.append(Spoken("customer", customer_line, *sound_span(speech, at + offset / RATE)))
        left.append(silence(gap))
        right.append(other)
        at += gap
        speech = say(agent_line, voice=OTHER_AGENT_VOICE) * 0.8
        spoken.append(Spoken("agent", agent_line, *sound_span(speech, at)))
        left.append(speech)
        right.append(np.zeros_like(speech))
        at += speech.shape[0] / RATE
    left.append(silence(tail))
    right.append(silence(tail))
    return np.stack([np.concatenate(left), np.concatenate(right)]).astype(np.float32), spoken


@pytest.mark.slow
def test_dialogue_interleaves_turn_by_turn_and_invents_nothing(
    vocabulary_engine: FasterWhisperEngine,
) -> None:
    channels, spoken = gapped_call()
    segments = transcribe_channels(vocabulary_engine, channels, channel_speakers("left"))

    # the merged transcript alternates agent, customer, agent, ... as the call did
    turns = turns_of(segments)
    assert [speaker for speaker, _ in turns] == [turn.speaker for turn in spoken], turns
    pairs = [(turn.text, heard) for (_, heard), turn in zip(turns, spoken, strict=True)]
    for said, heard in pairs:
        if len(said.split()) >= 4:  # "Yes." heard "Yeah." is a WER of 1
            assert within("dialogue: one turn", word_error_rate(said, heard), TURN_MAX_WER), (said, heard)
    assert within("dialogue: whole call", corpus_error_rate(pairs), DIALOGUE_MAX_WER), pairs

    # every segment lies on the sound of one turn of its speaker: nothing over a silent channel
    for segment in segments:
        homes = [
            turn
            for turn in spoken
            if turn.speaker == segment.speaker
            and segment.start < turn.end
            and turn.start < segment.end
            and turn.start - TIME_SLACK <= segment.start <= segment.end <= turn.end + TIME_SLACK
        ]
        assert len(homes) == 1, (segment, spoken)
        assert segment.end - segment.start <= MAX_SEGMENT_SECONDS

    # the short answers survive on their own: each of the customer's one-word turns has a segment;
    # the call ends with the agent's last line, and nothing after it (the invented "Thank you.")
    short = [turn for turn in spoken if turn.speaker == "customer" and len(turn.text.split()) == 1]
    assert len(short) == 2
    for turn in short:
        assert any(s.speaker == "customer" and s.start < turn.end and turn.start < s.end for s in segments)
    last = spoken[-1]
    assert segments[-1].speaker == "agent" and segments[-1].start >= last.start - TIME_SLACK
    ending = " ".join(s.text for s in segments if s.speaker == "agent" and s.end > last.start)
    assert within("dialogue: last turn", word_error_rate(last.text, ending), TURN_MAX_WER), ending
