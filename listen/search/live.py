"""Keeping the index current: the store calls these after each commit and each transcript write.

Cheap: only the sources that changed are touched, in one SQLite transaction, and nothing at all
when no index exists yet (the first search builds it). Never in the way: any failure here forgets
the index (the next search rebuilds it from the database) instead of failing the write, which is
already committed when these run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from listen.workspace import Workspace

if TYPE_CHECKING:
    from listen.domain import Document, Transcript
    from listen.search.entries import Entry
    from listen.store import Store


def after_commit(workspace: Workspace, written: Mapping[tuple[type, str], Document | None]) -> None:
    """``written``: (kind, id) -> the document now stored, or None when it was deleted."""
    from listen.domain import Clip
    from listen.search.entries import entries_of, source_of, transcript_source

    changes: list[tuple[str, list[Entry]]] = []
    for (kind, doc_id), obj in written.items():
        if obj is not None:
            changes.append((source_of(obj), entries_of(obj)))
            continue
        name = "idea" if kind.__name__ == "FixIdea" else kind.__name__.lower()
        changes.append((f"{name}:{doc_id}", []))
        if kind is Clip:
            changes.append((transcript_source(doc_id), []))
    _apply(workspace, changes)


def after_transcript(workspace: Workspace, clip_id: str, transcript: Transcript | None) -> None:
    from listen.search.entries import transcript_entries, transcript_source

    _apply(workspace, [(transcript_source(clip_id), transcript_entries(clip_id, transcript))])


def _apply(workspace: Workspace, changes: list[tuple[str, list[Entry]]]) -> None:
    from listen.search.index import index_path

    path = index_path(workspace)
    if not changes or not path.exists():  # one stat: no index yet, nothing to keep current
        return
    import sqlite3

    from listen.search.index import IndexUnusable, SearchIndex, discard

    try:
        with SearchIndex.open_existing(path) as index:
            index.fill(changes)
    except (IndexUnusable, sqlite3.Error, OSError):
        discard(path)


def reindex(store: Store) -> str:
    """`listen doctor --reindex`: the index rebuilt from nothing; says what it holds."""
    import time

    from listen.search.query import rebuild

    started = time.perf_counter()
    with rebuild(store) as index:
        entries, sources = index.counts()
    seconds = time.perf_counter() - started
    held = f"{entries} entries from {sources} documents"
    return f"search index rebuilt: {held} in {seconds:.1f} s ({index.path})"
