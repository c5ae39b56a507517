"""Cross-process locks: an exclusive flock(2) on a lock file.

A flock lock belongs to the open file description, so it excludes other processes and other
lock objects in this process alike, and the kernel drops it when its holder exits or is killed
(SIGKILL included): a crash never leaves a stale lock behind. The lock file itself holds nothing
and is never deleted (deleting it would let two holders lock two different files).

Until 0.1 this was the ``filelock`` package, whose Unix lock is this same system call. Importing
it cost 25-40 ms of the 150 ms budget of ``listen submit`` on the reference machine (it pulls in
logging, inspect, decimal and platform); see bench/bench_foundation.py and the README.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType


class LockTimeout(Exception):
    """The lock stayed held by someone else for the whole timeout."""


class FileLock:
    """An exclusive, re-entrant (within one object) lock on ``path``.

    ``timeout`` is how long ``acquire`` waits, in seconds; 0 tries once.
    """

    def __init__(self, path: Path, timeout: float, poll_seconds: float = 0.005) -> None:
        self.path = path
        self.timeout = timeout
        self.poll_seconds = poll_seconds
        self._fd: int | None = None
        self._depth = 0

    @property
    def is_held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            self._depth += 1
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            self._wait_for(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._depth = fd, 1

    def _wait_for(self, fd: int) -> None:
        deadline = time.monotonic() + self.timeout
        pause = self.poll_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LockTimeout(f"{self.path}: held by another process") from None
                time.sleep(min(pause, left))
                pause = min(pause * 2, 0.05)  # quick when the holder is quick, gentle when not

    def release(self) -> None:
        if self._fd is None:
            raise RuntimeError(f"{self.path}: released but not held")
        self._depth -= 1
        if self._depth:
            return
        fd, self._fd = self._fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()
