"""Notice what other processes write to the workspace (a rep's `listen submit`, `listen transcribe`
in another window, a second app), without reading any table.

Every write the store makes replaces a file (a new inode, see store/database.py), and replacing a
file changes the mtime of its folder. So one look costs three ``stat`` calls: the ``db`` folder,
the ``db/clips`` folder (the clip shards) and ``listen.toml``. Only when a folder changed are the
files in it stat'ed, to name the tables that changed. A file whose new signature is the one this
process's store wrote (``Store.committed``), over the version the watcher saw last, is the app's
own write: it was refreshed already, so it is not reported again. (Had another process written in
between, the chain of the app's versions does not lead back to the one seen: that is reported.)

Why not inotify (``watchfiles``)? Three stats every tenth of a second cost 0.1-0.5 % of one core
even on a virtual machine where a stat takes 50-130 µs (bench/bench_live.py measures it, with
10,000 clips); inotify would add a compiled dependency and a thread of its own for little gain,
and does not see writes made from another machine on a shared (network) folder.

A folder's mtime ticks in coarse steps (a few ms on Linux): two replacements within one tick
leave the same mtime. While a folder's mtime is recent (``RECENT_SECONDS``), its files are
looked at on every pass, so the second write is not missed; file signatures include the inode,
which every replacement changes.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from listen.store.database import Signature, file_signature
from listen.store.layout import CLIPS_TABLE, SHARD_NAME
from listen.workspace import Workspace

POLL_SECONDS = 0.1  # a write is noticed 50 ms after it lands on average; idle, 0.1-0.5 % of a core
RECENT_SECONDS = 1.1  # past one second: safe on file systems that keep whole seconds
SETTINGS = "settings"


class TableChanges(frozenset[str]):
    """The tables (and ``settings``) another process changed, as a frozenset of their names, and
    ``clip_shards``: the clip shards (``"3f"`` for db/clips/3f.json) whose files changed, so a
    screen can read just those instead of every clip. It travels through WorkspaceChanged and
    DataChanged as their ``tables`` unchanged; anything that only needs the names sees a set."""

    clip_shards: frozenset[str] = frozenset()

    @classmethod
    def of(cls, tables: set[str], clip_shards: set[str]) -> TableChanges:
        changes = cls(tables)
        changes.clip_shards = frozenset(clip_shards)
        return changes


def changed_clip_shards(tables: frozenset[str] | None) -> frozenset[str] | None:
    """The clip shards a change names, when clips are all it changed; None otherwise (no table
    named, other tables too, or a change that does not say which shards: read everything)."""
    if tables is None or tables != {CLIPS_TABLE} or not isinstance(tables, TableChanges):
        return None
    return tables.clip_shards or None


Report = Callable[[frozenset[str]], None]
Committed = dict[Path, dict[Signature, Signature | None]]  # path: {written: the version it replaced}


def table_for(path: Path, db_dir: Path) -> str | None:
    """The table a database file holds (``meta`` for meta.json), None for anything else."""
    if path.parent == db_dir / CLIPS_TABLE:
        return CLIPS_TABLE if SHARD_NAME.match(path.name) else None
    if path.parent == db_dir and path.suffix == ".json" and path.name != "journal.json":
        return path.stem
    return None


def _dir_mtime(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None


class WorkspaceSignatures:
    """The signatures of the workspace's database files and settings, and what changed since."""

    def __init__(self, workspace: Workspace, committed: Committed | None = None) -> None:
        self.db_dir = workspace.db_dir
        self.clips_dir = workspace.db_dir / CLIPS_TABLE
        self.settings_path = workspace.settings_path
        self.committed = committed if committed is not None else {}  # the store's own writes
        self._dirs: dict[Path, int | None] = {}
        self._files: dict[Path, Signature | None] = {}
        self._settings: Signature | None = None
        self.baseline()

    def baseline(self) -> None:
        """Take the current state as seen (at start)."""
        for folder in (self.db_dir, self.clips_dir):
            self._dirs[folder] = _dir_mtime(folder)
            for path in self._files_in(folder):
                self._files[path] = file_signature(path)
        self._settings = file_signature(self.settings_path)

    def _files_in(self, folder: Path) -> list[Path]:
        try:
            with os.scandir(folder) as entries:
                paths = [Path(e.path) for e in entries if e.is_file()]
        except FileNotFoundError:
            return []
        return [p for p in paths if table_for(p, self.db_dir) is not None]

    def changes(self) -> TableChanges:
        """The tables (and ``settings``) another process changed since the last call, with the
        clip shards that changed."""
        changed: set[str] = set()
        shards: set[str] = set()
        wall = time.time_ns()
        for folder in (self.db_dir, self.clips_dir):
            mtime = _dir_mtime(folder)
            recent = mtime is not None and wall - mtime < RECENT_SECONDS * 1e9
            if mtime == self._dirs.get(folder) and not recent:
                continue
            self._dirs[folder] = mtime
            changed |= self._scan(folder, shards)
        settings = file_signature(self.settings_path)
        if settings != self._settings:
            self._settings = settings
            changed.add(SETTINGS)
        return TableChanges.of(changed, shards)

    def _scan(self, folder: Path, shards: set[str]) -> set[str]:
        """The tables whose files in ``folder`` another process changed; adds the clip shards
        among them to ``shards``."""
        changed: set[str] = set()
        present = self._files_in(folder)
        gone = {p for p in self._files if p.parent == folder} - set(present)
        for path in [*present, *gone]:
            signature, seen = file_signature(path), self._files.get(path)
            if signature == seen:
                continue
            self._files[path] = signature
            if self._own(path, seen, signature):
                continue  # this process wrote it over what was seen: already refreshed
            table = table_for(path, self.db_dir)
            if table is not None:
                changed.add(table)
            if table == CLIPS_TABLE:
                shards.add(path.stem)
        return changed

    def _own(self, path: Path, seen: Signature | None, signature: Signature | None) -> bool:
        """Whether every version since the one seen was written by this process (follow the
        chain of its writes back from the current version)."""
        written = self.committed.get(path, {})
        current = signature
        for _ in range(len(written) + 1):
            if current == seen:
                return True
            if current is None or current not in written:
                return False
            current = written[current]
        return False


class WorkspaceWatcher:
    """A daemon thread that looks at the signatures every ``interval`` seconds and calls ``report``
    (from that thread: it must only post a message) with the tables another process changed.

    Not a Textual worker: it runs as long as the app, and a worker that never finishes would make
    every ``wait_for_complete()`` wait forever."""

    def __init__(
        self,
        workspace: Workspace,
        report: Report,
        *,
        committed: Committed | None = None,
        interval: float = POLL_SECONDS,
    ) -> None:
        self.signatures = WorkspaceSignatures(workspace, committed)
        self.report = report
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="listen-watcher", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                changed = self.signatures.changes()
            except OSError:
                continue  # the workspace folder is being moved or unmounted: look again later
            if changed:
                self.report(changed)
