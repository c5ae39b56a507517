"""The database schema version and the migrations that bring older workspaces up to date.

The version lives in ``db/meta.json``. A migration upgrades the database of version N to N + 1;
it runs under the store's lock, before any other read or write of that process, and only on a
layout it recognises. A ``meta.json`` without a readable version is a damaged file to report,
never a version 0 to migrate (the migration would write over it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from listen.errors import StoreError
from listen.store.database import Data, commit_files, read_data
from listen.store.validate import KINDS, META_TABLE, SCHEMA_DOC, InvalidDocumentError, check_meta, to_object

SCHEMA_VERSION = 1
LEGACY_SINGLE_FILE = "listen.json"  # version 0: every table in one file beside db/

Migration = Callable[[Path], None]


def _split_legacy_file(db_dir: Path) -> None:
    """Version 0 -> 1: one ``listen.json`` with every table becomes one file per table.

    Every document is checked first: a legacy file with an unknown table or an invalid document
    is reported and nothing is written."""
    from listen.store.layout import Layout

    legacy = db_dir.parent / LEGACY_SINGLE_FILE
    data = read_data(legacy)
    layout = Layout(db_dir)
    changes: dict[Path, Data] = {}
    for table, docs in data.items():
        if table == META_TABLE:
            for name, doc in docs.items():
                check_meta(legacy, name, doc)
            continue
        kind = KINDS.get(table)
        if kind is None:
            raise StoreError(f"{legacy}: unknown table {table[:40]!r}; nothing was migrated")
        for doc_id, doc in docs.items():
            to_object(kind, legacy, doc_id, doc, check_shard=False)
            path = layout.path_for_table(table, doc_id)
            changes.setdefault(path, {}).setdefault(table, {})[doc_id] = doc
    meta = dict(data.get(META_TABLE, {}))
    meta[SCHEMA_DOC] = {"version": 1}
    changes[layout.meta_path] = {META_TABLE: meta}
    commit_files(db_dir, changes)
    legacy.rename(legacy.with_name(LEGACY_SINGLE_FILE + ".migrated"))


MIGRATIONS: dict[int, Migration] = {0: _split_legacy_file}


def check_schema_doc(meta_path: Path, meta: Data) -> int:
    """The schema version stamped in an existing ``meta.json`` (InvalidDocumentError if unreadable)."""
    doc = check_meta(meta_path, SCHEMA_DOC, meta.get(META_TABLE, {}).get(SCHEMA_DOC, {}))
    version = doc.get("version")
    if version is None:
        reason = "version: missing; every write stamps it, so the file was damaged or edited by hand"
        raise InvalidDocumentError(meta_path, "meta document", SCHEMA_DOC, reason)
    if version < 1:
        raise InvalidDocumentError(
            meta_path, "meta document", SCHEMA_DOC, f"version: {version} is not a version"
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{meta_path.parent}: made by a newer listen (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); upgrade listen to open it"
        )
    return int(version)


def stored_version(db_dir: Path, meta_path: Path) -> int:
    """The version of the database in ``db_dir``; StoreError when its layout is not one we know."""
    meta = read_data(meta_path)  # {} when there is no meta.json
    if meta_path.exists():
        return check_schema_doc(meta_path, meta)
    legacy = db_dir.parent / LEGACY_SINGLE_FILE
    if not legacy.exists():
        return SCHEMA_VERSION  # a new, empty workspace (the first write stamps the version)
    present = [p.name for p in db_dir.glob("*.json")] + [
        f"clips/{p.name}" for p in db_dir.glob("clips/*.json")
    ]
    if present:  # a version 0 workspace has no db/ files: this is a mix, not a layout we know
        raise StoreError(
            f"{legacy}: a workspace file of listen before 0.1 beside database files in {db_dir} "
            f"({', '.join(sorted(present)[:3])}) but no meta.json; nothing was changed: "
            f"move {legacy.name} or {db_dir.name}/ aside"
        )
    return 0


def needs_migration(db_dir: Path, meta_path: Path) -> bool:
    return stored_version(db_dir, meta_path) < SCHEMA_VERSION


def migrate(db_dir: Path, meta_path: Path) -> None:
    """Run every pending migration in order (call with the store's lock held)."""
    version = stored_version(db_dir, meta_path)
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](db_dir)
        version += 1


def stamp(meta: Data) -> None:
    meta.setdefault(META_TABLE, {})[SCHEMA_DOC] = {"version": SCHEMA_VERSION}


__all__ = ["SCHEMA_VERSION", "check_schema_doc", "migrate", "needs_migration", "stamp"]
