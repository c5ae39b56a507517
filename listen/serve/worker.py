"""The server's transcription worker: one thread that transcribes queued clips one at a time with
every core but one (the server and the app tabs keep the other), through the runner
``listen transcribe`` uses. It looks for queued clips when woken (after an upload) and every few
seconds (clips submitted any other way). Settings are read from listen.toml again whenever it
changed (``SettingsFile``): a model or language chosen while the server runs applies from the
next batch on, without a restart."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from listen.errors import ListenError
from listen.settings import Settings, load_settings
from listen.store import Store
from listen.store.database import Signature, file_signature

POLL_SECONDS = 5.0


@dataclass(frozen=True)
class WorkerState:
    """What the page shows about the worker."""

    working_on: str | None = None  # clip id
    done_seconds: float = 0.0
    total_seconds: float = 0.0
    error: str | None = None  # the last engine failure (a missing model), shown on the page


class SettingsFile:
    """listen.toml as it is now, read again only when the file changed: one ``stat`` a call
    (inode, mtime, size: a save by an editor or by another `listen` replaces or rewrites it).
    A file that does not load raises its one-line SettingsError on every call until it is fixed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seen: Signature | None = None
        self._settings: Settings | None = None

    def __call__(self) -> Settings:
        signature = file_signature(self.path)
        with self._lock:
            if self._settings is None or signature != self._seen:
                self._settings = None
                self._settings, self._seen = load_settings(self.path), signature
            return self._settings


def worker_threads() -> int:
    from listen.transcribe.runner import default_threads

    return max(1, default_threads() - 1)


class TranscriptionWorker:
    def __init__(
        self, store: Store, settings: Callable[[], Settings], *, poll_seconds: float = POLL_SECONDS
    ) -> None:
        self.store = store
        self.settings = settings
        self.poll_seconds = poll_seconds
        self.state = WorkerState()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="listen-transcribe", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        from listen.transcribe.runner import Progress, transcribe_clips

        def progress(update: Progress) -> None:
            self.state = WorkerState(update.clip_id, update.clip_done, update.clip_total, self.state.error)

        while not self._stop.is_set():
            self._wake.clear()
            try:
                if self.store.clips(status="queued"):
                    transcribe_clips(
                        self.store, self.settings(), threads=worker_threads(),
                        on_progress=progress, cancel=self._stop.is_set,
                    )  # fmt: skip
                self.state = WorkerState()
            except ListenError as error:
                self.state = WorkerState(error=str(error))
            except Exception as error:  # keep serving uploads; say what broke
                self.state = WorkerState(error=f"transcription stopped: {error!r}")
            self._wake.wait(self.poll_seconds)
