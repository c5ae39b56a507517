"""The SQLite FTS5 index file: schema, per-source updates, and the rebuild from the store.

Rows live in ``entries`` (a plain table indexed by source, so replacing one clip's transcript
costs a lookup, not a scan); ``fts`` is an external-content FTS5 table over their title and body,
kept in step by triggers. ``sources`` remembers a digest of each source's entries, so a write
that changes nothing searchable (a clip's status, a session's timer) writes nothing here.

Durability: the index is derived, so commits skip fsync (``synchronous=OFF``); a damaged file is
detected on open or on use and rebuilt from the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from listen.search.entries import Entry, entries_of, source_of, transcript_doc_entries, transcript_source
from listen.workspace import Workspace, make_private_dir

if TYPE_CHECKING:
    from listen.store import Store

INDEX_VERSION = "1"
INDEX_NAME = "search.sqlite"
TOKENIZER = "porter unicode61 remove_diacritics 2"
BUSY_TIMEOUT_MS = 10_000

SCHEMA = f"""
CREATE TABLE info(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources(source TEXT PRIMARY KEY, digest TEXT NOT NULL);
CREATE TABLE entries(
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, kind TEXT NOT NULL, clip TEXT, session TEXT,
    ref TEXT, at REAL, title TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX entries_by_source ON entries(source);
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, content='entries', content_rowid='id', tokenize='{TOKENIZER}');
CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN
    INSERT INTO fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN
    INSERT INTO fts(fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
INSERT INTO info(key, value) VALUES ('version', '{INDEX_VERSION}');
"""

COLUMNS = "kind, clip, session, ref, at, title, body"


class IndexUnusable(Exception):
    """The index file is missing, damaged or of another version: rebuild it."""


def index_path(workspace: Workspace) -> Path:
    """Beside the cached transcription locks, outside db/: never mistaken for a database table."""
    return workspace.cache_dir / INDEX_NAME


def _digest(entries: list[Entry]) -> str:
    return hashlib.blake2b(repr(entries).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _connect(target: str | Path) -> sqlite3.Connection:
    # any thread: the app's search box keeps one index open for its keystrokes, each searched
    # in its own worker thread, one at a time (query.Searcher holds a lock)
    connection = sqlite3.connect(
        target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    connection.execute("PRAGMA synchronous=OFF")
    return connection


def _create_private(path: Path) -> None:
    """An empty owner-only file (SQLite gives its journal the same permissions)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


class SearchIndex:
    """One open index: a file in the workspace's cache, or in memory (a read-only workspace)."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self.connection = connection
        self.path = path

    # ---- opening
    @classmethod
    def open_existing(cls, path: Path) -> SearchIndex:
        """The index at ``path``; IndexUnusable when it is missing, damaged or of another version."""
        if not path.is_file():
            raise IndexUnusable(f"{path}: no index")
        try:
            connection = _connect(path)
        except sqlite3.Error as error:
            raise IndexUnusable(f"{path}: {error}") from None
        try:
            row = connection.execute("SELECT value FROM info WHERE key = 'version'").fetchone()
        except sqlite3.Error as error:
            connection.close()
            raise IndexUnusable(f"{path}: {error}") from None
        if row is None or row[0] != INDEX_VERSION:
            connection.close()
            raise IndexUnusable(f"{path}: index of another version")
        return cls(connection, path)

    @classmethod
    def in_memory(cls) -> SearchIndex:
        connection = _connect(":memory:")
        connection.executescript(SCHEMA)
        return cls(connection, None)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing
    def replace(self, source: str, entries: list[Entry]) -> bool:
        """Make ``source``'s entries exactly ``entries`` (none: forget it). False when unchanged."""
        entries = [entry.cleaned() for entry in entries]
        digest = _digest(entries)
        db = self.connection
        row = db.execute("SELECT digest FROM sources WHERE source = ?", (source,)).fetchone()
        if (row[0] if row else _digest([])) == digest:
            return False
        db.execute("DELETE FROM entries WHERE source = ?", (source,))
        if entries:
            db.executemany(
                f"INSERT INTO entries(source, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(source, e.kind, e.clip_id, e.session_id, e.ref, e.at, e.title, e.body) for e in entries],
            )
            db.execute("INSERT OR REPLACE INTO sources(source, digest) VALUES (?, ?)", (source, digest))
        else:
            db.execute("DELETE FROM sources WHERE source = ?", (source,))
        return True

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Several replacements in one SQLite transaction."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def fill(self, sources: Iterable[tuple[str, list[Entry]]]) -> None:
        with self.batch():
            for source, entries in sources:
                self.replace(source, entries)

    # ---- reading (for tests and `listen doctor`)
    def rows(self) -> list[tuple[object, ...]]:
        """Every entry with its source, in a stable order (ids aside): to compare two indexes."""
        return self.connection.execute(
            f"SELECT source, {COLUMNS} FROM entries ORDER BY source, id"
        ).fetchall()

    def counts(self) -> tuple[int, int]:
        """(entries, sources) held."""
        db = self.connection
        return (
            db.execute("SELECT count(*) FROM entries").fetchone()[0],
            db.execute("SELECT count(*) FROM sources").fetchone()[0],
        )

    def check(self) -> None:
        """IndexUnusable when the FTS structure is damaged."""
        try:
            self.connection.execute("INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.Error as error:
            raise IndexUnusable(f"{self.path}: {error}") from None


def store_sources(store: Store, *, since: float | None = None) -> Iterator[tuple[str, list[Entry]]]:
    """Every source of the workspace with its entries, read from the store (with
    ``since``, only the transcripts written since that time). Invalid documents and
    unreadable transcripts are left out (``listen doctor`` names them)."""
    from listen.domain import Action, FixIdea, Gap, Session
    from listen.store.validate import InvalidDocumentError

    skipped: list[InvalidDocumentError] = []
    for clip in store.clips(skipped=skipped):
        yield source_of(clip), entries_of(clip)
        if clip.has_transcript:
            path = store.workspace.transcript_path(clip.id)
            try:
                if since is not None and path.stat().st_mtime < since:
                    continue
                entries = transcript_doc_entries(clip.id, json.loads(path.read_bytes()))
            except (OSError, ValueError, RecursionError):
                continue
            if entries is not None:
                yield transcript_source(clip.id), entries
    for kind in (Session, Gap, FixIdea, Action):
        for obj in store._all(kind, skipped):  # the tolerant listing every reader shares
            yield source_of(obj), entries_of(obj)


def build(store: Store, path: Path | None) -> SearchIndex:
    """A new index of everything in ``store``, or in memory when ``path`` is None.

    On disk it is built beside ``path`` without holding the store's lock (tens of seconds at
    10,000 clips: writers must not wait), then, under the lock, brought up to date with what was
    written meanwhile (every database document, cheap when unchanged, and the transcripts written
    since the build began) and renamed over ``path``: readers see the old index or the new one,
    never half, and no write made during the build is lost."""
    if path is None:
        index = SearchIndex.in_memory()
        index.fill(store_sources(store))
        return index
    make_private_dir(path.parent)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    _create_private(temp)
    began = time.time() - 2.0  # file times are coarse on some file systems
    try:
        connection = _connect(temp)
        connection.execute("PRAGMA journal_mode=OFF")  # a new file: nothing to roll back to
        connection.executescript(SCHEMA)
        fresh = SearchIndex(connection, temp)
        fresh.fill(store_sources(store))
        with store.transaction():  # the store's write lock: the writes made meanwhile, then swap
            fresh.fill(store_sources(store, since=began))
            connection.close()
            # a hot journal of a crashed writer beside the old file would be played into the new one
            with contextlib.suppress(FileNotFoundError):
                path.with_name(path.name + "-journal").unlink()
            os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return SearchIndex.open_existing(path)


def discard(path: Path) -> None:
    """Forget a damaged or stale index (the next search rebuilds it)."""
    for name in (path.name, path.name + "-journal"):
        with contextlib.suppress(OSError):
            path.with_name(name).unlink()
