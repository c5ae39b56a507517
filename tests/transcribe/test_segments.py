"""Sentence-sized segments and the not-speech filter (listen/transcribe/segments.py), without a model.

Splitting is checked on hand-made word timings; the loudness rule on real espeak-ng speech.
"""

from __future__ import annotations

import numpy as np
import pytest

from listen.domain import Segment, Word
from listen.transcribe.segments import (
    MAX_SEGMENT_SECONDS,
    VOICE_SPEECH_SHARE,
    TrackLevels,
    ends_sentence,
    finish_segments,
    is_anomalous,
    is_speech,
    speech_share,
    split_segment,
    unlikely_speech,
)
from tests.transcribe.speech import RATE, REPEATED, repeated_sentence, say, silence, sound_span

Timed = tuple[str, float, float]


def words_of(timed: list[Timed], probability: float = 0.9) -> list[Word]:
    return [Word(start, end, word, probability) for word, start, end in timed]


def segment_of(timed: list[Timed], *, text: str | None = None, speaker: str | None = None) -> Segment:
    words = words_of(timed)
    return Segment(
        start=max(0.0, words[0].start - 0.3),  # whisper's segment times are looser than its words'
        end=words[-1].end + 0.2,
        text=text if text is not None else " ".join(word for word, _, _ in timed),
        speaker=speaker,
        words=words,
    )


def evenly(text: str, start: float, step: float = 0.3) -> list[Timed]:
    """The words of ``text`` one after the other, ``step`` seconds each, no pause between."""
    return [
        (word, round(start + i * step, 3), round(start + (i + 1) * step, 3))
        for i, word in enumerate(text.split())
    ]


# --------------------------------------------------------------------------- splitting


def test_each_sentence_becomes_a_segment_with_its_words() -> None:
    timed = evenly("Hello there.", 1.0) + evenly("How are you today?", 1.6) + evenly("Fine!", 2.8)
    pieces = split_segment(segment_of(timed, speaker="agent"))
    assert [p.text for p in pieces] == ["Hello there.", "How are you today?", "Fine!"]
    assert [(p.start, p.end) for p in pieces] == [(1.0, 1.6), (1.6, 2.8), (2.8, 3.1)]
    assert [[w.word for w in p.words] for p in pieces] == [
        ["Hello", "there."],
        ["How", "are", "you", "today?"],
        ["Fine!"],
    ]
    assert all(p.speaker == "agent" for p in pieces)


@pytest.mark.parametrize(
    ("word", "ends"),
    [
        ("day.", True),
        ("why?", True),
        ("now!", True),
        ('"stop."', True),
        ("so…", True),
        ("Mr.", False),
        ("Mrs.", False),
        ("Dr.", False),
        ("U.S.", False),
        ("e.g.", False),
        ("Hello,", False),
        ("4-4-8-1.", True),
    ],
)
def test_what_ends_a_sentence(word: str, ends: bool) -> None:
    assert ends_sentence(word) is ends


def test_a_title_does_not_cut_a_sentence() -> None:
    pieces = split_segment(segment_of(evenly("Thank you for calling, this is Mrs. Novak speaking.", 0.0)))
    assert [p.text for p in pieces] == ["Thank you for calling, this is Mrs. Novak speaking."]


def test_a_long_pause_cuts_and_a_short_one_does_not() -> None:
    timed = evenly("so I waited", 0.0) + evenly("and then it came", 0.9 + 0.5) + evenly("too late", 2.6 + 0.8)
    pieces = split_segment(segment_of(timed))
    assert [p.text for p in pieces] == ["so I waited and then it came", "too late"]  # 0.5 s kept, 0.8 s cut
    assert pieces[1].start == pytest.approx(3.4)


def test_a_word_whisper_could_not_place_stays_with_its_sentence() -> None:
    # whisper often gives a segment's last word no duration, a little after it was said
    timed = [*evenly("my money back,", 29.0), ("please.", 30.85, 30.85)]
    pieces = split_segment(segment_of(timed))
    assert [p.text for p in pieces] == ["my money back, please."]
    assert (pieces[0].start, pieces[0].end) == (29.0, 30.85)


def test_a_long_run_is_cut_at_its_largest_pauses() -> None:
    # 60 words with no full stop and only short pauses: 0.5 s at 9.3 s, 0.4 s at 19.6 s, else 0.1 s
    timed: list[Timed] = []
    at = 0.0
    for index in range(60):
        if index:
            at += 0.5 if index == 21 else 0.4 if index == 42 else 0.1
        timed.append((f"word{index}", at, at + 0.35))
        at += 0.35
    assert timed[-1][2] > 2 * MAX_SEGMENT_SECONDS - 4  # about 27 s long
    pieces = split_segment(segment_of(timed))
    # first at the 0.5 s pause; the 17 s rest again at its 0.4 s pause
    assert [p.words[0].word for p in pieces] == ["word0", "word21", "word42"]
    assert all(p.end - p.start <= MAX_SEGMENT_SECONDS for p in pieces)
    assert [w for p in pieces for w in p.words] == words_of(timed)  # nothing lost, nothing moved


def test_a_run_too_long_for_one_cut_is_cut_again() -> None:
    timed = evenly(" ".join(f"w{i}" for i in range(120)), 0.0, step=0.35)  # 42 s, no pause at all
    pieces = split_segment(segment_of(timed))
    assert len(pieces) >= 3 and all(p.end - p.start <= MAX_SEGMENT_SECONDS for p in pieces)
    assert " ".join(p.text for p in pieces) == " ".join(word for word, _, _ in timed)


def test_a_comma_is_preferred_when_no_pause_is_longer() -> None:
    text = " ".join(f"w{i}" for i in range(30)) + ", " + " ".join(f"w{i}" for i in range(30, 60))
    pieces = split_segment(segment_of(evenly(text, 0.0, step=0.3)))  # 18 s, no pause
    assert [p.words[-1].word for p in pieces] == ["w29,", "w59"]


def test_a_piece_keeps_the_text_as_whisper_wrote_it() -> None:
    # "4-4-8-1." is four words to whisper; rebuilding the text from them would read "4 -4 -8 -1."
    timed = [("It", 0.0, 0.2), ("is", 0.2, 0.4), ("4", 0.4, 0.6), ("-4", 0.6, 0.8), ("-8", 0.8, 1.0)]
    timed += [("-1.", 1.0, 1.3), ("Thanks.", 1.5, 1.9)]
    pieces = split_segment(segment_of(timed, text="It is 4-4-8-1.   Thanks."))
    assert [p.text for p in pieces] == ["It is 4-4-8-1.", "Thanks."]


def test_text_that_does_not_follow_the_words_is_rebuilt_from_them() -> None:
    pieces = split_segment(segment_of(evenly("One. Two.", 0.0), text="Something else entirely"))
    assert [p.text for p in pieces] == ["One.", "Two."]


def test_segments_without_words_are_kept_whole() -> None:
    plain = Segment(0.0, 40.0, "A long text with no word timings. It stays as it is.", "customer")
    assert split_segment(plain) == [plain]
    assert finish_segments([plain], None) == [plain]


# --------------------------------------------------------------------------- not speech


def test_punctuation_and_improbable_words_are_not_speech() -> None:
    assert not is_speech(Segment(1.0, 2.0, ". . . ."))
    assert not is_speech(Segment(1.0, 2.0, "-", words=[Word(1.0, 2.0, "-", 0.9)]))
    unheard = Segment(1.0, 2.0, "Bye now.", words=[Word(1.0, 1.5, "Bye", 0.03), Word(1.5, 2.0, "now.", 0.08)])
    assert not is_speech(unheard)
    one_heard = Segment(
        1.0, 2.0, "Bye now.", words=[Word(1.0, 1.5, "Bye", 0.03), Word(1.5, 2.0, "now.", 0.6)]
    )
    assert is_speech(one_heard)
    assert is_speech(Segment(1.0, 2.0, "Yes."))  # no words, no audio: nothing to hold against it


def test_whisper_anomaly_score() -> None:
    # measured: the "Thank you." tiny.en invents over a leftover sliver of a channel's end
    assert is_anomalous([Word(23.21, 23.21, "Thank", 0.011), Word(23.21, 23.31, "you.", 0.979)])
    assert is_anomalous([Word(50.06, 50.58, "Thank", 0.0), Word(50.58, 50.58, "you.", 0.97)])
    assert not is_anomalous(words_of(evenly("I would like my money back please.", 3.0)))
    assert not is_anomalous([])


def test_unlikely_speech_needs_whisper_and_the_words_to_agree() -> None:
    invented = [Word(62.62, 62.62, "Thank", 0.01), Word(62.62, 63.4, "you.", 0.98)]
    real = words_of(evenly("and choose Bluetooth and on, okay, it found the bicycle", 30.05))
    assert unlikely_speech(". . .")
    assert unlikely_speech("Thank you.", 0.92, -0.80, 0.7, invented)  # measured on a test channel
    assert not unlikely_speech("Thank you.", 0.30, -0.80, 0.7, invented)  # whisper heard speech
    assert not unlikely_speech("and choose Bluetooth", 0.77, -0.38, 1.2, real)  # real speech, measured
    assert unlikely_speech("you you you you", 0.7, -0.3, 3.1, real)  # repetitive over no speech
    assert unlikely_speech("Bye.", 0.7, -1.2, 1.0, real)  # whisper's own silence rule
    assert not unlikely_speech("Bye.", 0.7, -0.9, 1.0, real)
    assert not unlikely_speech("Bye.")  # no statistics: only the text counts


def test_repetition_that_voice_activity_calls_speech_was_said() -> None:
    # measured on repeated_sentence(): no-speech 0.70, log probability -0.16, compression ratio 5.0,
    # and each segment's time 0.69-1.0 speech by voice activity; it used to come out as silence only
    stats = (0.70, -0.16, 5.0)
    words = words_of(evenly(REPEATED, 2.0))
    asked: list[bool] = []

    def said() -> float:
        asked.append(True)
        return 0.8

    assert not unlikely_speech(REPEATED, *stats, words, speech_share=said)
    assert unlikely_speech(REPEATED, *stats, words, speech_share=lambda: 0.1)  # a loop over silence
    assert unlikely_speech(REPEATED, *stats, words)  # nothing to ask: whisper's statistics decide
    squeezed = [Word(18.74, 18.74, word.word, 0.95) for word in words]  # a later repeat's timings
    assert not unlikely_speech(REPEATED, *stats, squeezed, speech_share=lambda: 1.0)
    # not repetitive: whisper's own evidence decides, whatever the voice activity
    assert unlikely_speech("Bye.", 0.7, -1.2, 1.0, words, speech_share=said)
    invented = [Word(23.21, 23.21, "Thank", 0.0109), Word(23.21, 23.31, "you.", 0.9787)]  # measured
    assert unlikely_speech("Thank you.", 0.83, -0.59, 0.56, invented, speech_share=said)
    assert len(asked) == 1
    unlikely_speech(REPEATED, 0.3, -0.16, 5.0, words, speech_share=said)  # whisper heard speech
    assert len(asked) == 1  # voice activity runs only for a repetitive segment Whisper doubts


def test_speech_share_tells_speech_from_silence_and_noise() -> None:
    audio = repeated_sentence(2)
    first, _ = sound_span(audio)
    spoken = say(REPEATED).shape[0] / RATE
    assert speech_share(audio, first, first + spoken - 0.3) >= VOICE_SPEECH_SHARE + 0.3
    assert speech_share(audio, 0.0, audio.shape[0] / RATE) >= VOICE_SPEECH_SHARE
    assert speech_share(audio, 0.0, 0.45) == 0.0
    noise = np.random.default_rng(7).normal(0.0, 0.02, 8 * RATE).astype(np.float32)  # steady hiss
    assert speech_share(noise, 0.0, 8.0) < VOICE_SPEECH_SHARE
    assert speech_share(silence(3.0), 0.0, 3.0) == 0.0
    assert speech_share(audio, 5.0, 5.0) == 0.0


# --------------------------------------------------------------------------- loudness


def track_with_answer(gain: float = 1.0) -> tuple[np.ndarray, tuple[float, float]]:
    """Six seconds of one channel: silence, "Yes." at 2 s, silence (the other side talks)."""
    answer = say("Yes.") * gain
    track = np.concatenate([silence(2.0), answer, silence(6.0 - 2.0 - answer.shape[0] / RATE)])
    return track.astype(np.float32), sound_span(answer, 2.0)


@pytest.mark.parametrize("gain", [1.0, 0.03])  # the rule is relative to the track's own speech level
def test_a_short_answer_is_speech_and_the_silence_after_it_is_not(gain: float) -> None:
    track, (start, end) = track_with_answer(gain)
    levels = TrackLevels.measure(track)
    assert levels.speech_db is not None
    answer = Segment(start, end, "Yes.", "customer", [Word(start, end, "Yes.", 0.9)])
    # whisper's word times are loose: a little early and stretched still counts as the answer
    loose = Segment(start - 0.2, end + 0.15, "Yes.", "customer", [Word(start - 0.2, end + 0.15, "Yes.", 0.9)])
    invented = Segment(
        4.6, 5.3, "Thank you.", "customer", words_of([("Thank", 4.6, 5.3), ("you.", 5.3, 5.3)])
    )
    assert is_speech(answer, levels) and is_speech(loose, levels)
    assert not is_speech(invented, levels)
    assert finish_segments([answer, invented], track) == [answer]


def test_a_word_with_no_duration_is_not_judged_by_its_position() -> None:
    track, (_, end) = track_with_answer()
    untimed = Segment(end + 0.3, end + 0.3, "please.", None, [Word(end + 0.3, end + 0.3, "please.", 0.99)])
    assert is_speech(untimed, TrackLevels.measure(track))


def test_a_silent_track_has_no_speech_level_and_loses_nothing() -> None:
    levels = TrackLevels.measure(silence(3.0))
    assert levels.speech_db is None
    assert is_speech(Segment(1.0, 2.0, "Hello.", words=[Word(1.0, 2.0, "Hello.", 0.9)]), levels)


def test_finish_segments_cuts_sentences_and_drops_what_lies_in_silence() -> None:
    # one whisper segment over a channel: a real sentence, 6 s of the other side, an invented tail
    first = say("I can see your order.")
    track = np.concatenate([silence(0.5), first, silence(6.0), say("It ships today."), silence(3.0)])
    one_start, one_end = sound_span(first, 0.5)
    two_start, two_end = sound_span(say("It ships today."), 0.5 + first.shape[0] / RATE + 6.0)
    timed = evenly("I can see your order.", one_start, (one_end - one_start) / 5)
    timed += evenly("It ships today.", two_start, (two_end - two_start) / 3)
    timed += [("Thank", two_end + 1.0, two_end + 1.6), ("you.", two_end + 1.6, two_end + 1.9)]
    whole = segment_of(timed, speaker="agent")
    finished = finish_segments([whole], track.astype(np.float32))
    assert [s.text for s in finished] == ["I can see your order.", "It ships today."]
    assert [s.speaker for s in finished] == ["agent", "agent"]
    assert finished[0].start == pytest.approx(one_start, abs=0.001)
    assert finished[1].end == pytest.approx(two_end, abs=0.001)
