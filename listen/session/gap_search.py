"""Find existing gaps as someone types, so a recurring gap is linked instead of duplicated, and
nothing else is offered.

A gap is only ever a candidate when it shares a word with the query: a content word (stop words
ignored) of its title, description or category, compared by a light stem ("refunds" finds
"refund"), by a typo-tolerant ratio ("refnud", rapidfuzz) or, for the word being typed, by its
beginning ("refu"). Whole-string similarity alone never offers a gap: that is what linked
"Quick start guide leaves out the Bluetooth menu step" to "Courier portal cannot move deliveries
to a weekend" (difflib, 0.34).

A candidate's score (0..1) mixes, with weights tuned on the labelled set in
tests/session/gap_search_labelled.py:
- coverage: the share of the query's words the gap has (a title word counts fully, a description
  word 0.6, a category word 0.4);
- title coverage: the share of the gap title's words the query has;
- rapidfuzz's token-set ratio of the query's words against the gap's words (title + description +
  category), and its partial ratio against the title.
Ranking: score nudged by how often the gap was seen (up to 0.04), then times seen, then the
newest. An empty query lists every gap, most seen first. ``GapMatch.shared`` says why a gap
matched (the gap's own words that met the query), ``highlight_spans`` where they sit in a text.

rapidfuzz costs ~40 ms to import, so it is imported by the first search, not with this module.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from listen.domain import Gap
from listen.session.text import STOP_WORDS, WORD, stem, words

FILTER_SCORE = 0.3  # a list filter (the Gaps screen) also shows gaps met by one description word
MIN_SCORE = (
    0.56  # tuned on tests/session/gap_search_labelled.py: new texts score <= 0.50 there, same gaps >= 0.64
)
# A match this good is offered before "+ New gap" (Enter on the list's first entry links it);
# weaker ones are listed after it, so the natural type, down, Enter makes a new gap rather than a
# false link. On the labelled set every new text scores <= 0.50 and 27 of 30 same gaps >= 0.70;
# near misses a tester typed ("how long does a repair take" for "... a refund take?") score 0.57-0.62.
STRONG_SCORE = 0.70
TYPO_SCORE = 80  # rapidfuzz ratio (0..100) at which a word of 4+ letters counts as a typo of another
TITLE, DESCRIPTION, CATEGORY = 1.0, 0.6, 0.4  # how much a query word found in each field counts
PREFIX_LETTERS = 3  # an unfinished last word counts from this many letters (and finds continuations)
PREFIX, TYPO = 0.9, 0.85  # a word matched by its beginning (being typed), or as a typo
RECURRING = 0.04  # the most a gap's recurrence moves it up the ranking (see _recurring)
WEIGHTS = (0.45, 0.25, 0.15, 0.15)  # coverage, title coverage, token-set ratio, partial ratio


@dataclass(frozen=True)
class GapMatch:
    gap: Gap
    score: float  # 0..1
    shared: frozenset[str] = frozenset()  # the gap's word stems that met the query (why it matched)


def search_gaps(
    gaps: Iterable[Gap],
    query: str,
    *,
    limit: int | None = 20,
    include_merged: bool = False,
    min_score: float = MIN_SCORE,
) -> list[GapMatch]:
    """Gaps matching ``query``, best first (recurring gaps first among equals)."""
    return GapIndex(gaps, include_merged=include_merged).search(query, limit=limit, min_score=min_score)


def score_gap(gap: Gap, query: str) -> float:
    """How well ``gap`` matches ``query`` (0..1; 0 when they share no word)."""
    found = GapIndex([gap], include_merged=True).search(query, limit=1, min_score=0.0)
    return found[0].score if found and query_terms(query) else 0.0


def query_terms(text: str) -> list[str]:
    """The stems of the words of ``text`` that carry meaning (all of them if all are stop words)."""
    tokens = words(text)
    kept = [t for t in tokens if t not in STOP_WORDS] or tokens
    return [stem(t) for t in kept]


def highlight_spans(text: str, stems: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text`` whose stem is in ``stems``, for showing why it matched."""
    wanted = set(stems)
    if not wanted:
        return []
    lowered = text.lower().replace("\u2019", "'")
    return [(m.start(), m.end()) for m in WORD.finditer(lowered) if stem(m.group()) in wanted]


def words_beyond_title(gap: Gap, stems: Iterable[str]) -> list[str]:
    """The description's words that met the query and are not already in the title (one each)."""
    beyond = set(stems) - set(_stems(gap.title, {}))
    seen: dict[str, str] = {}
    for start, end in highlight_spans(gap.description, beyond):
        word = gap.description[start:end]
        seen.setdefault(stem(word.lower()), word)
    return list(seen.values())


@dataclass
class _Entry:
    gap: Gap
    title: frozenset[str]
    title_text: str
    all_text: str
    order: tuple[int, int, str] = (0, 0, "")  # tie-break: most seen, newest, id


class GapIndex:
    """The gaps, indexed once by word, so each keystroke only scores the gaps sharing a word."""

    def __init__(self, gaps: Iterable[Gap], *, include_merged: bool = False) -> None:
        self.entries: list[_Entry] = []
        # stem -> {entry number: the weight of the best field it appears in}
        self.postings: dict[str, dict[int, float]] = {}
        stems: dict[str, str] = {}  # word -> stem, shared by every gap (stemming is most of the cost)
        for gap in gaps:
            if gap.merged_into is not None and not include_merged:
                continue
            number = len(self.entries)
            title, body = _stems(gap.title, stems), _stems(gap.description, stems)
            category = _stems(gap.category, stems)
            for field_stems, weight in ((category, CATEGORY), (body, DESCRIPTION), (title, TITLE)):
                for s in field_stems:
                    posting = self.postings.setdefault(s, {})
                    if weight > posting.get(number, 0.0):
                        posting[number] = weight
            self.entries.append(
                _Entry(gap, frozenset(title), " ".join(title), " ".join([*title, *body, *category]))
            )
        newest = sorted(range(len(self.entries)), key=lambda n: self.entries[n].gap.created_at, reverse=True)
        for rank, number in enumerate(newest):
            entry = self.entries[number]
            entry.order = (-entry.gap.times_seen, rank, entry.gap.id)
        self.vocabulary = sorted(self.postings)
        self._by_default = sorted(range(len(self.entries)), key=lambda n: self.entries[n].order)

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, query: str, *, limit: int | None = 20, min_score: float = MIN_SCORE) -> list[GapMatch]:
        terms = query_terms(query)
        typing = not query[-1:].isspace()  # the last word may be unfinished
        if typing and terms and len(terms[-1]) < PREFIX_LETTERS:
            terms = terms[:-1]  # one or two letters of a word say nothing yet
        if not terms:
            numbers = self._by_default[:limit] if limit is not None else self._by_default
            return [GapMatch(self.entries[n].gap, 0.0) for n in numbers]
        from rapidfuzz import fuzz

        # how much each gap has of the query's words: the best field weight x likeness, per term
        covered: dict[int, float] = {}
        exact: dict[int, int] = {}  # how many of the query's distinct words each gap has as they are
        met: set[str] = set()
        for i, term in enumerate(terms):
            like = self._words_like(term, prefix=typing and i == len(terms) - 1)
            met.update(like)
            if term in like and term not in terms[:i]:
                for number in self.postings[term]:
                    exact[number] = exact.get(number, 0) + 1
            best: dict[int, float] = {}
            for word, likeness in like.items():
                for number, weight in self.postings[word].items():
                    if likeness * weight > best.get(number, 0.0):
                        best[number] = likeness * weight
            for number, value in best.items():
                covered[number] = covered.get(number, 0.0) + value
        title_met: dict[int, int] = {}  # how many of each gap's title words the query met
        for word in met:
            for number, weight in self.postings[word].items():
                if weight == TITLE:
                    title_met[number] = title_met.get(number, 0) + 1
        query_text = " ".join(terms)
        distinct = len(set(terms))
        w_cover, w_title, w_set, w_partial = WEIGHTS
        matches = []
        for number, found in covered.items():
            entry = self.entries[number]
            partial_score = w_cover * found / len(terms)
            if entry.title:
                partial_score += w_title * title_met.get(number, 0) / len(entry.title)
            if partial_score + w_set + w_partial < min_score:
                continue  # cannot reach the threshold whatever the ratios say (skips most gaps)
            # both ratios are 100 when the query's words are all the gap's (the common case while
            # typing); rapidfuzz is asked only otherwise (half the cost of a keystroke at 2,000 gaps)
            token_set = (
                100.0 if exact.get(number) == distinct else fuzz.token_set_ratio(query_text, entry.all_text)
            )
            within = query_text in entry.title_text
            partial = 100.0 if within else fuzz.partial_ratio(query_text, entry.title_text)
            score = partial_score + (w_set * token_set + w_partial * partial) / 100
            if score >= min_score:
                matches.append((round(score, 4), number))
        matches.sort(key=lambda m: (-m[0] - _recurring(self.entries[m[1]].gap), self.entries[m[1]].order))
        kept = matches[:limit] if limit is not None else matches
        return [
            GapMatch(self.entries[n].gap, score, frozenset(w for w in met if n in self.postings[w]))
            for score, n in kept
        ]

    def _words_like(self, term: str, *, prefix: bool) -> dict[str, float]:
        """Indexed stems that meet ``term``: itself, its typos, and (while typed) its continuations."""
        from rapidfuzz import fuzz, process

        like: dict[str, float] = {}
        if term in self.postings:
            like[term] = 1.0
        if prefix:
            start = bisect.bisect_left(self.vocabulary, term)
            for word in self.vocabulary[start:]:
                if not word.startswith(term):
                    break
                like.setdefault(word, PREFIX)
        if len(term) >= 4:
            typos = process.extract(
                term, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE, limit=None
            )
            for word, _ratio, _n in typos:
                if abs(len(word) - len(term)) <= 2:
                    like.setdefault(word, TYPO)
        return like


def _stems(text: str, cache: dict[str, str]) -> list[str]:
    """Distinct stems of the content words of ``text``, in order (``cache``: word -> stem)."""
    seen: dict[str, None] = {}
    for token in words(text):
        if token not in STOP_WORDS:
            found = cache.get(token)
            if found is None:
                found = cache[token] = stem(token)
            seen[found] = None
    return list(seen)


def _recurring(gap: Gap) -> float:
    """A ranking nudge (not part of the score): a gap seen 5+ times outranks an equal one by 0.04."""
    return RECURRING * min(gap.times_seen - 1, 4) / 4
