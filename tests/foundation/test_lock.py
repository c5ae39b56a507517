"""The cross-process write lock (listen/store/lock.py): real flock(2) on real files, real processes."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from listen.store.lock import FileLock, LockTimeout

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from listen.store.lock import FileLock
    lock = FileLock(Path(sys.argv[1]), timeout=5)
    lock.acquire()
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    released = time.monotonic()
    lock.release()
    print(released, flush=True)
    """
)


def hold_in_child(path: Path, seconds: float) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def test_a_lock_held_by_another_process_times_out(tmp_path: Path) -> None:
    path = tmp_path / ".listen.lock"
    child = hold_in_child(path, 30)
    try:
        with pytest.raises(LockTimeout, match=str(path)):
            FileLock(path, timeout=0.2).acquire()
    finally:
        child.kill()
        child.wait()


def test_a_waiting_writer_gets_the_lock_when_the_holder_releases(tmp_path: Path) -> None:
    path = tmp_path / ".listen.lock"
    child = hold_in_child(path, 0.5)
    with FileLock(path, timeout=30) as lock:
        got = time.monotonic()
        assert lock.is_held
    out, _ = child.communicate(timeout=30)
    # it had to release before we got in (the monotonic clock is the machine's, shared by both;
    # whether the child has also exited by then is a race, so that is not asserted)
    assert float(out.strip()) <= got


def test_a_holder_killed_with_sigkill_leaves_no_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / ".listen.lock"
    child = hold_in_child(path, 30)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    started = time.monotonic()
    with FileLock(path, timeout=5):
        pass
    assert time.monotonic() - started < 5  # got it, did not wait out the timeout
    assert path.exists()  # the lock file stays: deleting it would let two writers lock two files


def test_two_lock_objects_in_one_process_exclude_each_other(tmp_path: Path) -> None:
    # flock belongs to the open file description: two Store objects in one process (the app and
    # a worker, say) are kept apart like two processes are. (POSIX record locks would not be.)
    path = tmp_path / ".listen.lock"
    with FileLock(path, timeout=1), pytest.raises(LockTimeout):
        FileLock(path, timeout=0).acquire()
    with FileLock(path, timeout=0):
        pass


def test_the_same_lock_object_is_reentrant(tmp_path: Path) -> None:
    path = tmp_path / ".listen.lock"
    lock = FileLock(path, timeout=0)
    with lock:
        with lock:
            assert lock.is_held
        assert lock.is_held  # the inner release does not drop the outer hold
        with pytest.raises(LockTimeout):
            FileLock(path, timeout=0).acquire()
    assert not lock.is_held
    with pytest.raises(RuntimeError, match="not held"):
        lock.release()


def test_the_lock_file_is_private_and_a_failed_wait_leaks_no_descriptor(tmp_path: Path) -> None:
    path = tmp_path / ".listen.lock"
    with FileLock(path, timeout=0):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        before = len(os.listdir("/proc/self/fd"))
        for _ in range(20):
            with pytest.raises(LockTimeout):
                FileLock(path, timeout=0).acquire()
        assert len(os.listdir("/proc/self/fd")) == before


def test_a_lock_file_that_cannot_be_opened_is_a_store_error_naming_it(tmp_path: Path) -> None:
    from listen.errors import StoreError
    from listen.store import Store
    from listen.workspace import Workspace

    workspace = Workspace(tmp_path / "ws")
    store = Store(workspace)
    workspace.db_dir.mkdir(parents=True)
    workspace.lock_path.mkdir()  # a folder where the lock file should be: open() fails even as root
    error = pytest.raises(StoreError, match=r"\.listen\.lock: cannot open the lock file")
    with error, store.transaction():
        pass
