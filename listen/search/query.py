"""Running a search: the user's words made safe for FTS5, ranked, with the matched words marked.

Whatever is typed is never FTS5 syntax: only its words (runs of letters and digits, as the
unicode61 tokenizer cuts them) are kept, each quoted as a string, so ``"``, ``*``, ``-``, ``^``,
``:``, parentheses, ``AND``/``OR``/``NOT``/``NEAR`` are plain text and no input can raise a
syntax error. Ranking: entries with the words side by side (the phrase) come first, then entries
with all the words anywhere; within each, FTS5's BM25 with titles weighing twice the body.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from listen.search.entries import MARK_END, MARK_START
from listen.search.index import IndexUnusable, SearchIndex, build, discard, index_path

if TYPE_CHECKING:
    from listen.store import Store

MAX_QUERY_CHARS = 1000  # a 100 KB paste is cut here before anything else looks at it
MAX_TERMS = 16
MAX_TERM_CHARS = 64
DEFAULT_LIMIT = 50
# Matches scored per query. A word in more entries than this (a common word at thousands of
# clips) is ranked among the newest CANDIDATES entries that hold it (rowids grow with each write,
# so the most recently written come first): scoring all 13,000 matches of "refund" at 10,000
# clips took ~200 ms, these ~20 (bench/bench_search.py).
CANDIDATES = 2000
MIN_PREFIX = 3  # a last word typed shorter than this is searched whole ("i", "de": most of the index)
TYPING_CANDIDATES = 500  # as you type: a quarter of the scoring; the words typed next narrow it
TYPING_BUDGET = 0.015  # CPU seconds for each step of a prefix search before its fallback
SNIPPET_TOKENS = 24
TITLE_WEIGHT, BODY_WEIGHT = 2.0, 1.0

_WORD = re.compile(r"[^\W_]+")
_MARKS = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)

Spans = list[tuple[str, bool]]  # (text, is a matched word)


@dataclass(frozen=True)
class Hit:
    kind: str  # see listen.search.entries.KINDS
    clip_id: str | None
    at: float | None
    session_id: str | None
    ref: str | None
    title: Spans
    text: Spans
    score: float  # lower is better (BM25 as FTS5 gives it), phrase matches before the rest
    phrase: bool  # the words were found side by side
    label: str = ""  # the title of the clip it belongs to


def terms_of(query: str) -> list[str]:
    """The words of ``query`` that will be searched for (at most MAX_TERMS)."""
    words = _WORD.findall(query[:MAX_QUERY_CHARS])
    return [word[:MAX_TERM_CHARS] for word in words[:MAX_TERMS]]


def match_expressions(terms: list[str], *, prefix: bool = False) -> list[tuple[str, bool]]:
    """The FTS5 queries to run in order, each with whether it is the phrase tier. ``prefix``: the
    last word may be the start of a word (search as you type)."""
    if not terms:
        return []
    quoted = [f'"{term}"' for term in terms]  # terms hold no '"': only letters and digits
    if prefix:
        quoted[-1] += "*"
    every = " AND ".join(quoted)
    if len(terms) == 1:
        return [(every, False)]
    phrase = " + ".join(quoted)
    return [(phrase, True), (every, False)]


def spans_of(marked: str) -> Spans:
    """Text with MARK_START/MARK_END around matches -> [(text, matched), ...] (no empty pieces)."""
    spans: Spans = []
    last = 0
    for found in _MARKS.finditer(marked):
        if found.start() > last:
            spans.append((marked[last : found.start()], False))
        if found.group(1):
            spans.append((found.group(1), True))
        last = found.end()
    if last < len(marked):
        spans.append((marked[last:], False))
    return spans


def plain(spans: Spans) -> str:
    return "".join(text for text, _ in spans)


@contextlib.contextmanager
def _budget(db: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """Interrupt what ``db`` runs in this thread once it has used ``seconds`` of CPU (SQLite
    raises OperationalError "interrupted"; FTS5 is interrupted inside its doclist merges too)."""
    deadline = time.thread_time() + seconds
    db.set_progress_handler(lambda: time.thread_time() > deadline, 1000)
    try:
        yield
    finally:
        db.set_progress_handler(None, 0)


def run(index: SearchIndex, query: str, *, limit: int = DEFAULT_LIMIT, prefix: bool = False) -> list[Hit]:
    """The best ``limit`` hits for ``query`` (raises sqlite3.Error on a damaged index).

    Two steps: rank the matches by BM25 (cheap columns only), then mark the words and cut the
    snippets of the few kept (``snippet()`` on every match would cost many times the ranking).

    ``prefix`` (search as you type): the last word may be the start of a word (of MIN_PREFIX
    letters or more), and fewer candidates are scored. FTS5 merges the entries of every word
    that starts so, and a short or common start ("d", "the") is most of the index: ranking took
    up to 0.15 s at 10,000 clips and marking (highlight() and snippet() read every position of
    those words) up to 0.35 s. So each step gets a CPU budget: past it, the ranking searches the
    last word as typed, whole; the marking is done here instead (each word that starts with a
    word typed, no stemming; the body cut around the first)."""
    db = index.connection
    words = terms_of(query)
    candidates = TYPING_CANDIDATES if prefix else CANDIDATES
    prefix = prefix and bool(words) and len(words[-1]) >= MIN_PREFIX
    if prefix:
        try:
            with _budget(db, TYPING_BUDGET):
                found = _ranked(db, words, limit, prefix=True, candidates=candidates)
        except sqlite3.OperationalError as error:
            if "interrupt" not in str(error):
                raise
            prefix = False  # the start typed is in too much of the index: the word as typed
    if not prefix:
        found = _ranked(db, words, limit, prefix=False, candidates=candidates)
    if not found:
        return []
    terms = match_expressions(words, prefix=prefix)[-1][0]  # every word: all are marked
    row_ids = [row_id for row_id, _, _ in found]
    if not prefix:
        shown = _marked_by_fts(db, terms, row_ids)
    else:
        try:
            with _budget(db, TYPING_BUDGET):
                shown = _marked_by_fts(db, terms, row_ids)
        except sqlite3.OperationalError as error:
            if "interrupt" not in str(error):
                raise
            shown = _marked_here(db, words, row_ids)
    hits = []
    for row_id, score, phrase in found:
        if row_id not in shown:  # removed by another process's write between the two steps
            continue
        kind, clip, session, ref, at, title, body, label = shown[row_id]
        hits.append(
            Hit(kind, clip, at, session, ref, spans_of(title), spans_of(body), score, phrase, label or "")
        )
    return hits


def _ranked(
    db: sqlite3.Connection, words: list[str], limit: int, *, prefix: bool, candidates: int
) -> list[tuple[int, float, bool]]:
    """The best ``limit`` entries: (row id, BM25 score, found as the phrase), best first."""
    found: list[tuple[int, float, bool]] = []
    seen: set[int] = set()
    for expression, phrase in match_expressions(words, prefix=prefix):
        if len(found) >= limit:
            break
        # FTS5 walks the matches newest first and stops at the candidates: only those are scored
        newest = db.execute(
            f"SELECT rowid, bm25(fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) FROM fts "
            "WHERE fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (expression, candidates),
        ).fetchall()
        ranked = sorted(newest, key=lambda row: (row[1], row[0]))
        for row_id, score in ranked:
            if row_id not in seen and len(found) < limit:
                seen.add(row_id)
                found.append((row_id, score, phrase))
    return found


def _marked_by_fts(db: sqlite3.Connection, terms: str, row_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    return {
        row[0]: row[1:]
        for row in db.execute(
            f"""
            SELECT entries.id, kind, clip, session, ref, at,
                   highlight(fts, 0, '{MARK_START}', '{MARK_END}'),
                   snippet(fts, 1, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_TOKENS}),
                   (SELECT title FROM entries AS c WHERE c.source = 'clip:' || entries.clip)
            FROM fts JOIN entries ON entries.id = fts.rowid
            WHERE fts MATCH ? AND fts.rowid IN ({",".join("?" * len(row_ids))})
            """,
            (terms, *row_ids),
        )
    }


def _marked_here(db: sqlite3.Connection, words: list[str], row_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """What _marked_by_fts gives, marked in Python (see run)."""
    starts = [_folded(word) for word in words]
    return {
        row[0]: (*row[1:6], _mark(row[6], starts, None), _mark(row[7], starts, SNIPPET_TOKENS), row[8])
        for row in db.execute(
            f"""
            SELECT id, kind, clip, session, ref, at, title, body,
                   (SELECT title FROM entries AS c WHERE c.source = 'clip:' || entries.clip)
            FROM entries WHERE id IN ({",".join("?" * len(row_ids))})
            """,
            row_ids,
        )
    }


def _folded(word: str) -> str:
    """Lower case without diacritics, as the index's tokenizer compares words."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def _mark(text: str, starts: list[str], tokens: int | None) -> str:
    """``text`` with MARK_START/MARK_END around each word that starts with one of ``starts``;
    with ``tokens``, cut to that many words from a little before the first marked one."""
    words = list(_WORD.finditer(text))
    marked = [i for i, w in enumerate(words) if any(_folded(w.group()).startswith(s) for s in starts)]
    begin, end, lead, trail = 0, len(text), "", ""
    if tokens is not None and len(words) > tokens:
        first = max(0, min(marked[0] if marked else 0, len(words) - tokens) - tokens // 4)
        last = min(len(words), first + tokens)
        if first:
            begin, lead = words[first].start(), "…"
        if last < len(words):
            end, trail = words[last - 1].end(), "…"
    out, at = [lead], begin
    for i in marked:
        word = words[i]
        if word.start() >= begin and word.end() <= end:
            out += [text[at : word.start()], MARK_START, word.group(), MARK_END]
            at = word.end()
    out += [text[at:end], trail]
    return "".join(out)


def open_index(store: Store, *, in_memory: bool = False) -> SearchIndex:
    """The workspace's index, rebuilt first when missing, damaged or of another version. A
    workspace that cannot take it (read-only, the bundled demo: ``in_memory``) gets one in memory."""
    from listen.errors import ListenError

    if in_memory:
        return build(store, None)
    path = index_path(store.workspace)
    try:
        return SearchIndex.open_existing(path)
    except IndexUnusable:
        discard(path)
    try:
        return build(store, path)
    except (ListenError, OSError, sqlite3.Error):
        return build(store, None)


def rebuild(store: Store) -> SearchIndex:
    """A new index from nothing (`listen doctor --reindex`)."""
    return build(store, index_path(store.workspace))


class Searcher:
    """The index held open for a run of searches (the app's search box: one per keystroke, in
    worker threads, one at a time), opened (or built) at the first. Opening it for each query
    cost a connection and a cold page cache every time; the demo's in-memory index was built
    again at every keystroke."""

    def __init__(self, store: Store, *, in_memory: bool = False) -> None:
        self.store = store
        self.in_memory = in_memory
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    def search(self, query: str, *, limit: int = DEFAULT_LIMIT, prefix: bool = False) -> list[Hit]:
        """The best hits (building the index first if needed; a damaged one is rebuilt once)."""
        with self._lock:
            if self._index is None:
                self._index = open_index(self.store, in_memory=self.in_memory)
            try:
                return run(self._index, query, limit=limit, prefix=prefix)
            except sqlite3.DatabaseError:  # damaged on disk after it opened: rebuild once
                index, self._index = self._index, None
                index.close()
                if index.path is None:
                    raise
                discard(index.path)
                self._index = open_index(self.store)
                return run(self._index, query, limit=limit, prefix=prefix)

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def search(
    store: Store, query: str, *, limit: int = DEFAULT_LIMIT, prefix: bool = False, in_memory: bool = False
) -> list[Hit]:
    """Search the workspace once (building its index first if needed)."""
    with Searcher(store, in_memory=in_memory) as searcher:
        return searcher.search(query, limit=limit, prefix=prefix)
