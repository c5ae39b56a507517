"""The drop folder (`listen serve --watch DIR --by NAME`): call recorders write files into DIR;
each new complete file becomes NAME's clip through ``submit_file`` (as `listen submit` would),
then moves to ``DIR/imported/``, or to ``DIR/refused/`` with ``<name>.reason.txt`` saying why.

A file is complete when its size and modification time have not changed for ``SETTLE_SECONDS``
(recorders that write slowly are waited for). Hidden files (``.name``: most tools' partial
downloads) are left alone. A file is never imported twice: it leaves DIR once handled, and the
same bytes dropped again are the same clip (``submit_file`` finds it by its hash).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from listen.display import one_line
from listen.errors import InputError, ListenError
from listen.ingest.submit import outcome_line, submit_file
from listen.settings import Settings
from listen.store import Store
from listen.store.atomic import atomic_write_text

SETTLE_SECONDS = 3.0
POLL_SECONDS = 1.0
IMPORTED, REFUSED = "imported", "refused"


@dataclass
class DropFolder:
    store: Store
    settings: Callable[[], Settings]
    folder: Path
    by: str
    settle: float = SETTLE_SECONDS
    log: Callable[[str], None] = print
    _seen: dict[str, tuple[int, int, float]] = field(default_factory=dict)  # name: size, mtime, since

    def prepare(self) -> None:
        if not self.folder.is_dir():
            raise ListenError(f"{self.folder}: the drop folder does not exist")
        for name in (IMPORTED, REFUSED):
            try:
                (self.folder / name).mkdir(exist_ok=True)
            except OSError as error:
                raise ListenError(f"{self.folder / name}: cannot be made ({error.strerror})") from None

    def scan(self, now: float | None = None) -> list[str]:
        """Look once; handle the files that have settled. Returns the lines logged."""
        now = time.monotonic() if now is None else now
        lines: list[str] = []
        present: set[str] = set()
        try:
            entries = list(os.scandir(self.folder))
        except OSError as error:
            lines.append(f"{self.folder}: cannot be read ({error.strerror})")
            entries = []
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            present.add(entry.name)
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            signature = (info.st_size, info.st_mtime_ns)
            seen = self._seen.get(entry.name)
            if seen is None or seen[:2] != signature:
                self._seen[entry.name] = (*signature, now)
                continue
            if now - seen[2] >= self.settle:
                del self._seen[entry.name]
                lines.append(self._handle(Path(entry.path)))
        for gone in set(self._seen) - present:
            del self._seen[gone]
        for line in lines:
            self.log(one_line(f"listen serve: {line}"))
        return lines

    def _handle(self, path: Path) -> str:
        try:
            result = submit_file(self.store, path, submitted_by=self.by, settings=self.settings())
        except InputError as error:
            return self._refuse(path, error.reason)
        except ListenError as error:
            return self._refuse(path, str(error))
        line = outcome_line(path.name, result)
        self._move(path, self.folder / IMPORTED)
        return line

    def _refuse(self, path: Path, reason: str) -> str:
        target = self._move(path, self.folder / REFUSED)
        with contextlib.suppress(OSError):
            atomic_write_text(target.with_name(target.name + ".reason.txt"), one_line(reason) + "\n")
        return f"{path.name}: refused, {reason} (moved to {REFUSED}/)"

    @staticmethod
    def _move(path: Path, folder: Path) -> Path:
        """Move into ``folder`` under the same name, or ``name (2)`` etc. when taken."""
        target = folder / path.name
        number = 2
        while target.exists():
            target = folder / f"{path.stem} ({number}){path.suffix}"
            number += 1
        with contextlib.suppress(OSError):
            os.replace(path, target)
        return target


class DropFolderThread:
    def __init__(self, drop: DropFolder, on_import: Callable[[], None] | None = None) -> None:
        self.drop = drop
        self.on_import = on_import
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="listen-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            try:
                if self.drop.scan() and self.on_import is not None:
                    self.on_import()
            except Exception as error:  # keep watching; say what broke
                self.drop.log(one_line(f"listen serve: the drop folder: {error!r}"))
