"""Personal data bleeped out of a quote's sound: what the text redaction replaces, found in time.

The transcript's words carry their times. The words around a quote (``CONTEXT_SECONDS`` either
side, so a cue such as "my number is" said just before counts) are joined into one text per
speaker, and the text redactor (``redact.find_spans``) and, when anonymising, the names of the
team (``People.spans``) say which characters are personal data. Each span becomes the time from
its first word's start to its last word's end, widened by ``MARGIN_SECONDS`` either side for
timestamp error (Whisper's word times are often 0.1-0.3 s off); digits read out one by one are one
span of the redactor, so one bleep. The quote's own text (which the facilitator may have trimmed
or edited) is checked too: personal data in it is found among the words by aligning the two; if
it cannot be found there, the quote's sound is not exported (``Unlocated``).

``apply_bleeps`` replaces those stretches of the samples by a 1 kHz tone at a moderate level
(-14 dBFS, ramped in and out over 10 ms so it does not click) or by silence.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from listen.domain import Transcript
from listen.minutes.anonymise import People
from listen.minutes.redact import find_spans

MARGIN_SECONDS = 0.4  # either side of a bleep: covers word times up to 0.4 s off
CONTEXT_SECONDS = 8.0  # words read around a quote, so cue words before it count
MIN_RUN_DIGITS = 6  # digits said close together that the sound never keeps, whatever the redactor reads
MIN_RUN_WORDS = 3  # in this many words at least ("1,299.99" is one price, not a number read out)
MAX_GAP_WORDS = 3  # misheard digits ("free", "high") between them
MIN_PAIR_DIGITS = 7  # two words close together ("07700 I'm 093") holding this many digits are a number too
MERGE_SECONDS = 0.3  # bleeps closer than this become one (no word heard between two halves)
TONE_HZ = 1000.0
TONE_LEVEL = 0.2  # -14 dBFS: clearly a bleep, not louder than speech
RAMP_SECONDS = 0.01

BleepMode = Literal["tone", "silence"]


@dataclass(frozen=True)
class TimedWord:
    start: float
    end: float
    text: str
    speaker: str | None = None
    glued: bool = False  # written without a space before it ("4", ".5", ".5": "4.5.5")


@dataclass(frozen=True)
class Bleep:
    """Seconds into the clip to replace, and what was there (a redactor category, or "name")."""

    start: float
    end: float
    category: str
    said: tuple[
        tuple[str, str], ...
    ] = ()  # (category, words) said there: in memory for the check, never written


class NoWordTimes(Exception):
    """Part of the quote was transcribed without word times: nothing can be placed in time."""


class Unlocated(Exception):
    """Personal data in the quote's text that its words do not hold: it cannot be bleeped."""


def words_near(transcript: Transcript | None, start: float, end: float) -> list[TimedWord]:
    """The transcript's words from ``CONTEXT_SECONDS`` before ``start`` to as long after ``end``.

    NoWordTimes when there is no transcript, or a segment that overlaps [start, end] has no words."""
    if transcript is None:
        raise NoWordTimes("the clip has no transcript")
    found: list[TimedWord] = []
    for segment in transcript.segments:
        if segment.end < start - CONTEXT_SECONDS or segment.start > end + CONTEXT_SECONDS:
            continue
        overlaps = segment.end > start and segment.start < end
        if overlaps and not segment.words and segment.text.strip():
            raise NoWordTimes("its transcript has no word timings")
        at = 0
        for word in segment.words:
            text = word.word.strip()
            place = segment.text.find(text, at) if text else -1
            glued = 0 < at == place  # the segment's text has no space before this word
            at = place + len(text) if place >= 0 else at
            if word.end >= start - CONTEXT_SECONDS and word.start <= end + CONTEXT_SECONDS:
                found.append(TimedWord(word.start, word.end, text, segment.speaker, glued))
    return found


def check_corrections(
    transcript: Transcript | None, start: float, end: float, *, region: str, people: People, redacting: bool
) -> None:
    """Unlocated when a person's correction of a segment around the quote took personal data the
    machine heard there out of the timed words: the data is still in the sound, but where it was
    said is no longer known (the corrected segment keeps times only for the words it still has)."""
    if transcript is None:
        return
    for segment in transcript.segments:
        if segment.original_text is None:
            continue
        if segment.end < start - 1.0 or segment.start > end + 1.0:
            continue  # only what the quote's file holds (0.3 s of lead-in and tail, and a margin)
        timed = {token for word in segment.words for token, _, _ in _norm_tokens(word.word)}
        original = segment.original_text
        for a, b, category in _personal(original, region, people, redacting):
            if any(token not in timed for token, _, _ in _norm_tokens(original[a:b])):
                raise Unlocated(f"a correction took {category} data the machine heard out of its timed words")


def find_bleeps(
    words: Sequence[TimedWord],
    quote_text: str,
    *,
    region: str,
    people: People,
    redacting: bool,
) -> list[Bleep]:
    """Where the personal data of ``words`` (and of ``quote_text``) is said, widened by the margin
    and merged. Unlocated when the quote's text holds personal data its words do not."""
    bleeps: list[Bleep] = []
    for speaker in dict.fromkeys(w.speaker for w in words):
        said = sorted((w for w in words if w.speaker == speaker and w.text), key=lambda w: w.start)
        text, offsets = _joined(said)
        for start, end, category in _personal(text, region, people, redacting):
            hit = [w for w, (a, b) in zip(said, offsets, strict=True) if a < end and b > start]
            if hit:
                bleeps.append(_widened(hit, category))
        if redacting:
            bleeps += [_widened(run, "number") for run in _digit_runs(said)]
            bleeps += [_widened([w], "email") for w in said if _HOST_RE.search(w.text)]
    bleeps += _in_quote_text(words, quote_text, region, people, redacting)
    return merge_bleeps(bleeps)


def merge_bleeps(bleeps: Sequence[Bleep]) -> list[Bleep]:
    merged: list[Bleep] = []
    for bleep in sorted(bleeps, key=lambda b: b.start):
        if merged and bleep.start <= merged[-1].end + MERGE_SECONDS:
            last = merged[-1]
            merged[-1] = Bleep(last.start, max(last.end, bleep.end), last.category, (*last.said, *bleep.said))
        else:
            merged.append(bleep)
    return merged


def apply_bleeps(
    samples: np.ndarray,
    sample_rate: int,
    bleeps: Sequence[Bleep],
    *,
    offset: float = 0.0,
    mode: BleepMode = "tone",
) -> np.ndarray:
    """A copy of mono ``samples`` (which start ``offset`` seconds into the clip) with each bleep's
    stretch replaced by the tone or by silence."""
    out = np.array(samples, dtype=np.float32, copy=True)
    for bleep in bleeps:
        a = max(0, int(np.floor((bleep.start - offset) * sample_rate)))
        b = min(out.shape[0], int(np.ceil((bleep.end - offset) * sample_rate)))
        if b <= a:
            continue
        if mode == "silence":
            out[a:b] = 0.0
            continue
        t = np.arange(b - a, dtype=np.float32) / sample_rate
        tone = TONE_LEVEL * np.sin(2.0 * np.pi * TONE_HZ * t, dtype=np.float32)
        ramp = min(int(RAMP_SECONDS * sample_rate), (b - a) // 2)
        if ramp > 0:
            shape = np.linspace(0.0, 1.0, ramp, dtype=np.float32)
            tone[:ramp] *= shape
            tone[-ramp:] *= shape[::-1]
        out[a:b] = tone
    return out


# --------------------------------------------------------------------------- helpers


def _joined(words: Sequence[TimedWord]) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    at = 0
    for word in words:
        if parts and not word.glued:
            parts.append(" ")
            at += 1
        offsets.append((at, at + len(word.text)))
        parts.append(word.text)
        at += len(word.text)
    return "".join(parts), offsets


def _personal(text: str, region: str, people: People, redacting: bool) -> list[tuple[int, int, str]]:
    found = [(s.start, s.end, s.category) for s in find_spans(text, region)] if redacting else []
    return found + [(a, b, "name") for a, b in people.spans(text)]


def _widened(hit: Sequence[TimedWord], category: str) -> Bleep:
    start = min(w.start for w in hit) - MARGIN_SECONDS
    said = ((category, " ".join(w.text for w in hit)),)
    return Bleep(max(0.0, start), max(w.end for w in hit) + MARGIN_SECONDS, category, said)


_DIGIT_VALUES = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_NUMBER_PUNCTUATION = str.maketrans("", "", ".,;:-–/()+#")
_HOST_RE = re.compile(
    r"@|(?i:[^\W_][\w-]*\.(?:com|net|org|edu|gov|info|biz|io|co|uk|de|fr|es|it|nl|eu|ca|au|us|me)\b)"
)


def digits_of(word: str) -> str:
    """The digits a word stands for: "4", ".488,", "0343-6467" and "five" are digits; "free" is not."""
    bare = word.translate(_NUMBER_PUNCTUATION).casefold()
    if bare.isdigit():
        return bare
    return _DIGIT_VALUES.get(bare, "")


def _digit_runs(words: Sequence[TimedWord]) -> list[list[TimedWord]]:
    """Stretches of words holding ``MIN_RUN_DIGITS`` or more digits in ``MIN_RUN_WORDS`` or more
    words, with at most ``MAX_GAP_WORDS`` other words between two of them.

    The sound's own net under the redactor: a speech model writes numbers read out in ways the
    text redactor cannot read as one ("4.5-3-9", "459-1488 0343-6467" with a digit lost, at 8 kHz
    "5.5 2.1 free 4.4" for "5 5 5 2 1 3 4 4"), yet every digit is in the sound. Written text keeps
    what the redactor decides; the sound bleeps the whole stretch. "2 bikes and 3 helmets for 400"
    (three numbers, five digits) stays; "2 bikes and 3 helmets for 1,299.99" is bleeped (eight
    digits close together: the sound errs on the side of the customer)."""
    runs: list[list[TimedWord]] = []
    current: list[TimedWord] = []  # from the first digit word to the last one seen
    digits = gap = 0
    for word in [*words, None]:
        found = digits_of(word.text) if word is not None else ""
        if found:
            assert word is not None
            current.append(word)
            digits += len(found)
            gap = 0
            continue
        gap += 1
        if word is not None and current and gap <= MAX_GAP_WORDS:
            current.append(word)
            continue
        while current and not digits_of(current[-1].text):
            current.pop()  # the words after the last digit are not part of it
        counted = sum(1 for w in current if digits_of(w.text))
        if digits >= MIN_RUN_DIGITS and counted >= MIN_RUN_WORDS:
            runs.append(current)
        elif digits >= MIN_PAIR_DIGITS and counted == 2 and len(current) <= 3:
            runs.append(current)  # "07700 I'm 093": a number the model split in two, a word between
        current, digits, gap = [], 0, 0
    return runs


_TOKEN_RE = re.compile(r"[^\W_]+")


def _norm_tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).casefold(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _in_quote_text(
    words: Sequence[TimedWord], quote_text: str, region: str, people: People, redacting: bool
) -> list[Bleep]:
    """Personal data in the quote's own text, found among the words by aligning their tokens."""
    spans = _personal(quote_text, region, people, redacting)
    if not spans:
        return []
    said = sorted((w for w in words if w.text), key=lambda w: w.start)
    word_tokens: list[tuple[str, int]] = []  # (token, index of its word)
    for i, word in enumerate(said):
        word_tokens += [(token, i) for token, _, _ in _norm_tokens(word.text)]
    quote_tokens = _norm_tokens(quote_text)
    matcher = difflib.SequenceMatcher(
        None, [t for t, _, _ in quote_tokens], [t for t, _ in word_tokens], autojunk=False
    )
    to_word: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            to_word[block.a + k] = word_tokens[block.b + k][1]
    bleeps = []
    for start, end, category in spans:
        inside = [k for k, (_, a, b) in enumerate(quote_tokens) if a < end and b > start]
        if not inside:
            continue
        matched = [to_word[k] for k in inside if k in to_word]
        if not matched:
            raise Unlocated(f"its text holds {category} data that its words do not")
        first, last = min(matched), max(matched)
        if inside[0] not in to_word:  # the edges were heard differently: take a word more
            first = max(0, first - 1)
        if inside[-1] not in to_word:
            last = min(len(said) - 1, last + 1)
        bleeps.append(_widened(said[first : last + 1], category))
    return bleeps
