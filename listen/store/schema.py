"""The database schema version and the migrations that bring older workspaces up to date.

The version lives in ``db/meta.json``. A migration upgrades the database of version N to N + 1;
it runs under the store's lock, before any other read or write of that process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from listen.errors import StoreError
from listen.store.database import Data, commit_files, read_data

SCHEMA_VERSION = 1
META_TABLE = "meta"
SCHEMA_DOC = "schema"
LEGACY_SINGLE_FILE = "listen.json"  # version 0: every table in one file beside db/

Migration = Callable[[Path], None]


def _split_legacy_file(db_dir: Path) -> None:
    """Version 0 -> 1: one ``listen.json`` with every table becomes one file per table."""
    from listen.store.layout import Layout

    legacy = db_dir.parent / LEGACY_SINGLE_FILE
    data = read_data(legacy)
    layout = Layout(db_dir)
    changes: dict[Path, Data] = {}
    for table, docs in data.items():
        if table == META_TABLE:
            continue
        for doc_id, doc in docs.items():
            path = layout.path_for_table(table, doc_id)
            changes.setdefault(path, {}).setdefault(table, {})[doc_id] = doc
    meta = dict(data.get(META_TABLE, {}))
    meta[SCHEMA_DOC] = {"version": 1}
    changes[layout.meta_path] = {META_TABLE: meta}
    commit_files(db_dir, changes)
    legacy.rename(legacy.with_name(LEGACY_SINGLE_FILE + ".migrated"))


MIGRATIONS: dict[int, Migration] = {0: _split_legacy_file}


def stored_version(db_dir: Path, meta: Data) -> int:
    if meta:
        return int(meta.get(META_TABLE, {}).get(SCHEMA_DOC, {}).get("version", 0))
    if (db_dir.parent / LEGACY_SINGLE_FILE).exists():
        return 0
    return SCHEMA_VERSION  # a new, empty workspace


def needs_migration(db_dir: Path, meta: Data) -> bool:
    version = stored_version(db_dir, meta)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{db_dir}: made by a newer listen (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); upgrade listen to open it"
        )
    return version < SCHEMA_VERSION


def migrate(db_dir: Path, meta_path: Path) -> None:
    """Run every pending migration in order (call with the store's lock held)."""
    version = stored_version(db_dir, read_data(meta_path))
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](db_dir)
        version += 1


def stamp(meta: Data) -> None:
    meta.setdefault(META_TABLE, {})[SCHEMA_DOC] = {"version": SCHEMA_VERSION}


__all__ = ["SCHEMA_VERSION", "json", "migrate", "needs_migration", "stamp"]
