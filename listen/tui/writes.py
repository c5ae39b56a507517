"""The app's ordered writes: each change is saved in a thread worker, one at a time, in the order
it was asked for; the result (or the failure) comes back to the UI thread as a message. When the
app ends, what is still queued (a form saved as it was taken down) is written before it exits."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from textual.app import App
from textual.worker import Worker

from listen.tui.messages import Write, WriteDone, WriteFailed


class WriteQueue:
    """Writes waiting to be saved, and the one worker saving them."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._writes: deque[Write] = deque()
        self._writer: Worker[None] | None = None
        self._starting = False
        self._one_at_a_time = threading.Lock()  # the worker and finish() take writes in turn

    def save(self, write: Write) -> None:
        """Queue ``write``; the worker starts after the frame (what changed shows first)."""
        self._writes.append(write)
        if not self._starting and not self._busy:
            self._starting = True
            self._app.call_after_refresh(self._start)  # after the frame: what changed shows first

    @property
    def _busy(self) -> bool:
        return self._writer is not None and not self._writer.is_finished

    @property
    def pending(self) -> bool:
        return bool(self._writes) or self._busy or self._starting

    def is_writer(self, worker: Worker[Any]) -> bool:
        return worker is self._writer

    def writer_finished(self) -> None:
        """The worker ended: a write that arrived while it was finishing still gets saved."""
        if self._writes and not self._busy:
            self._writer = self._run()

    def _start(self) -> None:
        self._starting = False
        if self._writes and not self._busy:
            self._writer = self._run()

    def _run(self) -> Worker[None]:
        return self._app.run_worker(
            self._drain, thread=True, group="writes", exit_on_error=False, description="saving changes"
        )

    def _drain(self) -> None:
        while True:
            with self._one_at_a_time:
                try:
                    write = self._writes.popleft()
                except IndexError:
                    return
                try:
                    result = write.run()
                except Exception as error:
                    self._app.post_message(WriteFailed(write, error))
                else:
                    self._app.post_message(WriteDone(write, result))

    def finish(self) -> list[tuple[Write, Exception]]:
        """The app is ending: write what is still queued, here and now, after the write under
        way (if any); returns the writes that failed, for the caller to say so."""
        failed: list[tuple[Write, Exception]] = []
        while True:
            with self._one_at_a_time:
                try:
                    write = self._writes.popleft()
                except IndexError:
                    return failed
                try:
                    write.run()
                except Exception as error:
                    failed.append((write, error))
