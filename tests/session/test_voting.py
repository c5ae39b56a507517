from __future__ import annotations

import pytest

from listen.domain import FixIdea
from listen.session.errors import SessionError, VoteBudgetError
from listen.session.voting import apply_vote, ranked, top_ideas, vote_budget, votes_by, votes_left


@pytest.mark.parametrize(
    ("ideas", "budget"), [(0, 1), (1, 1), (2, 1), (4, 1), (6, 2), (8, 2), (10, 3), (12, 3), (20, 5)]
)
def test_budget_is_about_a_quarter_at_least_one(ideas: int, budget: int) -> None:
    assert vote_budget(ideas) == budget


def test_votes_stay_within_budget_across_ideas() -> None:
    ideas = [FixIdea(id=f"I-{n}", text=f"idea {n}") for n in range(8)]  # budget 2
    apply_vote(ideas, ideas[0], "Ana", 1)
    apply_vote(ideas, ideas[1], "ana ", 1)  # same person, whatever the case
    assert votes_by(ideas, "ANA") == 2 and votes_left(ideas, "Ana") == 0
    with pytest.raises(VoteBudgetError, match="Ana has used 2 of 2"):
        apply_vote(ideas, ideas[2], "Ana", 1)
    apply_vote(ideas, ideas[0], "Ana", -1)
    assert ideas[0].votes == {}
    apply_vote(ideas, ideas[2], "Ana", 1)
    assert ideas[2].votes == {"Ana": 1}
    with pytest.raises(SessionError, match="cannot take back"):
        apply_vote(ideas, ideas[3], "Ana", -1)


def test_ranking_votes_then_impact_then_effort() -> None:
    a = FixIdea(id="I-1", text="a", votes={"x": 1}, impact=3, effort=3, created_at="1")
    b = FixIdea(id="I-2", text="b", votes={"x": 1}, impact=3, effort=1, created_at="2")
    c = FixIdea(id="I-3", text="c", votes={"x": 2}, created_at="3")
    d = FixIdea(id="I-4", text="d", created_at="4")
    assert [i.id for i in ranked([a, b, c, d])] == ["I-3", "I-2", "I-1", "I-4"]
    assert [i.id for i in top_ideas([a, b, c, d], 5)] == ["I-3", "I-2", "I-1"]
    assert [i.id for i in top_ideas([d], 5)] == ["I-4"]
