"""Blame hints: hindsight about people earns a reframing prompt; talk about the system does not."""

from __future__ import annotations

import pytest

from listen.session.blame import blame_hints, find_blame

NAMES = ["Ana Lopez", "Ben"]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The rep should have checked the order history", "should have checked"),
        ("should have escalated sooner", "should have escalated"),
        ("He shouldn't have promised a refund", "shouldn't have promised"),
        ("The manager should've approved it faster", "should've approved"),
        ("She failed to offer a refund", "failed to"),
        ("forgot to add the note", "forgot to"),
        ("they didn't bother to call back", "didn't bother"),
        ("if only he had asked", "if only"),
        ("Why didn't they check the stock?", "Why didn't they"),
        ("Why did nobody tell the customer", "Why did nobody"),
        ("A careless mistake", "careless"),
        ("It was human error", "human error"),
        ("That was her fault", "her fault"),
        ("The customer should have read the instructions", "should have read"),
    ],
)
def test_blame_phrasing_earns_a_hint(text: str, phrase: str) -> None:
    flags = find_blame(text, NAMES)
    assert [f.phrase for f in flags] == [phrase]
    assert text[flags[0].start : flags[0].end] == phrase
    hints = blame_hints(text, NAMES)
    assert len(hints) == 1 and phrase in hints[0]


@pytest.mark.parametrize(
    "text",
    [
        "The policy should have an exception for damaged goods",
        "The page should have been clearer",
        "We could have a clearer returns page",
        "The tool failed to load the order history",
        "Failed to sync stock levels",
        "If only the form showed the order number",
        "Why didn't the system warn about the missing address",
        "Refunds need manager approval, so customers wait two days",
        "The order should have shipped on Monday",
        "Benefits page is hard to find",  # contains "Ben" inside a word
        "Customers cannot see delivery slots before paying",
    ],
)
def test_talk_about_the_system_passes(text: str) -> None:
    assert blame_hints(text, NAMES) == []


def test_hindsight_prompt_uses_the_design_words() -> None:
    (hint,) = blame_hints("should have asked for the order number")
    assert "What made sense at the time? What was the rep acting on?" in hint


def test_naming_a_rep_or_attendee() -> None:
    hints = blame_hints("Ana gave the wrong price", NAMES)
    assert hints == [
        "This names Ana Lopez. A gap belongs to the system (policy, procedure, tool, product, "
        "knowledge): describe what happened, not who."
    ]
    both = blame_hints("Ben should have checked", NAMES)
    assert len(both) == 2  # naming, then hindsight
    assert both[0].startswith("This names Ben") and both[1].startswith("“should have checked”")
    assert blame_hints("ana gave the wrong price", NAMES) == []  # names are matched as written


def test_several_hints_in_order_without_repeats() -> None:
    hints = blame_hints("Careless. The rep should have checked, and should have asked.")
    assert len(hints) == 3
    assert hints[0].startswith("“Careless”")
    assert "should have checked" in hints[1] and "should have asked" in hints[2]
