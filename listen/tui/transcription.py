"""The transcription batch run from the app: a thread worker that keeps running whichever screen
is shown, its progress as coalescing messages, and what the Home and Inbox screens show of it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.worker import Worker, get_current_worker

from listen.settings import Settings
from listen.timefmt import clock
from listen.tui.messages import DataChanged, TranscriptionFinished, TranscriptionProgress

if TYPE_CHECKING:
    from listen.tui.app import ListenApp


@dataclass(frozen=True)
class TranscriptionState:
    """What the Home and Inbox screens show about the running transcription batch."""

    running: bool = False
    done: float = 0.0  # seconds of audio done over the whole batch, not clips
    total: float = 0.0
    label: str = ""
    clip_index: int = 0  # the clip being transcribed, 1-based (0 while the model loads)
    clip_count: int = 0

    def progress_line(self) -> str:
        """What the batch is at, saying what each figure counts: "transcribing clip 2 of 7 ·
        0:07 of 0:31" (the seconds of audio done, as a clock, never mistaken for clips)."""
        if not self.running:
            return ""
        if not self.clip_index:
            return "transcribing: loading the speech model…"
        audio = f" · {clock(self.done)} of {clock(self.total)}" if self.total else ""
        return f"transcribing clip {self.clip_index} of {self.clip_count}{audio}"


def clips_written(what: str, clip_ids: Iterable[str]) -> DataChanged:
    """The app wrote these clips (its transcription batch): the screens that show clips patch
    their rows, reading only the shards that hold them, as for another process's write."""
    from listen.store.layout import CLIPS_TABLE, shard_of
    from listen.tui.watcher import TableChanges

    return DataChanged(what, tables=TableChanges.of({CLIPS_TABLE}, {shard_of(c) for c in clip_ids}))


def transcription_threads(settings: Settings) -> int | None:
    """While the app is on screen, leave one core to it (unless listen.toml sets the threads)."""
    if settings.transcription.threads:
        return None  # as configured
    return max(1, (os.cpu_count() or 2) - 1)


class TranscriptionController:
    """Starts, cancels and follows the app's one transcription batch; the state goes to the app's
    ``transcription`` reactive (the screens watch it)."""

    def __init__(self, app: ListenApp) -> None:
        self._app = app
        self._worker: Worker[None] | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    def start(self, clip_ids: list[str] | None, *, confirmed: bool = False) -> None:
        """Transcribe ``clip_ids`` (None: every queued clip). A named clip whose transcript a
        person corrected is transcribed again only after a yes (the corrected transcript is then
        kept as a copy beside the new one, see corrections.keep_copy)."""
        app = self._app
        if self.running:
            app.notify("A transcription batch is already running.", severity="warning")
            return
        if clip_ids and not confirmed:
            corrected = self._corrected(clip_ids)
            if corrected:
                self._ask(clip_ids, corrected)
                return
        app.transcription = TranscriptionState(running=True, label="starting…")
        self._worker = app.run_worker(
            lambda: self._run(clip_ids),
            thread=True,
            group="transcribe",
            exit_on_error=False,
            description="transcribing clips",
        )

    def _corrected(self, clip_ids: list[str]) -> list[str]:
        from listen.errors import ListenError
        from listen.transcribe.corrections import corrections_of

        found = []
        for clip_id in clip_ids:
            try:
                if corrections_of(self._app.store, clip_id) is not None:
                    found.append(clip_id)
            except ListenError:  # unreadable: the batch reports it
                continue
        return found

    def _ask(self, clip_ids: list[str], corrected: list[str]) -> None:
        from listen.tui.screens.modals import ConfirmModal

        which = "This clip's transcript was" if len(corrected) == 1 else f"{len(corrected)} transcripts were"
        question = (
            f"{which} corrected by hand. Transcribing again replaces the corrected text with a new "
            "machine transcript; the corrected one is kept as a copy beside it "
            "(clips/<id>/transcript.corrected-<time>.json), not used any more.\n"
            "Transcribe again?"
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self.start(clip_ids, confirmed=True)
            else:
                self._app.notify("Not transcribed again: the corrections stay.")

        self._app.push_screen(
            ConfirmModal(question, yes="Transcribe again", no="Keep corrections", title="Corrections"), answer
        )

    def cancel(self) -> None:
        if self._worker is not None and self.running:
            self._worker.cancel()
            self._app.notify("Stopping the transcription after the current clip…")

    def _run(self, clip_ids: list[str] | None) -> None:
        from listen.transcribe.runner import Progress, transcribe_clips  # the engine loads lazily

        app = self._app
        worker = get_current_worker()
        last: list[tuple[str | None, str]] = [(None, "")]  # the clip and stage last reported

        def progress(p: Progress) -> None:
            if p.clip_id is None:
                label = "loading the speech model…"
            else:
                label = f"{p.label} ({p.clip_index} of {p.clip_count})"
            app.post_message(
                TranscriptionProgress(p.done, p.total, p.clip_id, label, p.clip_index, p.clip_count)
            )
            # the clip's stored status changed (now transcribing; transcribed, failed or put
            # back): its row is patched where it is shown. Not coalesced like the progress
            if p.clip_id is not None and p.stage != "skipped":
                step = "transcribing" if p.stage == "transcribing" else "ended"
                if (p.clip_id, step) != last[0]:
                    last[0] = (p.clip_id, step)
                    app.post_message(clips_written("transcripts", [p.clip_id]))

        summary = transcribe_clips(
            app.store,
            app.settings,
            clip_ids,
            threads=transcription_threads(app.settings),
            on_progress=progress,
            cancel=lambda: worker.is_cancelled,
        )
        app.post_message(
            TranscriptionFinished(
                len(summary.done),
                len(summary.failed),
                cancelled=summary.cancelled,
                clip_ids=tuple(o.clip_id for o in summary.outcomes),
            )
        )

    def progressed(self, message: TranscriptionProgress) -> None:
        self._app.transcription = TranscriptionState(
            True, message.done, message.total, message.label, message.clip_index, message.clip_count
        )

    def failed(self) -> None:
        self._app.transcription = TranscriptionState(running=False)

    def finished(self, message: TranscriptionFinished) -> None:
        app = self._app
        app.transcription = TranscriptionState(running=False)
        if message.cancelled:
            app.notify(f"Transcription stopped: {message.done} done.")
        elif message.failed:
            app.notify(
                f"Transcription finished: {message.done} done, {message.failed} failed "
                "(see the Inbox for the reasons).",
                severity="warning",
            )
        elif message.done:
            app.notify(f"Transcription finished: {message.done} clip(s) ready.")
        else:
            app.notify("Nothing waits for transcription.")
