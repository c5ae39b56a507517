"""Hostile people's text everywhere in a session: the minutes keep exactly their own structure.

Checked on markdown-it-py tokens: the headings are exactly the minutes' headings, tables keep their
columns, no token a customer could smuggle in (HTML, links, images, code, rules, quotes, breaks)
appears, and each hostile text reads back whole where it was put.
"""

from __future__ import annotations

import pytest

from listen.minutes import MinutesOptions, build_minutes, render_minutes
from listen.minutes.escape import clean
from listen.settings import Settings
from listen.store import Store
from tests.minutes.md_structure import (
    FORBIDDEN,
    all_types,
    headings,
    paragraphs_and_items,
    parse,
    tables,
    walk,
)
from tests.minutes.minutes_fixture import HOSTILE, HOSTILE_DAY, hostile

RAW = MinutesOptions(redact=False)


def test_headings_are_only_the_minutes_own(hostile_store: Store) -> None:
    minutes = build_minutes(hostile_store, Settings(), HOSTILE_DAY, RAW)
    tokens = parse(render_minutes(minutes))
    expected = [
        (1, f"Listening session — {HOSTILE_DAY}"),
        (2, "Decisions and owners"),
        (2, "Overdue or stalled"),
        (2, "The session"),
        (2, "Session notes"),
        (2, "Follow-up of earlier actions"),
        (2, "Clips heard"),
    ]
    for i, text in enumerate(HOSTILE):
        expected += [(3, f"{i + 1}. {clean(text)}"), (4, "Quotes"), (4, "Gaps tagged")]
    expected.append((2, "Gaps by category"))
    expected += [(3, clean(text)) for text in sorted(HOSTILE)]  # categories: none is a default one
    expected += [(2, "Fix ideas"), (2, "Actions"), (2, "Story check")]
    assert headings(tokens) == expected


def test_no_smuggled_tokens_and_emphasis_only_where_the_minutes_put_it(hostile_store: Store) -> None:
    tokens = parse(render_minutes(build_minutes(hostile_store, Settings(), HOSTILE_DAY, RAW)))
    assert not (all_types(tokens) & FORBIDDEN)
    allowed_inline = {"text", "strong_open", "strong_close", "em_open", "em_close"}
    assert {
        t.type for t in walk(tokens) if t.nesting == 0 and t.type != "inline" and t.level > 0
    } <= allowed_inline
    # Every emphasis span holds one of the minutes' own words, never customer text.
    strong_texts = set()
    for token in (t for t in tokens if t.type == "inline"):
        children = token.children or []
        for i, child in enumerate(children):
            if child.type in ("strong_open", "em_open"):
                strong_texts.add(children[i + 1].content)
    hostile_clean = {clean(text) for text in HOSTILE}
    assert not (strong_texts & hostile_clean)


def test_tables_keep_their_columns_and_cells_hold_the_whole_text(hostile_store: Store) -> None:
    tokens = parse(render_minutes(build_minutes(hostile_store, Settings(), HOSTILE_DAY, RAW)))
    follow_up, ideas, actions = tables(tokens)
    for table, width in ((follow_up, 5), (ideas, 7), (actions, 5)):
        assert all(len(row) == width for row in table)
    assert len(ideas) == len(HOSTILE) + 1
    # Idea texts arrive whole in their cell (pipes and all), in the "Idea" column.
    idea_cells = {row[1].split(" ", 1)[1] for row in ideas[1:]}
    assert idea_cells == {clean(text) for text in HOSTILE}
    # Follow-up notes arrive whole in the last column.
    assert {row[4] for row in follow_up[1:]} == {clean(hostile(i + 7)) for i in range(0, len(HOSTILE), 3)}


def test_every_hostile_text_reads_back_whole(hostile_store: Store) -> None:
    tokens = parse(render_minutes(build_minutes(hostile_store, Settings(), HOSTILE_DAY, RAW)))
    texts = paragraphs_and_items(tokens)
    for i, text in enumerate(HOSTILE):
        expected = clean(text)
        assert f"Customer needed: {clean(hostile(i + 1))}" in texts
        assert any(t.endswith(f"“{expected}”") for t in texts), text  # quotes
        assert clean(hostile(i + 14)) in texts  # the session's notes, one item each
        assert any(expected in t for t in texts)


def test_hostile_names_are_anonymised_everywhere(hostile_store: Store) -> None:
    options = MinutesOptions(redact=False, anonymise=True)
    minutes = build_minutes(hostile_store, Settings(), HOSTILE_DAY, options)
    shown = {minutes.facilitator, *(a.name for a in minutes.attendees)}
    shown |= {c.submitted_by for c in minutes.clips} | {a.owner for a in minutes.actions}
    shown |= {name for name, _ in minutes.story.answers} if minutes.story else set()
    roles = {hostile(i + 8) for i in range(3)}
    labels = {role.strip()[0].upper() + role.strip()[1:] for role in roles}
    numbered = {f"{kind} {n}" for kind in ("Rep", "Member") for n in range(1, 40)}
    assert shown <= labels | numbered
    assert not (shown & {hostile(2), hostile(3), hostile(16)})
    assert all(a.role == "" for a in minutes.attendees)
    tokens = parse(render_minutes(minutes))
    assert not (all_types(tokens) & FORBIDDEN)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "[00:00]"),
        (2.6, "[00:02]"),
        (62.4, "[01:02]"),
        (599.9, "[09:59]"),
        (3725, "[1:02:05]"),
        (None, ""),
    ],
)
def test_quote_timestamps_floor_like_the_app(seconds: float | None, shown: str) -> None:
    from listen.minutes.render_md import timestamp

    assert timestamp(seconds) == shown
