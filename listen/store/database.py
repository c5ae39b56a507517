"""TinyDB plumbing: an in-memory snapshot storage, string document ids, and the on-disk file.

The store never lets TinyDB touch the disk by itself. A transaction loads the file once, lets
TinyDB work on the in-memory snapshot, and writes it back once, atomically, under the lock.
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
from listen.store.atomic import atomic_write_json, temp_path_for

Data = dict[str, dict[str, dict[str, Any]]]  # table name -> document id -> document


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


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """Identity of the file's current version: every write replaces the file (a new inode)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def recovery_hint(path: Path) -> str:
    backup = backup_path(path)
    if backup.exists():
        return (
            f"nothing was changed; the previous good copy is {backup.name}: "
            f"move {path.name} aside and copy {backup.name} to {path.name}"
        )
    return f"nothing was changed; move {path.name} aside to start an empty database"


def read_data(path: Path) -> Data:
    """Read and sanity-check the database file. A damaged file raises StoreError, never is replaced."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise StoreError(f"{path}: cannot read the database ({error.strerror})") from None
    if not raw.strip():
        raise StoreError(f"{path}: the database file is empty; {recovery_hint(path)}")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise StoreError(f"{path}: the database is damaged ({error}); {recovery_hint(path)}") from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise StoreError(f"{path}: the database has an unexpected shape; {recovery_hint(path)}")
    return data


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def write_data(path: Path, data: Data) -> None:
    """Keep the current file as .bak (a hard link: no copy), then replace it atomically."""
    if path.exists():
        link = temp_path_for(backup_path(path))
        try:
            os.link(path, link)
            os.replace(link, backup_path(path))
        except OSError:
            with contextlib.suppress(OSError):
                link.unlink()
    try:
        atomic_write_json(path, data)
    except OSError as error:
        raise StoreError(f"{path}: cannot write the database ({error.strerror}); nothing was changed") from None
