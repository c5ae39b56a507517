"""The store: the only code that reads or writes the workspace database.

Reads take no lock: every file is replaced atomically, so a reader always sees whole versions.
Writes happen inside ``with store.transaction() as tx:``, which holds a cross-process file lock,
loads the newest version of each file it touches, and on success writes the changed files back
atomically (several files together through a journal, see ``database.py``).
Large per-clip data (transcripts with word timings) lives in ``clips/<id>/transcript.json``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from tinydb.table import Document as TinyDocument

from listen.domain import Action, Clip, Document, FixIdea, Gap, MinutesRecord, Session, Transcript
from listen.errors import NotFoundError, StoreError
from listen.store.atomic import atomic_write_json, is_temp_name, remove_stale_temps
from listen.store.database import (
    Data,
    ListenDB,
    Signature,
    SnapshotStorage,
    commit_files,
    file_signature,
    has_journal,
    open_snapshot,
    read_data,
    roll_forward,
)
from listen.store.layout import SHARDS, Layout, shard_of
from listen.store.lock import FileLock, LockTimeout
from listen.store.schema import META_TABLE, migrate, needs_migration, stamp
from listen.store.validate import (
    TABLES,
    InvalidDocumentError,
    Problem,
    check_before_write,
    check_meta,
    to_object,
    to_transcript,
)
from listen.store.validate import audit as audit_workspace
from listen.workspace import Workspace, make_private_dir

T = TypeVar("T", bound=Document)

ID_PREFIXES: dict[type[Document], str] = {Gap: "G", FixIdea: "I", Action: "A"}
COUNTERS_DOC = "counters"
LOCK_TIMEOUT_SECONDS = 60.0
KEEP_WRITTEN = 32  # own versions remembered per file (a watcher looks a few times a second)


def table_of(kind: type[Document]) -> str:
    try:
        return TABLES[kind]
    except KeyError:
        raise TypeError(f"{kind.__name__} is not stored in its own table") from None


class Reuse(Generic[T]):
    """For a reader that reads the same table again and again (a screen refreshed after every
    outside write): the documents of its last read with the objects made from them. The next
    read makes objects only of the documents that differ (``==`` on the stored document, so an
    object is reused only for an identical document); the rest are the same objects as before,
    which the reader must therefore never change. Read one table with each."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[dict[str, Any], T]] = {}


class Reuses:
    """A Reuse for each table read whole, shared by readers that read those tables whole again
    and again and never change what they get (the app's Home and Trends screens): what one
    made of an unchanged document, the next read by either takes as it is. Two reads at once
    are safe: each makes its own list, and the last to finish is what the next one reuses."""

    def __init__(self) -> None:
        self.gaps: Reuse[Gap] = Reuse()
        self.sessions: Reuse[Session] = Reuse()
        self.actions: Reuse[Action] = Reuse()
        self.clips: Reuse[Clip] = Reuse()


class View:
    """Typed reads over the database files; subclasses say how a file is loaded."""

    layout: Layout

    def _load(self, path: Path) -> ListenDB:
        raise NotImplementedError

    def _table(self, kind: type[Document], doc_id: str | None = None) -> Any:
        table = table_of(kind)
        return self._load(self.layout.path_for_table(table, doc_id)).table(table)

    def _raw_docs(self, kind: type[Document], prefix: str = "") -> Iterator[tuple[Path, str, dict[str, Any]]]:
        """(file, id, document) of every stored document of ``kind``, unchecked."""
        table = table_of(kind)
        if kind is Clip:
            paths = self._clip_shards(prefix)
        elif kind is MinutesRecord:
            paths = self.layout.minutes_files()
        else:
            paths = [self.layout.path_for_table(table)]
        for path in paths:
            docs: dict[str, dict[str, Any]] = self._load(path).table(table)._read_table()  # type: ignore[assignment]  # TinyDB types ids as int; ours are str
            for doc_id, doc in docs.items():
                yield path, doc_id, doc

    def _clip_shards(self, prefix: str) -> list[Path]:
        return self.layout.clip_shards(prefix)

    def _all(
        self, kind: type[T], skipped: list[InvalidDocumentError] | None = None, reuse: Reuse[T] | None = None
    ) -> list[T]:
        """Every document of ``kind``. An invalid one raises InvalidDocumentError, or with
        ``skipped`` is left out and added to that list (for listings that show the rest).
        With ``reuse``, unchanged documents give the objects of the last read (see Reuse)."""
        if reuse is not None:
            seen: dict[str, tuple[dict[str, Any], T]] = {}
            for path, doc_id, doc in self._raw_docs(kind):
                before = reuse.seen.get(doc_id)
                if before is not None and (before[0] is doc or before[0] == doc):
                    seen[doc_id] = (doc, before[1])
                    continue
                try:
                    seen[doc_id] = (doc, to_object(kind, path, doc_id, doc))
                except InvalidDocumentError as error:
                    if skipped is None:
                        raise
                    skipped.append(error)
            reuse.seen = seen
            return [obj for _, obj in seen.values()]
        if skipped is None:
            return [to_object(kind, path, doc_id, doc) for path, doc_id, doc in self._raw_docs(kind)]
        objects = []
        for path, doc_id, doc in self._raw_docs(kind):
            try:
                objects.append(to_object(kind, path, doc_id, doc))
            except InvalidDocumentError as error:
                skipped.append(error)
        return objects

    def _get(self, kind: type[T], doc_id: str) -> T:
        path = self.layout.path_for_table(table_of(kind), doc_id)
        doc = self._load(path).table(table_of(kind)).get(doc_id=doc_id)  # type: ignore[call-overload]  # str ids
        if doc is None:
            raise NotFoundError(f"{doc_id}: no such {kind.__name__.lower()}")
        return to_object(kind, path, doc_id, doc)

    def _ids(self, kind: type[Document], prefix: str = "") -> list[str]:
        return [doc_id for _, doc_id, _ in self._raw_docs(kind, prefix)]

    def meta(self, name: str) -> dict[str, Any]:
        """A small workspace-level document kept beside the schema version (empty if never saved)."""
        path = self.layout.meta_path
        doc = self._load(path).table(META_TABLE).get(doc_id=name)  # type: ignore[call-overload]
        return {} if doc is None else check_meta(path, name, doc)

    def count(self, kind: type[Document]) -> int:
        return sum(1 for _ in self._raw_docs(kind))

    # ---- clips
    def clips(
        self,
        status: str | None = None,
        *,
        skipped: list[InvalidDocumentError] | None = None,
        reuse: Reuse[Clip] | None = None,
    ) -> list[Clip]:
        """The clips, oldest first; see ``_all`` for ``skipped`` and ``reuse``."""
        clips = self._all(Clip, skipped, reuse)
        if status is not None:
            clips = [clip for clip in clips if clip.status == status]
        return sorted(clips, key=lambda clip: (clip.submitted_at, clip.id))

    def clips_in_shards(self, shards: Iterable[str]) -> list[Clip]:
        """Every clip kept in these shards (``"3f"``: db/clips/3f.json), oldest first: for a
        reader that knows which shard files changed (the app's watcher) and need not read the
        other 255. A name that is no shard raises ValueError."""
        clips: list[Clip] = []
        for shard in sorted(set(shards)):
            if shard not in SHARDS:
                raise ValueError(f"{shard!r} is not a clip shard")
            clips.extend(
                to_object(Clip, path, doc_id, doc) for path, doc_id, doc in self._raw_docs(Clip, shard)
            )
        return sorted(clips, key=lambda clip: (clip.submitted_at, clip.id))

    def clips_by_id(self, clip_ids: Iterable[str], *, reuse: Reuse[Clip] | None = None) -> dict[str, Clip]:
        """The clips with these exact ids (those not stored are left out), reading each shard
        once: a screen that shows the clips behind 2,000 gaps asks for hundreds at a time.
        With ``reuse``, an unchanged document gives the object of the last read (see Reuse)."""
        wanted: dict[str, set[str]] = {}
        for clip_id in clip_ids:
            wanted.setdefault(shard_of(clip_id), set()).add(clip_id)
        found: dict[str, Clip] = {}
        seen: dict[str, tuple[Any, Clip]] = {}
        table = table_of(Clip)
        for shard, ids in sorted(wanted.items()):
            path = self.layout.clips_dir / f"{shard}.json"
            docs = self._load(path).table(table)._read_table()
            for clip_id in sorted(ids):
                doc = docs.get(clip_id)  # type: ignore[call-overload]  # TinyDB types ids as int; ours are str
                if doc is None:
                    continue
                before = reuse.seen.get(clip_id) if reuse is not None else None
                if before is not None and (before[0] is doc or before[0] == doc):
                    found[clip_id] = before[1]
                else:
                    found[clip_id] = to_object(Clip, path, clip_id, doc)
                if reuse is not None:
                    seen[clip_id] = (doc, found[clip_id])
        if reuse is not None:
            reuse.seen = seen
        return found

    def clip(self, clip_id: str) -> Clip:
        """A clip by its id or a unique prefix of it (at least two characters)."""
        clip_id = clip_id.strip().lower()
        if len(clip_id) >= 2 and self._table(Clip, clip_id).contains(doc_id=clip_id):
            return self._get(Clip, clip_id)
        matches = [doc_id for doc_id in self._ids(Clip, clip_id) if doc_id.startswith(clip_id)]
        if len(matches) == 1 and clip_id:
            return self._get(Clip, matches[0])
        if len(matches) > 1 and clip_id:
            raise NotFoundError(f"{clip_id}: matches {len(matches)} clips; give more of the id")
        raise NotFoundError(f"{clip_id or '(empty)'}: no such clip")

    def clip_by_sha(self, sha256: str) -> Clip | None:
        """Identical content is the same clip: its id is the start of the content's sha256."""
        for _, doc_id, doc in self._raw_docs(Clip, sha256[:2]):
            if doc.get("sha256") == sha256:
                return self._get(Clip, doc_id)
        return None

    # ---- gaps, ideas, actions
    def gaps(
        self,
        *,
        include_merged: bool = False,
        skipped: list[InvalidDocumentError] | None = None,
        reuse: Reuse[Gap] | None = None,
    ) -> list[Gap]:
        gaps = self._all(Gap, skipped, reuse)
        if not include_merged:
            gaps = [gap for gap in gaps if gap.merged_into is None]
        return sorted(gaps, key=lambda gap: (gap.created_at, gap.id))

    def gap(self, gap_id: str) -> Gap:
        return self._get(Gap, gap_id)

    def ideas(
        self,
        session_id: str | None = None,
        *,
        skipped: list[InvalidDocumentError] | None = None,
        reuse: Reuse[FixIdea] | None = None,
    ) -> list[FixIdea]:
        ideas = self._all(FixIdea, skipped, reuse)
        if session_id is not None:
            ideas = [idea for idea in ideas if idea.session_id == session_id]
        return sorted(ideas, key=lambda idea: (idea.created_at, idea.id))

    def idea(self, idea_id: str) -> FixIdea:
        return self._get(FixIdea, idea_id)

    def actions(
        self,
        status: str | None = None,
        *,
        skipped: list[InvalidDocumentError] | None = None,
        reuse: Reuse[Action] | None = None,
    ) -> list[Action]:
        actions = self._all(Action, skipped, reuse)
        if status is not None:
            actions = [action for action in actions if action.status == status]
        return sorted(actions, key=lambda action: (action.created_at, action.id))

    def action(self, action_id: str) -> Action:
        return self._get(Action, action_id)

    # ---- sessions
    def sessions(
        self, *, skipped: list[InvalidDocumentError] | None = None, reuse: Reuse[Session] | None = None
    ) -> list[Session]:
        return sorted(self._all(Session, skipped, reuse), key=lambda s: (s.date, s.started_at, s.id))

    def session(self, session_id: str) -> Session:
        return self._get(Session, session_id)

    def minutes_record(self, session_id: str) -> MinutesRecord | None:
        """The frozen minutes of a closed session, or None (open, or closed before records)."""
        doc = self._table(MinutesRecord, session_id).get(doc_id=session_id)
        return MinutesRecord.from_doc(doc) if doc is not None else None

    def latest_session(self, *, status: str | None = None) -> Session | None:
        sessions = [s for s in self.sessions() if status is None or s.status == status]
        return sessions[-1] if sessions else None


class Transaction(View):
    """Reads see the newest data; writes stay in memory and are saved when the block ends."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._files: dict[Path, tuple[ListenDB, SnapshotStorage]] = {}
        self.written: dict[tuple[type[Document], str], Document | None] = {}  # for the search index

    def _load(self, path: Path) -> ListenDB:
        if path not in self._files:
            self._files[path] = open_snapshot(read_data(path))
        return self._files[path][0]

    def _clip_shards(self, prefix: str) -> list[Path]:
        """Shards on disk plus those this transaction created in memory."""
        head = prefix[:2].lower()
        created = [
            path
            for path in self._files
            if path.parent == self.layout.clips_dir and path.name.startswith(head)
        ]
        return sorted(set(self.layout.clip_shards(prefix)) | set(created))

    def changed_files(self) -> dict[Path, Data]:
        return {path: storage.data for path, (_, storage) in self._files.items() if storage.dirty}

    def put(self, obj: Document) -> None:
        """Insert or replace a Clip, Gap, FixIdea, Action or Session (by its ``id``)."""
        doc_id: str = obj.id  # type: ignore[attr-defined]
        doc = obj.to_doc()
        check_before_write(type(obj), self.layout.path_for_table(table_of(type(obj)), doc_id), doc_id, doc)
        self._table(type(obj), doc_id).upsert(TinyDocument(doc, doc_id=doc_id))  # type: ignore[arg-type]  # TinyDB types ids as int; ours are str
        self.written[(type(obj), doc_id)] = obj

    def delete(self, kind: type[Document], doc_id: str) -> None:
        table = self._table(kind, doc_id)
        if table.contains(doc_id=doc_id):
            table.remove(doc_ids=[doc_id])
            self.written[(kind, doc_id)] = None

    def put_meta(self, name: str, doc: dict[str, Any]) -> None:
        meta = self._load(self.layout.meta_path).table(META_TABLE)
        meta.upsert(TinyDocument(doc, doc_id=name))  # type: ignore[arg-type]

    def next_id(self, kind: type[Document]) -> str:
        """The next short id for gaps ("G-1"), ideas ("I-1") and actions ("A-1")."""
        prefix = ID_PREFIXES[kind]
        counters = self.meta(COUNTERS_DOC)
        number = int(counters.get(prefix, 0))
        existing = set(self._ids(kind))
        while True:
            number += 1
            candidate = f"{prefix}-{number}"
            if candidate not in existing:
                break
        counters[prefix] = number
        self.put_meta(COUNTERS_DOC, counters)
        return candidate

    def new_session_id(self, date: str) -> str:
        existing = set(self._ids(Session))
        candidate, n = date, 1
        while candidate in existing:
            n += 1
            candidate = f"{date}-{n}"
        return candidate


class MemoryView(View):
    """Typed reads over documents held in memory (``table -> id -> doc``): a frozen record read
    back with the same queries as the workspace."""

    def __init__(self, tables: dict[str, dict[str, dict[str, Any]]]) -> None:
        self.layout = Layout(Path("/memory"))
        self._files: dict[Path, ListenDB] = {}
        data: dict[Path, Data] = {}
        for table, docs in tables.items():
            for doc_id, doc in docs.items():
                path = self.layout.path_for_table(table, doc_id)
                data.setdefault(path, {}).setdefault(table, {})[doc_id] = doc
        for path, file_data in data.items():
            self._files[path] = open_snapshot(file_data)[0]

    def _load(self, path: Path) -> ListenDB:
        if path not in self._files:
            self._files[path] = open_snapshot({})[0]
        return self._files[path]

    def _clip_shards(self, prefix: str) -> list[Path]:
        head = prefix[:2].lower()
        return sorted(
            path
            for path in self._files
            if path.parent == self.layout.clips_dir and path.name.startswith(head)
        )


class Store(View):
    """All reads and writes of one workspace's database and per-clip files."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.layout = Layout(workspace.db_dir)
        self._lock = FileLock(workspace.lock_path, timeout=LOCK_TIMEOUT_SECONDS)  # for writes only
        self._thread_lock = threading.RLock()
        self._local = threading.local()
        self._cache: dict[Path, tuple[Signature | None, ListenDB]] = {}
        # the versions of each file this process wrote (the last few), each with the one it replaced
        self.committed: dict[Path, dict[Signature, Signature | None]] = {}
        self._ready = False

    # ---- opening
    def _prepare(self) -> None:
        """Once per process: finish an interrupted commit and migrate an older schema."""
        if self._ready:
            return
        db_dir = self.layout.db_dir
        if has_journal(db_dir) or needs_migration(db_dir, self.layout.meta_path):
            with self._locked():
                roll_forward(db_dir)
                migrate(db_dir, self.layout.meta_path)
        self._ready = True

    def check(self) -> None:
        """Open every database file once; raises StoreError naming a damaged file."""
        self._prepare()
        for path in [self.layout.meta_path, *self.layout.clip_shards()]:
            self._load(path)
        for kind in (Gap, FixIdea, Action, Session):
            self._load(self.layout.path_for_table(table_of(kind)))
        for path in self.layout.minutes_files():
            self._load(path)

    # ---- reading
    def _clip_shards(self, prefix: str) -> list[Path]:
        self._prepare()  # even with no shard to read: a damaged meta.json or a legacy file speaks first
        return super()._clip_shards(prefix)

    def _load(self, path: Path) -> ListenDB:
        current: Transaction | None = getattr(self._local, "transaction", None)
        if current is not None:
            return current._load(path)
        self._prepare()
        signature = file_signature(path)
        with self._thread_lock:
            cached = self._cache.get(path)
            if cached is None or cached[0] != signature:
                cached = (signature, open_snapshot(read_data(path))[0])
                self._cache[path] = cached
            return cached[1]

    # ---- writing
    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            try:
                self._lock.acquire()
            except LockTimeout:
                raise StoreError(
                    f"{self.workspace.root}: another listen process has held the lock for "
                    f"{LOCK_TIMEOUT_SECONDS:.0f} s; try again"
                ) from None
            except OSError as error:  # e.g. a read-only workspace
                raise StoreError(
                    f"{self.workspace.lock_path}: cannot open the lock file ({error.strerror or error})"
                ) from None
            try:
                yield
            finally:
                self._lock.release()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        current: Transaction | None = getattr(self._local, "transaction", None)
        if current is not None:  # nested: join the outer transaction
            yield current
            return
        self._prepare()
        make_private_dir(self.layout.db_dir)
        with self._locked():
            locked_at = time.time()
            roll_forward(self.layout.db_dir)  # a commit another process left half done
            self._sweep_temps(locked_at)  # and the temp files of a writer killed before its journal
            tx = Transaction(self.layout)
            self._local.transaction = tx
            try:
                yield tx
            finally:
                self._local.transaction = None
            changes = tx.changed_files()
            meta_path = self.layout.meta_path
            if meta_path in changes:
                stamp(changes[meta_path])
            elif changes and not meta_path.exists():
                meta: Data = {}
                stamp(meta)
                changes[meta_path] = meta
            replaced = {path: file_signature(path) for path in changes}
            commit_files(self.layout.db_dir, changes)
            for path, before in replaced.items():  # for a watcher telling our writes from others'
                written = self.committed.setdefault(path, {})
                after = file_signature(path)
                if after is not None:
                    written[after] = before
                if len(written) > KEEP_WRITTEN:
                    del written[next(iter(written))]
            if changes and tx.written:
                from listen.search.live import after_commit  # derived index: never fails a write

                after_commit(self.workspace, tx.written)

    def put(self, obj: Document) -> None:
        with self.transaction() as tx:
            tx.put(obj)

    def audit(self) -> list[Problem]:
        """Every damaged file and invalid document of the workspace (for `listen doctor`)."""
        return list(audit_workspace(self.layout, self.workspace.clips_dir))

    # ---- leftovers of killed writers
    def _sweep_temps(self, locked_at: float) -> list[tuple[Path, str]]:
        """Remove the temp files writers killed mid-write left in db/ (call under the lock: every
        writer there holds it, so none is live); returns those that cannot be removed."""
        return [
            *remove_stale_temps(self.layout.db_dir, locked_at),
            *remove_stale_temps(self.layout.clips_dir, locked_at),
        ]

    def leftover_temps(self) -> list[tuple[Path, str]] | None:
        """For `listen doctor`: sweep db/ as the next write would, and return the leftovers that
        could not be removed (with why); None when another process is writing right now."""
        if not self.layout.db_dir.is_dir():
            return []
        lock = FileLock(self.workspace.lock_path, timeout=0)
        try:
            lock.acquire()
        except LockTimeout:
            return None
        except OSError as error:  # a read-only workspace: nothing can be removed, list them all
            reason = f"cannot take the lock: {error.strerror or error}"
            folders = (self.layout.db_dir, self.layout.clips_dir)
            return [
                (path, reason)
                for folder in folders
                if folder.is_dir()
                for path in sorted(folder.iterdir())
                if is_temp_name(path.name)
            ]
        try:
            return self._sweep_temps(time.time())
        finally:
            lock.release()

    # ---- per-clip files
    def transcript(self, clip_id: str) -> Transcript | None:
        path = self.workspace.transcript_path(clip_id)
        try:
            doc = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, RecursionError) as error:
            raise StoreError(f"{path}: the transcript of clip {clip_id} cannot be read ({error})") from None
        return to_transcript(path, clip_id, doc)

    def write_transcript(self, clip_id: str, transcript: Transcript) -> None:
        path = self.workspace.transcript_path(clip_id)
        doc = transcript.to_doc()
        try:
            to_transcript(path, clip_id, doc)  # never write what could not be read back
        except InvalidDocumentError as error:
            raise StoreError(f"{error}; nothing was written") from None
        make_private_dir(self.workspace.clip_dir(clip_id))
        atomic_write_json(path, doc)
        from listen.search.live import after_transcript  # derived index: never fails a write

        after_transcript(self.workspace, clip_id, transcript)
