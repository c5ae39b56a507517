"""The story check's cohesion figure."""

from __future__ import annotations

import pytest

from listen.session.story import story_cohesion


def test_identical_answers_are_fully_cohesive() -> None:
    text = "Fresh roasted coffee beans at your door within two days"
    result = story_cohesion({"Ana": text, "Ben": text, "Cleo": text})
    assert result.cohesion == 100.0
    assert result.furthest is None  # nobody stands apart
    assert set(result.shared_words) >= {"fresh", "roasted", "coffee", "beans", "door"}


def test_unrelated_answers_score_zero() -> None:
    result = story_cohesion({"Ana": "Cheap bicycles", "Ben": "Friendly mechanics nearby"})
    assert result.cohesion == 0.0 and result.shared_words == ()


def test_the_odd_one_out_is_named_and_lowers_the_figure() -> None:
    close = {
        "Ana": "We roast beans fresh every week and deliver them in two days.",
        "Ben": "Freshly roasted beans, delivered within two days of roasting.",
        "Cleo": "Fresh beans, roasted weekly, at your door in two days.",
    }
    together = story_cohesion(close)
    apart = story_cohesion({**close, "Dev": "Our prices are the lowest in town."})
    assert apart.furthest == "Dev"
    assert apart.cohesion is not None and together.cohesion is not None
    assert apart.cohesion < together.cohesion
    assert 0 < together.cohesion < 100
    assert "beans" in together.shared_words and "fresh" in together.shared_words
    assert apart.closeness["Dev"] == min(apart.closeness.values())


def test_fewer_than_two_answers_give_no_figure() -> None:
    assert story_cohesion({}).cohesion is None
    assert story_cohesion({"Ana": "Fresh beans", "Ben": "   "}).cohesion is None


def test_pairs_are_symmetric_cosines() -> None:
    result = story_cohesion({"A": "fresh beans", "B": "fresh beans fast"})
    ((pair, value),) = result.pairs.items()
    assert pair == ("A", "B") and 0 < value < 1
    assert result.cohesion == pytest.approx(100 * value, abs=0.1)
