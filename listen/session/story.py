"""The story check: how much the team tells the same story about what makes the business different.

How the cohesion figure is computed
-----------------------------------
1. Each attendee's answer is cut into words; common words ("the", "we", "and"...) and numbers are
   dropped, and the rest are reduced to a simple stem, so "deliver", "delivered" and "delivering"
   count as one word.
2. Each answer becomes a TF-IDF vector: a word weighs more the more often that answer uses it
   (term frequency) and the fewer answers use it at all (inverse document frequency,
   ``idf = ln((1 + N) / (1 + df)) + 1`` for N answers of which df use the word).
3. Every pair of answers is compared by the cosine of their vectors: 1 when they use the same
   words in the same proportions, 0 when they share no word.
4. **Cohesion** is the mean of those pairwise similarities, times 100: 0 means nobody shares a
   word with anybody, 100 means everybody wrote the same thing. Short answers that say the same
   thing in different words score low, so read it as a trend from month to month, not a grade.
5. **Shared words** are the words used by at least half of the answers (and by at least two).
6. **Furthest apart** is the attendee whose answer has the lowest mean similarity to the others
   (only with three answers or more; with two, both are equally far).

It needs at least two answers; with fewer the figure is left out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from listen.domain import Session
from listen.session.text import content_words, stem

MAX_SHARED_WORDS = 12

STORY_QUESTIONS = (
    "What do we deliver that no one else delivers?",
    "What is our story?",
    "What do we promise that no one else promises?",
)


@dataclass(frozen=True)
class StoryResult:
    cohesion: float | None  # 0..100, one decimal; None with fewer than two answers
    shared_words: tuple[str, ...] = ()
    furthest: str | None = None
    closeness: dict[str, float] = field(default_factory=dict)  # name -> mean similarity (0..1)
    pairs: dict[tuple[str, str], float] = field(default_factory=dict)  # (a, b) -> cosine (0..1)


def story_cohesion(answers: Mapping[str, str]) -> StoryResult:
    """Cohesion, shared words and the answer furthest apart (see the module's documentation)."""
    names = [name for name, text in answers.items() if text.strip()]
    if len(names) < 2:
        return StoryResult(cohesion=None)
    tokens = {name: content_words(answers[name]) for name in names}
    stems = {name: [stem(word) for word in tokens[name]] for name in names}
    n = len(names)
    df: Counter[str] = Counter()
    for name in names:
        df.update(set(stems[name]))
    idf = {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}
    vectors = {name: _unit({t: c * idf[t] for t, c in Counter(stems[name]).items()}) for name in names}

    pairs: dict[tuple[str, str], float] = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            pairs[(a, b)] = _dot(vectors[a], vectors[b])
    cohesion = round(100.0 * sum(pairs.values()) / len(pairs), 1)
    closeness = {name: sum(v for (a, b), v in pairs.items() if name in (a, b)) / (n - 1) for name in names}
    furthest = None
    if n >= 3:
        lowest = min(names, key=lambda name: (closeness[name], name))
        if max(closeness.values()) - closeness[lowest] > 1e-9:
            furthest = lowest
    return StoryResult(
        cohesion=cohesion,
        shared_words=_shared_words(names, tokens, df),
        furthest=furthest,
        closeness={name: round(value, 4) for name, value in closeness.items()},
        pairs={pair: round(value, 4) for pair, value in pairs.items()},
    )


def _shared_words(names: list[str], tokens: dict[str, list[str]], df: Counter[str]) -> tuple[str, ...]:
    needed = max(2, math.ceil(len(names) / 2))
    surface: dict[str, Counter[str]] = {}
    for name in names:
        for word in tokens[name]:
            surface.setdefault(stem(word), Counter())[word] += 1
    shared = [term for term, count in df.items() if count >= needed]
    shared.sort(key=lambda t: (-df[t], -sum(surface[t].values()), t))
    return tuple(surface[t].most_common(1)[0][0] for t in shared[:MAX_SHARED_WORDS])


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return min(1.0, sum(v * b.get(t, 0.0) for t, v in a.items()))


def cohesion_trend(sessions: Iterable[Session]) -> list[tuple[str, float]]:
    """(session date, cohesion) of each session given that has a story check with a cohesion
    figure, in the order given: the one trend rule for the story step, the minutes and the report."""
    return [
        (s.date, s.story_check.cohesion)
        for s in sessions
        if s.story_check is not None and s.story_check.cohesion is not None
    ]
