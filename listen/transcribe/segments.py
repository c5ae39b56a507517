"""Sentence-sized segments of real speech: the last step of every engine's ``transcribe()``.

Whisper's segments are often far longer than a sentence: prompted with the company vocabulary,
tiny.en tends to stop emitting timestamps inside a 30 s window, so one segment holds a whole
monologue, or (on one channel of a stereo call) every turn of one speaker with the other speaker's
turns as long silent holes inside it. A transcript that follows playback, and a quote of one
moment, need sentence-sized pieces. And Whisper writes text over silence ("Thank you.", ". . ."),
typically over the last fraction of a second of a channel that it decodes as a window of its own.

``finish_segments(segments, audio)`` handles both, on the segments of one mono track (a whole
clip, or one channel of a stereo call, before the channels are merged) and that track's audio:

1. **Split** every segment that has word timestamps into sentence-sized pieces: after a word that
   ends a sentence (``.``, ``?``, ``!``; not "Mr." or "U.S."), at every pause between two words
   longer than ``PAUSE_SECONDS``, then any piece still longer than ``MAX_SEGMENT_SECONDS`` at its
   largest pause (recursively). Each piece keeps its own words; it starts at its first word's start
   and ends at its last word's end; its text is the original text of those words, whitespace-
   normalised. A word Whisper could not place (zero length) never starts a piece after a pause.
   Segments without words (an engine run without word timings) are kept whole.
2. **Drop** pieces that are very likely not speech: text with no letter or digit; every word heard
   with a probability under ``LOW_WORD_PROBABILITY``; or a piece that lies in silence: less than
   ``MIN_VOICED_SHARE`` of its 20 ms frames come within ``SILENCE_BELOW_SPEECH_DB`` of the track's
   speech level. The speech level is measured on the track itself (the loud end of its non-silent
   frames), so the rule holds at any recording level. Measured on the demo calls, the test
   dialogues and the LibriVox and JFK recordings: real pieces have 0.5-1.0 of their frames voiced
   (a short "Yes." too), Whisper's inventions over a channel's silent end 0.0-0.13.

Whisper's per-segment decoding statistics (no-speech probability, average log probability,
compression ratio) are not kept on the domain ``Segment``, so the engines apply
``unlikely_speech`` to them as they convert Whisper's segments, before this step. Those
statistics are evidence of a hallucination only where nobody speaks: one sentence said six times
is repetitive too (compression ratio 4-5), and Whisper's no-speech probability on it is 0.37-0.70
(espeak-ng voices, 1 or 2 threads; over 0.6 the clip came out as "silence only"). So the engines
pass ``speech_share``, Silero voice activity (faster-whisper's) over the segment's time, asked only
for a repetitive segment: what voice activity calls speech is kept, and its pieces then go
through step 2 like any other. Loudness alone cannot tell: steady noise is as loud as speech. And the
engines run Whisper without its own no-speech skip (``no_speech_threshold=None``), which would
drop a whole 30 s window on the same statistics before this rule could look.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from listen.domain import Segment, Word
from listen.transcribe.engine import SAMPLE_RATE

PAUSE_SECONDS = 0.7  # a pause between two words longer than this ends a segment
UNTIMED_WORD_SECONDS = 0.02  # a word shorter than Whisper's time step has no usable timing
MAX_SEGMENT_SECONDS = 15.0  # no segment longer than this, when its words allow a cut
SENTENCE_END = (".", "?", "!", "\u2026")
CLOSING = "\"')]}\u201d\u2019"  # closing quotes and brackets after the sentence's full stop
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "vs", "approx"})
INITIALISM = re.compile(r"^(?:[a-z]\.){2,}$", re.IGNORECASE)  # "U.S.", "e.g."

LOW_WORD_PROBABILITY = 0.1  # a piece whose every word is below this was not heard, it was made up
FRAME_SECONDS = 0.02  # loudness is measured on 20 ms frames
SILENCE_BELOW_SPEECH_DB = 30.0  # a frame this far under the track's speech level is silent
MIN_VOICED_SHARE = 0.25  # a piece with less of its time above that is not speech
MIN_SPAN_SECONDS = 0.2  # shorter pieces are judged on this much audio around their middle
ACTIVE_FLOOR_DBFS = -70.0  # frames above this hold something (speech, breath, line noise)
SPEECH_PERCENTILE = 90.0  # the speech level: this percentile of the active frames
MIN_ACTIVE_SECONDS = 0.1  # with fewer active frames than this the level is unknown: drop nothing

# Whisper's own thresholds: no_speech_threshold, logprob_threshold, compression_ratio_threshold.
NO_SPEECH_PROBABILITY = 0.6
LOW_AVERAGE_LOGPROB = -1.0
REPETITIVE_COMPRESSION_RATIO = 2.4
# openai-whisper's word anomaly score (transcribe.py, hallucination_silence_threshold).
ANOMALY_WORDS = 8
ANOMALY_PROBABILITY = 0.15
ANOMALY_SHORT_SECONDS = 0.133
ANOMALY_LONG_SECONDS = 2.0
ANOMALY_SCORE = 3.0
# Voice activity: Silero as faster-whisper runs it, with short padding and bridging so that the
# share of a span measures speech, not the silence around it.
VOICE_SPEECH_SHARE = 0.5  # a segment at least this much speech (by voice activity) was said
VOICE_PAD_MS = 100
VOICE_MIN_SILENCE_MS = 300


def finish_segments(segments: Sequence[Segment], audio: np.ndarray | None) -> list[Segment]:
    """Split ``segments`` into sentence-sized pieces and drop the pieces that are not speech.

    ``audio`` is the 16 kHz mono track the segments were heard on (their times are seconds into
    it); None skips the silence check.
    """
    levels = TrackLevels.measure(audio) if audio is not None else None
    return [piece for segment in segments for piece in split_segment(segment) if is_speech(piece, levels)]


# --------------------------------------------------------------------------- splitting


def split_segment(
    segment: Segment,
    *,
    pause_seconds: float = PAUSE_SECONDS,
    max_seconds: float = MAX_SEGMENT_SECONDS,
) -> list[Segment]:
    """``segment`` cut into sentence-sized pieces by its words (as it is when it has none)."""
    words = segment.words
    if not words:
        return [segment]
    texts = _word_spans(segment.text, words)
    runs: list[tuple[int, int]] = []  # [first, last) word indices
    first = 0
    for index in range(1, len(words)):
        before, word = words[index - 1], words[index]
        paused = word.start - before.end > pause_seconds and is_timed(word)
        if ends_sentence(before.word) or paused:
            runs.append((first, index))
            first = index
    runs.append((first, len(words)))
    capped = [piece for run in runs for piece in _cap(words, run, max_seconds)]
    return [_piece(segment, words, texts, run) for run in capped]


def is_timed(word: Word) -> bool:
    """False for a word Whisper could not place in time (zero length, typically a segment's last).

    Such a word is often put a few tenths of a second after where it was said, so a pause before
    it is no reason to cut, and its position no evidence of silence.
    """
    return word.end - word.start >= UNTIMED_WORD_SECONDS


def ends_sentence(word: str) -> bool:
    """True when ``word`` ends a sentence: a full stop, question or exclamation mark, not "Mr."."""
    token = word.strip().rstrip(CLOSING)
    if not token.endswith(SENTENCE_END):
        return False
    if token.endswith("."):
        bare = token.lstrip("\"'([{\u201c\u2018")
        if bare[:-1].lower() in ABBREVIATIONS or INITIALISM.match(bare):
            return False
    return True


def _cap(words: Sequence[Word], run: tuple[int, int], max_seconds: float) -> list[tuple[int, int]]:
    """``run`` cut at its largest pause until every piece is at most ``max_seconds`` long."""
    first, last = run
    if last - first < 2 or words[last - 1].end - words[first].start <= max_seconds:
        return [run]
    middle = (words[first].start + words[last - 1].end) / 2.0

    def preference(index: int) -> tuple[float, bool, float]:
        # the longest pause; on equal pauses after a comma or semicolon; then nearest the middle
        gap = round(words[index].start - words[index - 1].end, 3)
        clause = words[index - 1].word.rstrip(CLOSING).endswith((",", ";", ":"))
        return gap, clause, -abs(words[index].start - middle)

    cut = max(range(first + 1, last), key=preference)
    return _cap(words, (first, cut), max_seconds) + _cap(words, (cut, last), max_seconds)


def cut_segment(segment: Segment, runs: Sequence[tuple[int, int]]) -> list[Segment]:
    """``segment`` cut into the pieces of its words ``[first, last)`` in ``runs`` (each piece starts at
    its first word and keeps the original text of its words), as ``split_segment`` cuts it."""
    texts = _word_spans(segment.text, segment.words)
    return [_piece(segment, segment.words, texts, run) for run in runs]


def _piece(
    segment: Segment, words: Sequence[Word], texts: list[tuple[int, int]] | None, run: tuple[int, int]
) -> Segment:
    first, last = run
    chosen = list(words[first:last])
    if texts is not None:
        text = segment.text[texts[first][0] : texts[last - 1][1]]
    else:
        text = " ".join(word.word for word in chosen)
    return Segment(
        start=chosen[0].start,
        end=max(chosen[-1].end, chosen[0].start),
        text=" ".join(text.split()),
        speaker=segment.speaker,
        words=chosen,
    )


def _word_spans(text: str, words: Sequence[Word]) -> list[tuple[int, int]] | None:
    """Where each word sits in ``text`` (in order), or None when the text is not the words.

    Whisper's segment text is its words run together ("4-4-8-1." is the words "4", "-4", "-8",
    "-1."), so a piece's text is cut from the original, not rebuilt with spaces.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for word in words:
        token = word.word.strip()
        while cursor < len(text) and text[cursor].isspace():
            cursor += 1
        if not token or not text.startswith(token, cursor):
            return None
        spans.append((cursor, cursor + len(token)))
        cursor += len(token)
    if text[cursor:].strip():
        return None
    return spans


# --------------------------------------------------------------------------- what is not speech


def has_words(text: str) -> bool:
    """True when ``text`` holds a letter or digit (". . ." and "-" do not)."""
    return any(character.isalnum() for character in text)


def unlikely_speech(
    text: str,
    no_speech_prob: float | None = None,
    avg_logprob: float | None = None,
    compression_ratio: float | None = None,
    words: Sequence[Word] = (),
    speech_share: Callable[[], float] | None = None,
) -> bool:
    """Whisper's own evidence, per decoded segment, that it was made up over silence or noise.

    Punctuation only; or Whisper judged the window to hold no speech (no-speech probability over
    ``NO_SPEECH_PROBABILITY``) *and* the text agrees: decoded with low confidence (Whisper's own
    silence rule), repetitive (a loop of one phrase), or with anomalous words (``is_anomalous``).
    Each sign alone is common on real, quiet speech, so none decides on its own.

    But a repetitive segment that voice activity calls speech was said, not invented: one sentence
    said six times is repetitive, and its later repeats get squeezed word timings too (anomalous).
    ``speech_share()``, asked only for such a segment, is the share of its time that is speech (the
    function ``speech_share``); from ``VOICE_SPEECH_SHARE`` on, the segment is kept. An invention
    that is not repetitive ("Thank you." over the last sliver of a sentence's sound, its first word
    at probability 0.01) is dropped on Whisper's statistics as before, wherever it lies.
    """
    if not has_words(text):
        return True
    if no_speech_prob is None or no_speech_prob <= NO_SPEECH_PROBABILITY:
        return False
    unsure = avg_logprob is not None and avg_logprob < LOW_AVERAGE_LOGPROB
    repetitive = compression_ratio is not None and compression_ratio > REPETITIVE_COMPRESSION_RATIO
    if repetitive and speech_share is not None and speech_share() >= VOICE_SPEECH_SHARE:
        return False
    return unsure or repetitive or is_anomalous(words)


def speech_share(audio: np.ndarray, start: float, end: float) -> float:
    """The share of ``start`` .. ``end`` (seconds into 16 kHz mono ``audio``) that Silero voice
    activity detection, as faster-whisper's ``vad_filter`` runs it, calls speech."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    first = max(0, int(start * SAMPLE_RATE))
    last = min(int(audio.shape[-1]), int(np.ceil(end * SAMPLE_RATE)))
    if last <= first:
        return 0.0
    span = np.ascontiguousarray(audio[first:last], dtype=np.float32)
    options = VadOptions(min_silence_duration_ms=VOICE_MIN_SILENCE_MS, speech_pad_ms=VOICE_PAD_MS)
    pieces = get_speech_timestamps(span, options)
    spoken = sum(min(piece["end"], last - first) - piece["start"] for piece in pieces)
    return max(0.0, min(1.0, spoken / (last - first)))


def is_anomalous(words: Sequence[Word]) -> bool:
    """openai-whisper's hallucination test (``hallucination_silence_threshold``, whisper PR #1838).

    Each of the first eight words scores 1 for a probability under 0.15, plus penalties for a
    duration under 0.133 s or over 2 s: invented words are improbable and squeezed into a sliver
    of time or stretched over silence. Anomalous: a total of 3, or as much as there are words.
    """
    counted = [word for word in words if has_words(word.word)][:ANOMALY_WORDS]
    if not counted:
        return False
    score = sum(_word_anomaly(word) for word in counted)
    return score >= ANOMALY_SCORE or score + 0.01 >= len(counted)


def _word_anomaly(word: Word) -> float:
    probability = word.probability if word.probability is not None else 0.0
    duration = word.end - word.start
    score = 1.0 if probability < ANOMALY_PROBABILITY else 0.0
    if duration < ANOMALY_SHORT_SECONDS:
        score += (ANOMALY_SHORT_SECONDS - duration) * 15.0
    if duration > ANOMALY_LONG_SECONDS:
        score += duration - ANOMALY_LONG_SECONDS
    return score


def is_speech(segment: Segment, levels: TrackLevels | None = None) -> bool:
    """False for a piece that is very likely not speech (see the module's docstring)."""
    if not has_words(segment.text):
        return False
    probabilities = [w.probability for w in segment.words if w.probability is not None]
    if probabilities and max(probabilities) < LOW_WORD_PROBABILITY:
        return False
    if levels is None:
        return True
    if segment.words:
        timed = any(is_timed(word) for word in segment.words)
    else:
        timed = segment.end - segment.start >= UNTIMED_WORD_SECONDS
    return not (timed and levels.silent(segment.start, segment.end))


@dataclass(frozen=True)
class TrackLevels:
    """The loudness of one track, 20 ms frame by frame, and the level its speech reaches."""

    frame_db: np.ndarray  # dBFS of each frame (RMS)
    speech_db: float | None  # None: too little sound to tell speech from silence

    @classmethod
    def measure(cls, audio: np.ndarray) -> TrackLevels:
        samples = np.asarray(audio, dtype=np.float32).reshape(-1)
        frame = int(FRAME_SECONDS * SAMPLE_RATE)
        count = -(-samples.shape[0] // frame)
        padded = np.zeros(count * frame, dtype=np.float32)
        padded[: samples.shape[0]] = samples
        blocks = padded.reshape(count, frame).astype(np.float64)
        power = np.einsum("fs,fs->f", blocks, blocks) / frame
        frame_db = 10.0 * np.log10(np.maximum(power, 1e-12))
        active = frame_db[frame_db > ACTIVE_FLOOR_DBFS]
        if active.shape[0] * FRAME_SECONDS < MIN_ACTIVE_SECONDS:
            return cls(frame_db, None)
        return cls(frame_db, float(np.percentile(active, SPEECH_PERCENTILE)))

    def voiced_share(self, start: float, end: float) -> float:
        """The share of the frames from ``start`` to ``end`` seconds that sound near speech level.

        1.0 when the speech level is unknown. Spans shorter than ``MIN_SPAN_SECONDS`` are widened
        to it around their middle.
        """
        if self.speech_db is None:
            return 1.0
        if end - start < MIN_SPAN_SECONDS:
            middle = (start + end) / 2.0
            start, end = middle - MIN_SPAN_SECONDS / 2.0, middle + MIN_SPAN_SECONDS / 2.0
        first = max(0, int(np.floor(start / FRAME_SECONDS + 1e-6)))
        last = min(self.frame_db.shape[0], int(np.ceil(end / FRAME_SECONDS - 1e-6)))
        if last <= first:
            return 0.0
        frames = self.frame_db[first:last]
        return float(np.count_nonzero(frames >= self.speech_db - SILENCE_BELOW_SPEECH_DB)) / frames.shape[0]

    def silent(self, start: float, end: float) -> bool:
        """True when less than ``MIN_VOICED_SHARE`` of ``start`` .. ``end`` sounds near speech level."""
        return self.voiced_share(start, end) < MIN_VOICED_SHARE
