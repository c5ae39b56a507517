"""Search: ranking, highlighting, hostile queries, and an index that is derived, current and rebuildable.

Real parts: a workspace on disk, the real store (its write paths keep the index current), the
real SQLite FTS5 index, and the real command line for `listen search` / `listen doctor --reindex`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from helpers import raw_controls, run_listen
from search.documents import audio_clip, text_clip, transcript_of

from listen.domain import Action, FixIdea, Gap, Quote, RepView, Session
from listen.search import SearchIndex, index_path, search
from listen.search.entries import MARK_END, MARK_START
from listen.search.query import plain, rebuild, terms_of
from listen.store import Store
from listen.workspace import Workspace


def kinds_and_places(hits) -> list[tuple[str, str | None, float | None]]:
    return [(hit.kind, hit.clip_id or hit.ref or hit.session_id, hit.at) for hit in hits]


# ---------------------------------------------------------------------------- ranking


def test_the_words_side_by_side_rank_above_the_words_apart(store: Store) -> None:
    apart = audio_clip(store, "Call one", [(3.0, "The approval came late because the manager was at a fair")])
    together = audio_clip(
        store, "Call two", [(0.0, "Hello there"), (41.5, "It needs manager approval first")]
    )
    hits = search(store, "manager approval")
    assert kinds_and_places(hits)[:2] == [("segment", together.id, 41.5), ("segment", apart.id, 3.0)]
    assert hits[0].phrase and not hits[1].phrase
    assert hits[0].label == "Call two"  # the clip's title, for the result list


def test_every_kind_of_document_is_found_with_where_it_lives(store: Store) -> None:
    clip = text_clip(
        store,
        "Chat about the till",
        "Customer: the till lost my order",
        rep_view=RepView(hard="the till hides order history"),
    )
    with store.transaction() as tx:
        tx.put(Gap(id="G-1", category="Tool", title="Till hides history", description="No till history"))
        tx.put(FixIdea(id="I-1", text="Show till history", session_id="2026-11-23"))
        tx.put(Action(id="A-1", title="Ask the till vendor", owner="Ana", due=None, session_id="2026-11-23"))
        tx.put(
            Session(
                id="2026-11-23",
                date="2026-11-23",
                notes=["", "Till again this week"],
                quotes=[Quote(clip_id=clip.id, start=12.0, end=15.0, text="the till froze")],
            )
        )
    found = {hit.kind: hit for hit in search(store, "till")}
    assert set(found) == {"segment", "clip", "rep view", "quote", "note", "gap", "idea", "action"}
    assert (found["quote"].session_id, found["quote"].clip_id, found["quote"].at) == (
        "2026-11-23",
        clip.id,
        12.0,
    )
    assert (found["note"].session_id, found["note"].ref) == ("2026-11-23", "2")  # the note's number
    assert (found["gap"].ref, found["idea"].ref, found["action"].ref) == ("G-1", "I-1", "A-1")
    assert plain(found["gap"].title) == "Till hides history" and plain(found["gap"].text) == "No till history"


def test_stems_diacritics_and_typing_prefixes_match(store: Store) -> None:
    clip = text_clip(store, "Café", "The refunds were delayed at the café")
    assert [h.clip_id for h in search(store, "refund") if h.kind == "segment"] == [clip.id]
    assert [h.kind for h in search(store, "cafe")] == ["clip", "segment"]  # title and text, é or e
    assert search(store, "refu") == []
    assert [h.kind for h in search(store, "refu", prefix=True)] == ["segment"]


# ---------------------------------------------------------------------------- highlighting


def test_matched_words_are_marked_and_only_they(store: Store) -> None:
    audio_clip(store, "A call", [(7.0, "My helmet arrived cracked, and the Helmets box too")])
    (hit,) = search(store, "helmet")
    assert [text for text, matched in hit.text if matched] == ["helmet", "Helmets"]
    assert plain(hit.text) == "My helmet arrived cracked, and the Helmets box too"


def test_the_command_line_highlights_safely_and_cannot_be_forged(workspace: Workspace, store: Store) -> None:
    hostile = f"refund \x1b]52;c;ZXZpbA==\x07 {MARK_START}forged{MARK_END} \u202eesrever\n\x1b[2J done"
    clip = text_clip(store, "Hostile \x1b[31mtitle\x1b[0m refund", hostile)
    result = run_listen("--workspace", workspace.root, "search", "refund")
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []  # nothing a terminal would act on
    assert "«refund»" in result.stdout and "«forged»" not in result.stdout and "forged" in result.stdout
    assert f"clip {clip.id}" in result.stdout and "transcript" in result.stdout
    as_json = json.loads(run_listen("--workspace", workspace.root, "search", "refund", "--json").stdout)
    segment = next(r for r in as_json["results"] if r["kind"] == "segment")
    start, end = segment["text_matches"][0]
    assert segment["text"][start:end] == "refund" and segment["clip_id"] == clip.id
    assert MARK_START not in segment["text"]  # the marks were removed from the stored text


# ---------------------------------------------------------------------------- hostile queries


HOSTILE_QUERIES = [
    "",
    "   ",
    '"',
    '""',
    "*",
    "-",
    "^",
    ":",
    "(",
    ")",
    "()",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(refund",
    'refund"',
    "refund*",
    "-refund",
    "^refund",
    "title:refund",
    "refund AND (",
    '"refund',
    "a:b:c",
    "refund OR manager NOT x",
    "\x00refund",
    "ref\u202eund",
    "💥 refund",
    "_",
    "refund_manager",
    "x" * 100_000,
    "refund " * 20_000,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:20]))
def test_a_hostile_query_never_fails_and_only_finds_words(store: Store, query: str) -> None:
    text_clip(store, "Refund chat", "Customer: the refund needs a manager AND a form (sigh)")
    for prefix in (False, True):
        hits = search(store, query, prefix=prefix)
        terms = terms_of(query)
        assert len(terms) <= 16
        if not terms:
            assert hits == []
        for hit in hits:  # every hit holds the words that were asked for
            matched = {text.lower() for spans in (hit.title, hit.text) for text, m in spans if m}
            assert matched


def test_a_100_kb_query_on_the_command_line(workspace: Workspace, store: Store) -> None:
    text_clip(store, "Refund chat", "the refund needs a manager")
    query = ('"NEAR(refund* -x ^y:z) AND ' * 4000)[:100_000]
    result = run_listen("--workspace", workspace.root, "search", query, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"] == []  # the words "NEAR", "x", "y", "z" are not in it
    result = run_listen("--workspace", workspace.root, "search", "")
    assert result.returncode == 0 and "nothing to search for" in result.stderr


# ---------------------------------------------------------------------------- the index itself


def the_rows(store: Store) -> list[tuple[object, ...]]:
    with SearchIndex.open_existing(index_path(store.workspace)) as index:
        return index.rows()


def test_the_index_rebuilt_from_nothing_equals_the_live_one(store: Store) -> None:
    search(store, "anything")  # the index exists from here on: every write below keeps it current
    first = audio_clip(store, "First call", [(0.0, "where is my parcel"), (9.0, "the courier lost it")])
    second = text_clip(store, "Chat", "Customer: parcel again", rep_view=RepView(note="courier issue"))
    with store.transaction() as tx:
        tx.put(Gap(id="G-1", category="Tool", title="Courier tracking", description="Nobody sees it"))
        tx.put(Gap(id="G-2", category="Tool", title="Old duplicate", merged_into="G-1"))
        tx.put(FixIdea(id="I-1", text="Link the courier page"))
        tx.put(
            Session(
                id="2026-11-23",
                date="2026-11-23",
                notes=["parcel week"],
                quotes=[Quote(clip_id=first.id, start=9.0, end=12.0, text="the courier lost it")],
            )
        )
        tx.put(Action(id="A-1", title="Call the courier", owner="Ana", due=None))
    store.write_transcript(
        first.id, transcript_of([(0.0, "where is my parcel"), (9.0, "the driver lost it")])
    )
    with store.transaction() as tx:
        tx.delete(type(second), second.id)
        tx.delete(Action, "A-1")
    live = the_rows(store)
    assert {row[0] for row in live} == {
        f"clip:{first.id}",
        f"transcript:{first.id}",
        "gap:G-1",
        "idea:I-1",
        "session:2026-11-23",
    }
    assert ("segment", "the driver lost it") in {(row[1], row[7]) for row in live}
    rebuild(store).close()
    assert the_rows(store) == live


def test_the_index_is_kept_current_after_listen_submit(workspace: Workspace, tmp_path: Path) -> None:
    chat = tmp_path / "one.txt"
    chat.write_text("Customer: my derailleur is bent\n")
    assert run_listen("--workspace", workspace.root, "submit", "--by", "Ana", chat).returncode == 0
    result = run_listen("--workspace", workspace.root, "search", "derailleur", "--json")
    assert [r["kind"] for r in json.loads(result.stdout)["results"]] == ["segment"]
    path = index_path(workspace)
    inode = path.stat().st_ino
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # owner-only, like every workspace file
    other = tmp_path / "two.txt"
    other.write_text("Customer: the sprocket rattles\n")
    assert (
        run_listen(
            "--workspace", workspace.root, "submit", "--by", "Ana", other, "--hard", "sprocket"
        ).returncode
        == 0
    )
    with SearchIndex.open_existing(path) as index:  # updated in place by submit, not rebuilt by search
        kinds = [row[1] for row in index.rows() if "sprocket" in str(row[7])]
    assert sorted(kinds) == ["rep view", "segment"]
    assert path.stat().st_ino == inode
    result = run_listen("--workspace", workspace.root, "search", "sprocket", "--json")
    assert sorted(r["kind"] for r in json.loads(result.stdout)["results"]) == ["rep view", "segment"]


def test_the_index_is_kept_current_after_a_transcript_is_written(store: Store) -> None:
    clip = audio_clip(store, "Call", [(0.0, "my family arrived correct")])
    assert [h.clip_id for h in search(store, "family")] == [clip.id]
    inode = index_path(store.workspace).stat().st_ino
    store.write_transcript(clip.id, transcript_of([(0.0, "my helmet arrived cracked")]))  # a correction
    assert search(store, "family") == []
    assert [(h.clip_id, h.at) for h in search(store, "helmet cracked")] == [(clip.id, 0.0)]
    assert index_path(store.workspace).stat().st_ino == inode  # current without a rebuild


@pytest.mark.parametrize("damage", ["garbage", "empty", "missing", "other version"])
def test_a_lost_or_damaged_index_is_rebuilt_and_loses_nothing(store: Store, damage: str) -> None:
    clip = text_clip(store, "Chat", "the sprocket rattles")
    search(store, "x")
    path = index_path(store.workspace)
    if damage == "garbage":
        path.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "missing":
        path.unlink()
    else:
        with SearchIndex.open_existing(path) as index:
            index.connection.execute("UPDATE info SET value = '0' WHERE key = 'version'")
    text_clip(store, "Later", "a second sprocket")  # a write meets the damaged index: no failure
    assert sorted(h.clip_id or "" for h in search(store, "sprocket") if h.kind == "segment") == sorted(
        [clip.id, text_clip(store, "Later", "a second sprocket").id]
    )


def test_doctor_reindex_rebuilds_it_from_nothing(workspace: Workspace, store: Store) -> None:
    text_clip(store, "Chat", "the sprocket rattles")
    search(store, "x")
    live = the_rows(store)
    index_path(workspace).write_bytes(b"not a database")
    result = run_listen("--workspace", workspace.root, "doctor", "--reindex")
    assert "search index rebuilt: 2 entries from 2 documents" in result.stdout, result.stdout + result.stderr
    assert the_rows(store) == live


def test_a_word_in_more_entries_than_are_scored_ranks_the_newest(store: Store, monkeypatch) -> None:
    from listen.search import query

    monkeypatch.setattr(query, "CANDIDATES", 2)
    first, second, third = (audio_clip(store, f"Call {n}", [(1.0, f"refund number {n}")]) for n in (1, 2, 3))
    assert {hit.clip_id for hit in search(store, "refund")} == {second.id, third.id}
    store.write_transcript(first.id, transcript_of([(1.0, "refund again, number 1")]))  # newest now
    assert first.id in {hit.clip_id for hit in search(store, "refund")}


def test_one_searcher_serves_keystrokes_from_several_threads_and_sees_new_writes(store: Store) -> None:
    """The app's search box keeps one index open (query.Searcher) and searches each keystroke
    in its own worker thread: every answer is the one a fresh search gives, a write made after
    the index opened is found, and a prefix (as typed) finds the whole word."""
    import threading

    from listen.search.query import Searcher

    audio_clip(store, "Call one", [(3.0, "The derailleur hanger is bent again")])
    answers: dict[str, list[str]] = {}
    with Searcher(store) as searcher:

        def ask(query: str) -> None:
            answers[query] = [plain(hit.text) for hit in searcher.search(query, prefix=True)]

        for query in ("derail", "derailleur hang", "bent"):
            thread = threading.Thread(target=ask, args=(query,))
            thread.start()
            thread.join()
        fresh = [plain(hit.text) for hit in search(store, "derail", prefix=True)]
        audio_clip(store, "Call two", [(9.0, "A derailleur cable snapped")])  # written meanwhile
        ask("derailleur")
    assert answers["derail"] == fresh
    assert answers["derail"] and "derailleur hanger" in answers["derailleur hang"][0]
    assert any("cable snapped" in text for text in answers["derailleur"])
    assert answers["bent"] and all("bent" in text for text in answers["bent"])


def test_search_as_you_type_stays_cheap_when_a_start_is_most_of_the_index(store: Store, monkeypatch) -> None:
    """Typed one or two letters, the last word is searched whole; a prefix whose ranking or
    marking runs past its CPU budget (a common start at 10,000 clips) falls back: the ranking to
    the word as typed, the marking to words that start with what was typed, marked here."""
    from listen.search import query

    text_clip(store, "Café", "The refunds were delayed at the café, a long wait for a refund")
    assert search(store, "re", prefix=True) == []  # not every word starting "re"
    assert [h.kind for h in search(store, "caf", prefix=True)] == ["clip", "segment"]

    def interrupted(*args, **kwargs):
        raise sqlite3.OperationalError("interrupted")

    marked_by_fts = query._marked_by_fts
    monkeypatch.setattr(query, "_marked_by_fts", interrupted)  # the marking past its budget
    (hit,) = search(store, "the refu", prefix=True)
    assert [text for text, matched in hit.text if matched] == ["The", "refunds", "the", "refund"]
    assert plain(hit.text) == "The refunds were delayed at the café, a long wait for a refund"
    marked = query._mark("word " * 40 + "Über ueber über " + "word " * 40, ["uber"], 8)
    assert marked.startswith("…") and marked.endswith("…")  # cut around the first marked word
    assert marked.count(MARK_START) == 2 and f"{MARK_START}Über{MARK_END} ueber" in marked
    assert "Ünïcode" in query._mark("Ünïcode", ["unicode"], None)
    assert query._mark("Ünïcode", ["unicode"], None) == f"{MARK_START}Ünïcode{MARK_END}"

    ranked = query._ranked

    def ranked_in_time(*args, prefix: bool, **kwargs):
        if prefix:  # the ranking past its budget too
            raise sqlite3.OperationalError("interrupted")
        return ranked(*args, prefix=prefix, **kwargs)

    monkeypatch.setattr(query, "_ranked", ranked_in_time)
    monkeypatch.setattr(query, "_marked_by_fts", marked_by_fts)
    assert search(store, "refu", prefix=True) == []  # searched as typed: no word "refu"
    assert [h.kind for h in search(store, "refund", prefix=True)] == ["segment"]
