"""Find existing gaps as someone types, so a recurring gap is linked instead of duplicated.

Scoring (0..1, higher is better), over the gap's title and description:
- word coverage: the share of the query's words found in the title (full weight) or only in the
  description (half weight), words compared by a light stem ("refunds" finds "refund");
- prefix match: a query word that begins a title word counts ("refu" finds "refund"), so results
  show while the word is still being typed;
- a character-level similarity of the query and the title (difflib), for typos ("refnud");
The best of those wins the ranking, with ties broken by how often the gap was seen (recurring gaps
first), then the newest. An empty query lists every gap, most seen first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from listen.domain import Gap
from listen.session.text import STOP_WORDS, stem, words

MIN_SCORE = 0.34
TYPO_RATIO = 0.8  # a query word this close to a title word counts as found


@dataclass(frozen=True)
class GapMatch:
    gap: Gap
    score: float  # 0..1


def search_gaps(
    gaps: Iterable[Gap], query: str, *, limit: int | None = 20, include_merged: bool = False
) -> list[GapMatch]:
    """Gaps matching ``query``, best first (recurring gaps first among equals)."""
    pool = [g for g in gaps if include_merged or g.merged_into is None]
    terms = _terms(query)
    if not terms:
        matches = [GapMatch(g, 0.0) for g in pool]
    else:
        matches = [GapMatch(g, s) for g in pool if (s := score_gap(g, query, terms)) >= MIN_SCORE]
    matches.sort(key=lambda m: (-round(m.score, 3), -m.gap.times_seen, _negated(m.gap.created_at), m.gap.id))
    return matches[:limit] if limit is not None else matches


def score_gap(gap: Gap, query: str, terms: list[str] | None = None) -> float:
    """How well ``gap`` matches ``query`` (0..1)."""
    terms = terms if terms is not None else _terms(query)
    if not terms:
        return 0.0
    title_words = _terms(gap.title, keep_stop_words=True)
    title_stems = {stem(w) for w in title_words}
    body_stems = {stem(w) for w in _terms(gap.description, keep_stop_words=True)}
    found = 0.0
    for i, term in enumerate(terms):
        last = i == len(terms) - 1
        term_stem = stem(term)
        if term_stem in title_stems:
            found += 1.0
        elif last and len(term) >= 2 and any(w.startswith(term) for w in title_words):
            found += 0.9  # still typing this word
        elif len(term) >= 4 and any(_close(term_stem, w) for w in title_stems):
            found += 0.8
        elif term_stem in body_stems:
            found += 0.5
        elif last and len(term) >= 3 and any(w.startswith(term) for w in body_stems):
            found += 0.4
    coverage = found / len(terms)
    ratio = difflib.SequenceMatcher(None, " ".join(terms), gap.title.lower()).ratio()
    return round(max(coverage, ratio * 0.9), 4)


def _terms(text: str, keep_stop_words: bool = False) -> list[str]:
    tokens = words(text)
    if keep_stop_words:
        return tokens
    kept = [t for t in tokens if t not in STOP_WORDS]
    return kept or tokens


def _close(a: str, b: str) -> bool:
    return abs(len(a) - len(b)) <= 2 and difflib.SequenceMatcher(None, a, b).ratio() >= TYPO_RATIO


def _negated(text: str) -> tuple[int, ...]:
    """Sort key that puts later ISO timestamps first."""
    return tuple(-ord(ch) for ch in text)
