"""Word error rate with one fixed text normaliser, so accuracy figures compare across runs.

The normaliser lower-cases, spells out a few English abbreviations Whisper likes to write
("Mr." -> "mister"), turns hyphens and slashes into spaces, drops other punctuation (keeping
apostrophes inside words) and splits on white space. It is deliberately small and never changes:
a test bound measured with it stays meaningful. No dependency on jiwer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ABBREVIATIONS: dict[str, str] = {
    "mr": "mister",
    "mrs": "missus",
    "ms": "miss",
    "dr": "doctor",
    "st": "saint",
    "okay": "ok",
}
_SEPARATORS = re.compile(r"[-‐‑‒–—/]")
_NOT_WORD = re.compile(r"[^\w' ]+")
_APOSTROPHES = re.compile(r"[’‘`]")


def normalise(text: str) -> list[str]:
    """The words of ``text`` as compared by ``word_error_rate``."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("'", text)
    text = _SEPARATORS.sub(" ", text)
    text = _NOT_WORD.sub(" ", text)
    words = []
    for raw in text.split():
        word = raw.strip("'_")
        if word:
            words.append(ABBREVIATIONS.get(word, word))
    return words


@dataclass(frozen=True)
class ErrorCount:
    substitutions: int
    deletions: int
    insertions: int
    reference_words: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        if self.reference_words == 0:
            return 0.0 if self.errors == 0 else float("inf")
        return self.errors / self.reference_words

    def __add__(self, other: ErrorCount) -> ErrorCount:
        return ErrorCount(
            self.substitutions + other.substitutions,
            self.deletions + other.deletions,
            self.insertions + other.insertions,
            self.reference_words + other.reference_words,
        )


def count_errors(reference: Sequence[str], hypothesis: Sequence[str]) -> ErrorCount:
    """Levenshtein alignment of two word lists (substitution, deletion, insertion all cost 1)."""
    rows, cols = len(reference), len(hypothesis)
    # cost[j] holds (total, subs, dels, ins) for the current row
    previous = [(j, 0, 0, j) for j in range(cols + 1)]
    for i in range(1, rows + 1):
        current = [(i, 0, i, 0)]
        for j in range(1, cols + 1):
            if reference[i - 1] == hypothesis[j - 1]:
                current.append(previous[j - 1])
                continue
            diagonal, above, left = previous[j - 1], previous[j], current[j - 1]
            best = min(
                (diagonal[0] + 1, diagonal[1] + 1, diagonal[2], diagonal[3]),
                (above[0] + 1, above[1], above[2] + 1, above[3]),
                (left[0] + 1, left[1], left[2], left[3] + 1),
            )
            current.append(best)
        previous = current
    _total, subs, dels, ins = previous[cols]
    return ErrorCount(subs, dels, ins, rows)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, after ``normalise``."""
    return count_errors(normalise(reference), normalise(hypothesis)).rate


def corpus_error_rate(pairs: Iterable[tuple[str, str]]) -> float:
    """Word error rate over many (reference, hypothesis) pairs: total errors / total words."""
    total = ErrorCount(0, 0, 0, 0)
    for reference, hypothesis in pairs:
        total = total + count_errors(normalise(reference), normalise(hypothesis))
    return total.rate
