"""TinyDB plumbing: in-memory snapshot storage, string document ids, and the files on disk.

Layout of ``<workspace>/db/``: one TinyDB JSON file per table (``sessions.json``, ``gaps.json``,
``ideas.json``, ``actions.json``, ``meta.json``) and the clips table split into shards by the
first two hex digits of the clip id (``clips/3f.json``), so that a write costs the same with ten
clips or a hundred thousand. Each file is a plain TinyDB database (``{"clips": {id: doc}}``).

The store never lets TinyDB touch the disk by itself: a transaction loads the files it needs,
TinyDB works on in-memory snapshots, and the changed files are written back atomically. A commit
that changes several files first writes every new file, then a journal naming the renames, then
renames; an interrupted commit is rolled forward by the next process that opens the store.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from listen.errors import StoreError
from listen.store.atomic import fsync_dir, temp_path_for, write_private_temp

Data = dict[str, dict[str, dict[str, Any]]]  # table name -> document id -> document
Signature = tuple[int, int, int]

JOURNAL_NAME = "journal.json"


class SnapshotStorage(Storage):
    """TinyDB storage over a dict held in memory; records whether anything was written."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.dirty = False

    def read(self) -> Data:
        return self.data

    def write(self, data: Data) -> None:
        self.data = data
        self.dirty = True

    def close(self) -> None:
        pass


class StringIdTable(Table):
    """Documents keyed by our own string ids ("G-3", "2026-11-23", a clip hash) for O(1) lookups."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:  # type: ignore[override]
        raise TypeError("listen documents always carry their own id")


class ListenDB(TinyDB):
    table_class = StringIdTable


def open_snapshot(data: Data) -> tuple[ListenDB, SnapshotStorage]:
    db = ListenDB(data, storage=SnapshotStorage)
    storage = db.storage
    assert isinstance(storage, SnapshotStorage)
    return db, storage


def file_signature(path: Path) -> Signature | None:
    """Identity of a file's current version: every write replaces the file (a new inode)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def recovery_hint(path: Path) -> str:
    backup = backup_path(path)
    if backup.exists():
        return (
            f"nothing was changed; the previous good copy is {backup.name} beside it: "
            f"move {path.name} aside and copy {backup.name} to {path.name}"
        )
    return f"nothing was changed; move {path.name} aside to start that table empty"


def read_data(path: Path) -> Data:
    """Read and sanity-check one database file. A damaged file raises StoreError, never is replaced."""
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # no database yet (a file where a folder would be
        return {}  # is named by whoever tries to create the workspace)
    except OSError as error:
        raise StoreError(f"{path}: cannot read the database ({error.strerror})") from None
    if not raw.strip():
        raise StoreError(f"{path}: the database file is empty; {recovery_hint(path)}")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:  # deep [[[...]]]
        raise StoreError(f"{path}: the database is damaged ({error}); {recovery_hint(path)}") from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise StoreError(f"{path}: {_shape_problem(data)}; {recovery_hint(path)}")
    return data


def _shape_problem(data: Any) -> str:
    """What is wrong with a database file that is JSON but not {table: {id: document}}."""
    from listen.domain import describe
    from listen.store.validate import shown_id

    if not isinstance(data, dict):
        return f"the database has an unexpected shape (expected an object of tables, got {describe(data)})"
    for name, table in data.items():
        if not isinstance(table, dict):
            return (
                f"table {shown_id(name)} is invalid (expected an object of documents, got {describe(table)})"
            )
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                reason = f"expected an object, got {describe(doc)}"
                return f"{shown_id(name)} document {shown_id(doc_id)} is invalid ({reason})"
    return "the database has an unexpected shape"


def encode(data: Data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _keep_backup(path: Path) -> None:
    """Keep the current version as ``.bak`` (a hard link: no copy)."""
    if not path.exists():
        return
    link = temp_path_for(backup_path(path))
    try:
        os.link(path, link)
        os.replace(link, backup_path(path))
    except OSError:
        with contextlib.suppress(OSError):
            link.unlink()


def commit_files(db_dir: Path, changes: dict[Path, Data]) -> None:
    """Write every changed file atomically; several files are made atomic together by a journal."""
    if not changes:
        return
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in changes.items():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            temps.append((write_private_temp(path, encode(data)), path))
        if len(temps) > 1:
            journal = [[str(temp), str(target)] for temp, target in temps]
            journal_temp = write_private_temp(db_dir / JOURNAL_NAME, json.dumps(journal).encode())
            os.replace(journal_temp, db_dir / JOURNAL_NAME)
            fsync_dir(db_dir)
    except OSError as error:
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise StoreError(
            f"{db_dir}: cannot write the database ({error.strerror}); nothing was changed"
        ) from None
    _apply_renames(temps)
    if len(temps) > 1:
        (db_dir / JOURNAL_NAME).unlink()
        fsync_dir(db_dir)


def _apply_renames(renames: list[tuple[Path, Path]]) -> None:
    folders = set()
    for temp, target in renames:
        if temp.exists():
            _keep_backup(target)
            os.replace(temp, target)
        folders.add(target.parent)
    for folder in folders:
        fsync_dir(folder)


def has_journal(db_dir: Path) -> bool:
    return (db_dir / JOURNAL_NAME).exists()


def roll_forward(db_dir: Path) -> None:
    """Finish a commit that was interrupted after its journal was written (call under the lock)."""
    journal_path = db_dir / JOURNAL_NAME
    try:
        entries = json.loads(journal_path.read_text())
    except FileNotFoundError:
        return
    except (OSError, ValueError, RecursionError) as error:
        raise StoreError(f"{journal_path}: the commit journal is damaged ({error})") from None
    _apply_renames([(Path(temp), Path(target)) for temp, target in entries])
    journal_path.unlink()
    fsync_dir(db_dir)
