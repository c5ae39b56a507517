"""The dot vote: each attendee gets about a quarter as many dots as there are ideas (at least one).

Pure functions over ``FixIdea`` objects; ``service.cast_vote`` applies them under the store's lock.
Attendee names are compared without regard to case or surrounding spaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from listen.domain import FixIdea
from listen.session.errors import SessionError, VoteBudgetError

MIN_SCORE, MAX_SCORE = 1, 3  # impact and effort


def vote_budget(n_ideas: int) -> int:
    """Dots per attendee: a quarter of the ideas, rounded half up, at least 1 (8 ideas -> 2)."""
    return max(1, (max(0, n_ideas) + 2) // 4)


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def votes_by(ideas: Iterable[FixIdea], attendee: str) -> int:
    """The dots ``attendee`` has placed across ``ideas``."""
    key = name_key(attendee)
    return sum(count for idea in ideas for who, count in idea.votes.items() if name_key(who) == key)


def votes_left(ideas: Sequence[FixIdea], attendee: str, *, on_the_table: int | None = None) -> int:
    """``on_the_table``: how many ideas the vote is over, when more than ``ideas`` (earlier open
    ideas on today's gaps join the vote with no dots)."""
    return vote_budget(on_the_table if on_the_table is not None else len(ideas)) - votes_by(ideas, attendee)


def apply_vote(
    ideas: Sequence[FixIdea], idea: FixIdea, attendee: str, delta: int, *, on_the_table: int | None = None
) -> None:
    """Add ``delta`` dots (negative takes dots back) from ``attendee`` to ``idea``, in place.

    ``ideas`` are all the ideas of the session (the budget spans them, with ``on_the_table`` the
    number of ideas voted over when earlier ones join). Raises VoteBudgetError when the attendee
    would go over their budget, SessionError when taking back dots they did not place.
    """
    if delta == 0:
        return
    key = name_key(attendee)
    stored = next((who for who in idea.votes if name_key(who) == key), attendee.strip())
    mine = idea.votes.get(stored, 0)
    if mine + delta < 0:
        raise SessionError(f"{idea.id}: {attendee} has {mine} dot(s) on it, cannot take back {-delta}")
    if delta > 0:
        pool = on_the_table if on_the_table is not None else len(ideas)
        budget = vote_budget(pool)
        used = votes_by(ideas, attendee)
        if used + delta > budget:
            raise VoteBudgetError(
                f"{attendee} has used {used} of {budget} dot(s) ({pool} ideas); "
                "take a dot back from another idea first"
            )
    if mine + delta == 0:
        idea.votes.pop(stored, None)
    else:
        idea.votes[stored] = mine + delta


def check_score(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SCORE <= value <= MAX_SCORE:
        raise SessionError(f"{name} must be {MIN_SCORE}, 2 or {MAX_SCORE} (low, medium, high), not {value!r}")
    return value


def rank_key(idea: FixIdea) -> tuple[int, int, int, str, str]:
    """Most dots first; then high impact, then low effort, then the oldest."""
    impact = idea.impact or 0
    effort = idea.effort or MAX_SCORE + 1
    return (-idea.vote_count, -impact, effort, idea.created_at, idea.id)


def ranked(ideas: Iterable[FixIdea]) -> list[FixIdea]:
    return sorted(ideas, key=rank_key)


def top_ideas(ideas: Iterable[FixIdea], n: int = 5) -> list[FixIdea]:
    """The ideas to rate for impact/effort: the ``n`` with most dots (ideas with no dot only if
    nobody voted at all)."""
    ordered = ranked(ideas)
    voted = [idea for idea in ordered if idea.vote_count > 0]
    return (voted or ordered)[:n]
