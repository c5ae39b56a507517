"""The store: the only code that reads or writes the workspace database.

Reads take no lock: every write replaces the file atomically, so a reader always sees one whole
version. Writes happen inside ``with store.transaction() as tx:``, which holds a cross-process
file lock, loads the newest data, and on success writes it back once, atomically and fsynced.
Large per-clip data (transcripts with word timings) lives in ``clips/<id>/transcript.json``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from filelock import FileLock, Timeout
from tinydb.table import Document as TinyDocument

from listen.domain import Action, Clip, Document, FixIdea, Gap, Session, Transcript
from listen.errors import NotFoundError, StoreError
from listen.store.atomic import atomic_write_json
from listen.store.database import (
    Data,
    ListenDB,
    SnapshotStorage,
    file_signature,
    open_snapshot,
    read_data,
    write_data,
)
from listen.store.schema import META_TABLE, migrate
from listen.workspace import Workspace, make_private_dir

T = TypeVar("T", bound=Document)

TABLES: dict[type[Document], str] = {
    Clip: "clips",
    Gap: "gaps",
    FixIdea: "ideas",
    Action: "actions",
    Session: "sessions",
}
ID_PREFIXES: dict[type[Document], str] = {Gap: "G", FixIdea: "I", Action: "A"}
COUNTERS_DOC = "counters"
LOCK_TIMEOUT_SECONDS = 60.0


def table_of(kind: type[Document]) -> str:
    try:
        return TABLES[kind]
    except KeyError:
        raise TypeError(f"{kind.__name__} is not stored in its own table") from None


class View:
    """Typed reads over one snapshot of the database."""

    def _db(self) -> ListenDB:
        raise NotImplementedError

    def _all(self, kind: type[T]) -> list[T]:
        return [kind.from_doc(doc) for doc in self._db().table(table_of(kind)).all()]

    def _get(self, kind: type[T], doc_id: str) -> T:
        doc = self._db().table(table_of(kind)).get(doc_id=doc_id)
        if doc is None:
            raise NotFoundError(f"{doc_id}: no such {kind.__name__.lower()}")
        assert isinstance(doc, dict)
        return kind.from_doc(doc)

    def _ids(self, kind: type[Document]) -> list[str]:
        return [str(doc_id) for doc_id in self._db().table(table_of(kind))._read_table()]

    # ---- clips
    def clips(self, status: str | None = None) -> list[Clip]:
        clips = self._all(Clip)
        if status is not None:
            clips = [clip for clip in clips if clip.status == status]
        return sorted(clips, key=lambda clip: (clip.submitted_at, clip.id))

    def clip(self, clip_id: str) -> Clip:
        """A clip by its id or a unique prefix of it."""
        table = self._db().table(table_of(Clip))
        if table.contains(doc_id=clip_id):
            return self._get(Clip, clip_id)
        matches = [doc_id for doc_id in self._ids(Clip) if doc_id.startswith(clip_id)] if clip_id else []
        if len(matches) == 1:
            return self._get(Clip, matches[0])
        if matches:
            raise NotFoundError(f"{clip_id}: matches {len(matches)} clips; give more of the id")
        raise NotFoundError(f"{clip_id}: no such clip")

    def clip_by_sha(self, sha256: str) -> Clip | None:
        for doc in self._db().table(table_of(Clip)).all():
            if doc.get("sha256") == sha256:
                return Clip.from_doc(doc)
        return None

    def count(self, kind: type[Document]) -> int:
        return len(self._db().table(table_of(kind)))

    # ---- gaps, ideas, actions
    def gaps(self, *, include_merged: bool = False) -> list[Gap]:
        gaps = self._all(Gap)
        if not include_merged:
            gaps = [gap for gap in gaps if gap.merged_into is None]
        return sorted(gaps, key=lambda gap: (gap.created_at, gap.id))

    def gap(self, gap_id: str) -> Gap:
        return self._get(Gap, gap_id)

    def ideas(self, session_id: str | None = None) -> list[FixIdea]:
        ideas = self._all(FixIdea)
        if session_id is not None:
            ideas = [idea for idea in ideas if idea.session_id == session_id]
        return sorted(ideas, key=lambda idea: (idea.created_at, idea.id))

    def idea(self, idea_id: str) -> FixIdea:
        return self._get(FixIdea, idea_id)

    def actions(self, status: str | None = None) -> list[Action]:
        actions = self._all(Action)
        if status is not None:
            actions = [action for action in actions if action.status == status]
        return sorted(actions, key=lambda action: (action.created_at, action.id))

    def action(self, action_id: str) -> Action:
        return self._get(Action, action_id)

    # ---- sessions
    def sessions(self) -> list[Session]:
        return sorted(self._all(Session), key=lambda s: (s.date, s.started_at, s.id))

    def session(self, session_id: str) -> Session:
        return self._get(Session, session_id)

    def latest_session(self, *, status: str | None = None) -> Session | None:
        sessions = [s for s in self.sessions() if status is None or s.status == status]
        return sessions[-1] if sessions else None


class Transaction(View):
    """Reads see the newest data; writes are kept in memory and saved once when the block ends."""

    def __init__(self, db: ListenDB, storage: SnapshotStorage) -> None:
        self._database = db
        self.storage = storage

    def _db(self) -> ListenDB:
        return self._database

    def put(self, obj: Document) -> None:
        """Insert or replace a Clip, Gap, FixIdea, Action or Session (by its ``id``)."""
        doc_id = obj.id  # type: ignore[attr-defined]
        table = self._database.table(table_of(type(obj)))
        table.upsert(TinyDocument(obj.to_doc(), doc_id=doc_id))

    def delete(self, kind: type[Document], doc_id: str) -> None:
        table = self._database.table(table_of(kind))
        if table.contains(doc_id=doc_id):
            table.remove(doc_ids=[doc_id])

    def next_id(self, kind: type[Document]) -> str:
        """The next short id for gaps ("G-1"), ideas ("I-1") and actions ("A-1")."""
        prefix = ID_PREFIXES[kind]
        meta = self._database.table(META_TABLE)
        counters: dict[str, Any] = dict(meta.get(doc_id=COUNTERS_DOC) or {})
        number = int(counters.get(prefix, 0))
        existing = set(self._ids(kind))
        while True:
            number += 1
            candidate = f"{prefix}-{number}"
            if candidate not in existing:
                break
        counters[prefix] = number
        meta.upsert(TinyDocument(counters, doc_id=COUNTERS_DOC))
        return candidate

    def new_session_id(self, date: str) -> str:
        existing = set(self._ids(Session))
        candidate, n = date, 1
        while candidate in existing:
            n += 1
            candidate = f"{date}-{n}"
        return candidate


class Store(View):
    """All reads and writes of one workspace's database and per-clip files."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.path = workspace.db_path
        self._lock = FileLock(str(workspace.lock_path), timeout=LOCK_TIMEOUT_SECONDS)
        self._thread_lock = threading.RLock()
        self._local = threading.local()
        self._cache_signature: tuple[int, int, int] | None = None
        self._cache_db: ListenDB | None = None

    # ---- reading
    def _db(self) -> ListenDB:
        current: Transaction | None = getattr(self._local, "transaction", None)
        if current is not None:
            return current._db()
        signature = file_signature(self.path)
        with self._thread_lock:
            if self._cache_db is None or signature != self._cache_signature:
                data = read_data(self.path)
                migrate(data, self.path)
                self._cache_db, _ = open_snapshot(data)
                self._cache_signature = signature
            return self._cache_db

    def check(self) -> None:
        """Load the database once; raises StoreError naming the file if it is damaged."""
        self._db()

    # ---- writing
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        current: Transaction | None = getattr(self._local, "transaction", None)
        if current is not None:  # nested: join the outer transaction
            yield current
            return
        with self._thread_lock:
            try:
                self._lock.acquire()
            except Timeout:
                raise StoreError(
                    f"{self.path}: another listen process has held the lock for "
                    f"{LOCK_TIMEOUT_SECONDS:.0f} s; try again"
                ) from None
            try:
                data: Data = read_data(self.path)
                migrated = migrate(data, self.path)
                db, storage = open_snapshot(data)
                tx = Transaction(db, storage)
                self._local.transaction = tx
                try:
                    yield tx
                finally:
                    self._local.transaction = None
                if storage.dirty or (migrated and self.path.exists()):
                    write_data(self.path, storage.data)
            finally:
                self._lock.release()

    def put(self, obj: Document) -> None:
        with self.transaction() as tx:
            tx.put(obj)

    # ---- per-clip files
    def transcript(self, clip_id: str) -> Transcript | None:
        path = self.workspace.transcript_path(clip_id)
        try:
            import json

            return Transcript.from_doc(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as error:
            raise StoreError(f"{path}: the transcript cannot be read ({error})") from None

    def write_transcript(self, clip_id: str, transcript: Transcript) -> None:
        folder = self.workspace.clip_dir(clip_id)
        make_private_dir(folder)
        atomic_write_json(self.workspace.transcript_path(clip_id), transcript.to_doc())
