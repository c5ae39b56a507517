"""The fixed normaliser and word error rate the accuracy tests rely on."""

from __future__ import annotations

import pytest

from listen.transcribe.wer import corpus_error_rate, count_errors, normalise, word_error_rate


def test_normaliser_is_fixed() -> None:
    assert normalise("And Mr. John Dashwood's cold-hearted—well, O’Neil! 42%") == [
        "and",
        "mister",
        "john",
        "dashwood's",
        "cold",
        "hearted",
        "well",
        "o'neil",
        "42",
    ]
    assert normalise("  'Quoted'  ") == ["quoted"]
    assert normalise("...") == []


def test_punctuation_and_case_do_not_count() -> None:
    reference = "And so my fellow Americans, ask not what your country can do for you."
    assert (
        word_error_rate(reference, "and so my fellow americans ask not what your country can do for you")
        == 0.0
    )


@pytest.mark.parametrize(
    ("reference", "hypothesis", "subs", "dels", "ins"),
    [
        ("a b c d", "a x c", 1, 1, 0),
        ("the cat sat", "the the cat sat on", 0, 0, 2),
        ("a b", "", 0, 2, 0),
        ("one two three", "one two three", 0, 0, 0),
        ("he was not an ill disposed young man", "he was not an old sposed young man", 2, 0, 0),
    ],
)
def test_error_counts(reference: str, hypothesis: str, subs: int, dels: int, ins: int) -> None:
    counted = count_errors(normalise(reference), normalise(hypothesis))
    assert (counted.substitutions, counted.deletions, counted.insertions) == (subs, dels, ins)
    assert counted.rate == pytest.approx((subs + dels + ins) / len(normalise(reference)))


def test_corpus_rate_weights_by_length() -> None:
    pairs = [("a b c d e f g h i j", "a b c d e f g h i j"), ("x y", "x z")]
    assert corpus_error_rate(pairs) == pytest.approx(1 / 12)


def test_empty_reference() -> None:
    assert word_error_rate("", "") == 0.0
    assert word_error_rate("", "words") == float("inf")
