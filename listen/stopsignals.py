"""Ctrl-C and SIGTERM as a request to stop, checked where stopping is safe.

Python turns SIGINT into a KeyboardInterrupt raised at whatever bytecode the main thread runs
next: inside threading's own lock handling, in a ``__del__`` or a callback from C (where it is
printed as "ignored" and lost, and the command goes on as if nothing happened), or only when a long
native call (CTranslate2) returns. ``StopSignals`` replaces that with a flag: the handler only
records the signal, and the command looks at ``requested`` between steps (the transcription
runner's cancel check, the recorder's wait loop). Nothing here raises inside someone else's code.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

DEFAULT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """While active, the given signals set ``requested`` instead of interrupting. Main thread only
    (elsewhere it installs nothing and ``requested`` stays False: the process's handlers apply)."""

    def __init__(self, signums: tuple[int, ...] = DEFAULT_SIGNALS) -> None:
        self.signums = signums
        self.received: int | None = None  # the first signal that came
        self._previous: dict[int, Any] = {}

    @property
    def requested(self) -> bool:
        return self.received is not None

    def __call__(self) -> bool:
        """The runner's ``CancelCheck``."""
        return self.requested

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in self.signums:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        # Only a plain assignment: the handler runs between two bytecodes of any code, including
        # code holding a lock, so it must take none (no Event.set, no print).
        if self.received is None:
            self.received = signum


@contextmanager
def main_thread_gets_signals(signums: tuple[int, ...] = DEFAULT_SIGNALS) -> Iterator[None]:
    """Threads started inside the block (PortAudio's callback thread, the sound server client's,
    the recorder's writer) inherit a signal mask that blocks ``signums``, so the kernel delivers
    them to the main thread only: no EINTR lands in a native audio thread, and the main thread's
    wait is woken at once. A signal that comes meanwhile waits and is delivered at the end."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signums)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
