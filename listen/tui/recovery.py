"""At start: clips a crashed transcription left 'transcribing' go back to the queue (a clip a live
process is transcribing keeps its claim and is left alone, see transcribe/runner.py)."""

from __future__ import annotations

from typing import Any

from textual.app import App

from listen.store import Store
from listen.tui.messages import DataChanged


class Recovery:
    def __init__(self, app: App[Any], store: Store) -> None:
        self._app = app
        self._store = store

    def start(self) -> None:
        self._app.run_worker(
            self._run,
            thread=True,
            group="recover",
            exit_on_error=False,
            description="checking the transcription queue",
        )

    def _run(self) -> None:
        from listen.transcribe.runner import recover_interrupted

        recovered = recover_interrupted(self._store)
        if recovered:
            self._app.post_message(DataChanged("transcripts", tables=frozenset({"clips"})))
            self._app.call_from_thread(
                self._app.notify, f"{len(recovered)} clip(s) left half-transcribed are back in the queue."
            )
