"""The labelled redaction corpus (``redact_corpus.txt`` and the speech model's transcripts of its
spoken sentences) and its scoring: precision and recall per category.

A sentence's marks (``{phone:415-555-2671}``) say what must be redacted and as what. A sentence
scores, per category, min(expected, found) hits, minus every expected secret a word of which is
still in the redacted text (a leak counts as a miss even when a label is there); extra findings are
false positives. Near misses expect nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from listen.minutes.redact import LABELS, find_spans, redact

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "redact_corpus.txt"
WHISPER = HERE / "redact_corpus_whisper.tsv"
WHISPER_LABELS = HERE / "redact_corpus_whisper_labels.tsv"
MARK = re.compile(r"\{(\w+):((?:[^{}]|\{[^{}]*\})*)\}")
# Words that join the parts of a secret without being part of it.
GLUE = frozenset(
    ("at", "dot", "underscore", "dash", "hyphen", "ext", "extension", "x", "the", "of", "and", "is")
)


@dataclass(frozen=True)
class Sentence:
    source: str  # "corpus.txt:12" or "whisper:12@8000"
    region: str
    kind: str  # w written, s spoken form, t transcript, n near miss
    marked: str
    text: str = field(init=False)
    secrets: tuple[tuple[str, str], ...] = field(init=False)  # (category, secret)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", MARK.sub(lambda m: m.group(2), self.marked))
        secrets = tuple((m.group(1), m.group(2)) for m in MARK.finditer(self.marked))
        object.__setattr__(self, "secrets", secrets)


def written_sentences() -> list[Sentence]:
    found = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            region, kind, marked = line.split("\t")
            found.append(Sentence(f"corpus.txt:{number}", region, kind, marked))
    return found


def transcripts() -> list[tuple[str, str]]:
    """(key, transcript) of every row of the speech model's output; key is "line@rate"."""
    rows = []
    for line in WHISPER.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            number, _region, rate, _marked, text = line.split("\t")
            rows.append((f"{number}@{rate}", text))
    return rows


def transcript_sentences() -> list[Sentence]:
    """The transcripts as labelled by hand in ``redact_corpus_whisper_labels.tsv``."""
    found = []
    for line in WHISPER_LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, region, marked = line.split("\t")
            found.append(Sentence(f"whisper:{key}", region, "t", marked))
    return found


def all_sentences() -> list[Sentence]:
    return written_sentences() + transcript_sentences()


def leaks(sentence: Sentence, redacted: str) -> Counter[str]:
    """Per category, how many secrets still show a word of theirs in ``redacted``."""
    leaked: Counter[str] = Counter()
    words = set(re.findall(r"\w+", re.sub(r"\[[a-z ]+\]", " ", redacted).lower()))  # labels aside
    around = set(re.findall(r"\w+", MARK.sub(" ", sentence.marked).lower()))  # words outside the marks
    for category, secret in sentence.secrets:
        parts = {w for w in re.findall(r"\w+", secret.lower()) if len(w) > 1 or w.isdigit()}
        parts -= GLUE | around
        if parts & words:
            leaked[category] += 1
    return leaked


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Evaluation:
    scores: dict[str, Score]
    failures: list[str]  # one line per sentence that missed or over-redacted


def evaluate(sentences: list[Sentence]) -> Evaluation:
    scores = {category: Score() for category in LABELS}
    failures = []
    for sentence in sentences:
        spans = find_spans(sentence.text, sentence.region)
        redacted = redact(sentence.text, sentence.region)
        expected = Counter(category for category, _ in sentence.secrets)
        found = Counter(span.category for span in spans)
        leaked = leaks(sentence, redacted)
        bad = False
        for category in set(expected) | set(found):
            hits = max(0, min(expected[category], found[category]) - leaked[category])
            score = scores[category]
            score.tp += hits
            score.fn += expected[category] - hits
            score.fp += max(0, found[category] - expected[category])
            bad = bad or hits < expected[category] or found[category] > expected[category]
        if bad:
            failures.append(f"{sentence.source} [{sentence.region}] {sentence.marked!r} -> {redacted!r}")
    return Evaluation(scores, failures)


def table(evaluation: Evaluation) -> str:
    lines = [f"{'category':10} {'expected':>8} {'found ok':>8} {'false +':>8} {'precision':>9} {'recall':>7}"]
    for category, s in evaluation.scores.items():
        lines.append(f"{category:10} {s.tp + s.fn:8} {s.tp:8} {s.fp:8} {s.precision:9.3f} {s.recall:7.3f}")
    return "\n".join(lines)


if __name__ == "__main__":  # print the scores: python tests/minutes/redact_corpus.py
    import sys

    chosen = written_sentences() + (transcript_sentences() if WHISPER_LABELS.exists() else [])
    result = evaluate(chosen)
    print(table(result))
    print(f"{len(chosen)} sentences, {sum(1 for s in chosen if s.kind == 'n')} near misses")
    print("\n".join(result.failures), file=sys.stderr)
