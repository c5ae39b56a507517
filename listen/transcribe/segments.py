"""Sentence-sized segments of real speech: the last step of every engine's ``transcribe()``.

Whisper cuts its output where its 30 s decoding windows happen to end, so a segment can hold a
whole monologue, or (on one channel of a stereo call) every turn of one speaker with the other
speaker's turns as long silent holes inside. A transcript that follows playback, and a quote of
one moment, need sentence-sized pieces. And Whisper writes text over silence it was given
("Thank you.", ". . ."), typically where a channel falls silent at the end of a call.

``finish_segments(segments, audio)`` does both, on the segments of one mono track (a whole clip,
or one channel of a stereo call) together with that track's audio:

1. **Split** every segment that has word timestamps into sentence-sized pieces: after a word that
   ends a sentence (``.``, ``?``, ``!``, not after "Mr." or "U.S."), at every pause between two
   words longer than ``PAUSE_SECONDS``, and then any piece still longer than ``MAX_SEGMENT_SECONDS``
   at its largest pause (recursively). Each piece keeps its own words; its start and end are those
   of its first and last word; its text is the original text of those words, whitespace-normalised.
   Segments without words (engines run without word timings) are kept as they are.
2. **Drop** pieces that are very likely not speech: text with no letter or digit; every word heard
   with a probability under ``LOW_WORD_PROBABILITY``; or a piece lying wholly in a stretch where the
   track's audio is silent: its loudest 20 ms frame (a little margin either side) is more than
   ``SILENCE_BELOW_SPEECH_DB`` below the track's speech level. The speech level is measured on the
   track itself (the loud end of its non-silent frames), so the rule holds whatever the recording
   level is, and a short real answer ("Yes.") always has its own loud frames under it.

The engines also apply ``unlikely_speech`` to Whisper's own per-segment decoding statistics
(no-speech probability, average log probability) before their segments reach this step, since
those are not kept on the domain ``Segment``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from listen.domain import Segment, Word
from listen.transcribe.engine import SAMPLE_RATE

PAUSE_SECONDS = 0.7  # a pause between two words longer than this ends a segment
MAX_SEGMENT_SECONDS = 15.0  # no segment longer than this, when its words allow a cut
SENTENCE_END = (".", "?", "!", "\u2026")
CLOSING = "\"')]}\u201d\u2019"  # closing quotes and brackets after the sentence's full stop
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "vs", "approx"})
INITIALISM = re.compile(r"^(?:[a-z]\.){2,}$", re.IGNORECASE)  # "U.S.", "e.g."

LOW_WORD_PROBABILITY = 0.1  # a piece whose every word is below this was not heard, it was made up
FRAME_SECONDS = 0.02  # loudness is measured on 20 ms frames
SILENCE_MARGIN_SECONDS = 0.1  # word timings can be this far off: look this far around a piece
SILENCE_BELOW_SPEECH_DB = 30.0  # a stretch this far under the track's speech level is silent
ACTIVE_FLOOR_DBFS = -70.0  # frames above this hold something (speech, breath, line noise)
SPEECH_PERCENTILE = 90.0  # the speech level: this percentile of the active frames
MIN_ACTIVE_SECONDS = 0.1  # with fewer active frames than this the level is unknown: drop nothing

# Whisper's own rule for "this window is silence" (no_speech_threshold / logprob_threshold).
NO_SPEECH_PROBABILITY = 0.6
LOW_AVERAGE_LOGPROB = -1.0


def finish_segments(segments: Sequence[Segment], audio: np.ndarray | None) -> list[Segment]:
    """Split ``segments`` into sentence-sized pieces and drop the pieces that are not speech.

    ``audio`` is the 16 kHz mono track the segments were heard on (their times are seconds into
    it); None skips the silence check.
    """
    levels = TrackLevels.measure(audio) if audio is not None else None
    finished: list[Segment] = []
    for segment in segments:
        for piece in split_segment(segment):
            if not is_speech(piece, levels):
                continue
            finished.append(piece)
    return finished


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
        if ends_sentence(before.word) or word.start - before.end > pause_seconds:
            runs.append((first, index))
            first = index
    runs.append((first, len(words)))
    capped = [piece for run in runs for piece in _cap(words, run, max_seconds)]
    return [_piece(segment, words, texts, run) for run in capped]


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


def unlikely_speech(text: str, no_speech_prob: float | None, avg_logprob: float | None) -> bool:
    """Whisper's own evidence that a segment was decoded from silence.

    Punctuation only, or Whisper's silence rule: the no-speech probability is high *and* the text
    was decoded with low confidence (either alone is common on real, quiet speech).
    """
    if not has_words(text):
        return True
    if no_speech_prob is None or avg_logprob is None:
        return False
    return no_speech_prob > NO_SPEECH_PROBABILITY and avg_logprob < LOW_AVERAGE_LOGPROB


def is_speech(segment: Segment, levels: TrackLevels | None = None) -> bool:
    """False for a piece that is very likely not speech (see the module's docstring)."""
    if not has_words(segment.text):
        return False
    probabilities = [w.probability for w in segment.words if w.probability is not None]
    if probabilities and max(probabilities) < LOW_WORD_PROBABILITY:
        return False
    if levels is not None and levels.silent(segment.start, segment.end):
        return False
    return True


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

    def loudest(self, start: float, end: float) -> float:
        """The loudest frame (dBFS) between ``start`` and ``end`` seconds (-120 when out of range)."""
        first = max(0, int(np.floor(start / FRAME_SECONDS)))
        last = min(self.frame_db.shape[0], int(np.ceil(end / FRAME_SECONDS)) + 1)
        if last <= first:
            return -120.0
        return float(np.max(self.frame_db[first:last]))

    def silent(self, start: float, end: float) -> bool:
        """True when nothing near speech level sounds from ``start`` to ``end`` (with a margin)."""
        if self.speech_db is None:
            return False
        threshold = self.speech_db - SILENCE_BELOW_SPEECH_DB
        return self.loudest(start - SILENCE_MARGIN_SECONDS, end + SILENCE_MARGIN_SECONDS) < threshold
