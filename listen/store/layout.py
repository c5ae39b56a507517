"""Which file holds which document: one file per table, the clips table sharded by id prefix."""

from __future__ import annotations

import re
from pathlib import Path

CLIPS_TABLE = "clips"
MINUTES_TABLE = "minutes"  # one file per closed session: each close writes only its own record
SHARD_NAME = re.compile(r"^[0-9a-f]{2}\.json$")


class Layout:
    def __init__(self, db_dir: Path) -> None:
        self.db_dir = db_dir

    @property
    def meta_path(self) -> Path:
        return self.db_dir / "meta.json"

    @property
    def clips_dir(self) -> Path:
        return self.db_dir / CLIPS_TABLE

    def path_for_table(self, table: str, doc_id: str | None = None) -> Path:
        if table == CLIPS_TABLE:
            if doc_id is None:
                raise ValueError("a clip's file depends on its id")
            return self.clips_dir / f"{shard_of(doc_id)}.json"
        if table == MINUTES_TABLE:
            if doc_id is None:
                raise ValueError("a record's file depends on its session's id")
            return self.minutes_dir / f"{record_file_stem(doc_id)}.json"
        return self.db_dir / f"{table}.json"

    @property
    def minutes_dir(self) -> Path:
        return self.db_dir / MINUTES_TABLE

    def minutes_files(self) -> list[Path]:
        try:
            return sorted(p for p in self.minutes_dir.iterdir() if p.suffix == ".json")
        except FileNotFoundError:
            return []

    def clip_shards(self, prefix: str = "") -> list[Path]:
        """The existing clip shard files, restricted to those that can hold ids with ``prefix``."""
        head = prefix[:2].lower()
        if SHARD_NAME.match(f"{head}.json"):  # one shard can hold them: no need to list 256 files
            shard = self.clips_dir / f"{head}.json"
            return [shard] if shard.is_file() else []
        try:
            names = sorted(p.name for p in self.clips_dir.iterdir() if SHARD_NAME.match(p.name))
        except FileNotFoundError:
            return []
        return [self.clips_dir / name for name in names if name.startswith(head)]


SHARDS = frozenset(f"{n:02x}" for n in range(256))


def shard_of(clip_id: str) -> str:
    """The shard a clip id is kept in (a set lookup: screens ask it of 10,000 ids at a time)."""
    head = clip_id[:2].lower()
    return head if head in SHARDS else "00"  # ids are sha256-based hex; anything else lands in one shard


def record_file_stem(session_id: str) -> str:
    """A session id as a file name: ids are dates ("2026-11-23", "2026-11-23-2"); anything else is
    reduced to safe characters."""
    return re.sub(r"[^0-9A-Za-z._-]", "_", session_id).lstrip(".") or "_"
