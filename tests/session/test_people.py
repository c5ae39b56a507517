"""Person fields complete from the team and never keep a fragment of a name."""

from __future__ import annotations

from listen.session.people import complete_person, known_person

TEAM = ["Marta Novak", "Leo Berg", "Lena Fox", "Sam Okafor"]


def test_a_fragment_completes_to_the_first_name_it_begins() -> None:
    assert complete_person("Le", TEAM) == "Leo Berg"  # as the ghost text shows it
    assert complete_person("len", TEAM) == "Lena Fox"
    assert complete_person("  sam   ok", TEAM) == "Sam Okafor"


def test_an_exact_name_wins_and_keeps_the_teams_spelling() -> None:
    assert complete_person("leo berg", TEAM) == "Leo Berg"
    assert known_person("LEO  BERG", TEAM) == "Leo Berg"


def test_no_one_matches() -> None:
    assert complete_person("Zed", TEAM) is None
    assert known_person("Le", TEAM) is None  # a fragment is not a person
    assert complete_person("", TEAM) is None and known_person(" ", TEAM) is None
