"""The database schema version and the migrations that bring older workspaces up to date.

A migration is a function that upgrades the raw data of version N to N + 1 in place. Reads
migrate in memory; the next write saves the migrated data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from listen.errors import StoreError
from listen.store.database import Data

SCHEMA_VERSION = 1
META_TABLE = "meta"
SCHEMA_DOC = "schema"

Migration = Callable[[Data], None]

# version N -> function upgrading N to N + 1. Version 0 is a file written before versioning.
MIGRATIONS: dict[int, Migration] = {
    0: lambda data: None,
}


def schema_version(data: Data) -> int:
    if not data:
        return SCHEMA_VERSION
    version = data.get(META_TABLE, {}).get(SCHEMA_DOC, {}).get("version", 0)
    return int(version)


def stamp(data: Data, version: int = SCHEMA_VERSION) -> None:
    data.setdefault(META_TABLE, {})[SCHEMA_DOC] = {"version": version}


def migrate(data: Data, path: Path) -> bool:
    """Bring ``data`` to SCHEMA_VERSION in place. Returns True when anything changed."""
    version = schema_version(data)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: made by a newer listen (schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}); upgrade listen to open it"
        )
    changed = not data or version < SCHEMA_VERSION
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](data)
        version += 1
    if changed:
        stamp(data)
    return changed
