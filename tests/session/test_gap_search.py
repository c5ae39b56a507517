"""Fuzzy gap search: recurring gaps are found while typing, so they are linked, not duplicated."""

from __future__ import annotations

from listen.domain import Gap, GapLink
from listen.session.gap_search import FILTER_SCORE, score_gap, search_gaps


def gap(gid: str, title: str, description: str = "", seen: int = 1, created: str = "2026-01-01") -> Gap:
    links = [GapLink(clip_id=f"c{n}", session_id="s") for n in range(seen)]
    return Gap(id=gid, category="Tool", title=title, description=description, links=links, created_at=created)


GAPS = [
    gap("G-1", "Refunds need manager approval", "Any refund over $0 waits for a manager", seen=4),
    gap("G-2", "Till cannot show order history", "Reps cannot see past orders when a customer calls", seen=2),
    gap("G-3", "Gear setup step is confusing", "The derailleur guide skips the limit screws"),
    gap("G-4", "Refund form asks for the receipt twice", seen=1, created="2026-02-01"),
    gap("G-5", "Old merged gap about refunds", seen=9),
]
GAPS[4].merged_into = "G-1"


def ids(query: str) -> list[str]:
    return [m.gap.id for m in search_gaps(GAPS, query)]


def test_words_in_the_title_rank_first_and_recurring_gaps_lead_ties() -> None:
    assert ids("refund")[:2] == ["G-1", "G-4"]  # both match fully: the one seen 4 times first
    assert ids("manager approval") == ["G-1"]


def test_prefix_while_typing_and_typos() -> None:
    assert ids("refu")[:2] == ["G-1", "G-4"]
    assert ids("order hist") == ["G-2"]
    assert ids("refnud")[0] == "G-1"
    assert ids("confusng setup")[0] == "G-3"


def test_description_words_count_less_but_count() -> None:
    assert ids("derailleur") == []  # one description word is not enough to offer a gap
    assert [m.gap.id for m in search_gaps(GAPS, "derailleur", min_score=FILTER_SCORE)] == ["G-3"]
    assert score_gap(GAPS[2], "derailleur") < score_gap(GAPS[2], "gear")


def test_plural_and_tense_meet() -> None:
    assert "G-2" in ids("orders")
    assert "G-1" in ids("refunded")


def test_unrelated_query_finds_nothing_and_empty_lists_all_most_seen_first() -> None:
    assert ids("weather forecast") == []
    assert ids("") == ["G-1", "G-2", "G-4", "G-3"]  # most seen, then newest; merged gaps hidden
    assert search_gaps(GAPS, "", include_merged=True)[0].gap.id == "G-5"
    assert len(search_gaps(GAPS, "", limit=2)) == 2


def test_a_match_says_which_words_it_shares() -> None:
    from listen.session.gap_search import highlight_spans

    match = search_gaps(GAPS, "manager approvals for refunds")[0]
    assert match.gap.id == "G-1"
    assert match.shared == {"refund", "manager", "approval"}
    title = match.gap.title
    assert [title[a:b] for a, b in highlight_spans(title, match.shared)] == ["Refunds", "manager", "approval"]


def test_one_or_two_letters_of_a_word_being_typed_change_nothing() -> None:
    assert ids("refund m") == ids("refund")
    assert ids("re") == ids("")  # too early to narrow: every gap, most seen first


def test_description_words_that_met_the_query_are_named_once() -> None:
    from listen.session.gap_search import words_beyond_title

    match = search_gaps(GAPS, "order history past calls")[0]
    assert match.gap.id == "G-2"
    assert words_beyond_title(match.gap, match.shared) == ["past", "calls"]  # "orders" is the title's
