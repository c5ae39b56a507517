"""The persistent transcription queue over the store: ``queued -> transcribing -> transcribed | failed``.

``transcribe_clips`` loads the engine once and works through the clips one by one. For each clip it
takes a per-clip claim (a file lock in ``.cache/transcribing/``, held while the clip is worked on
and released by the operating system if the process dies), marks the clip ``transcribing``,
decodes and transcribes the audio in windows (so memory stays flat and progress and cancel work
between windows), writes the transcript file, and marks the clip ``transcribed`` (with a "silence
only" notice when nothing was said) or ``failed`` with the reason.

``recover_interrupted`` puts back to ``queued`` every clip left ``transcribing`` by a process that
crashed or was killed: a clip whose claim can be taken has no live owner. It is safe to call at
any time, also while another process transcribes (its clips stay claimed).

Progress arrives as typed ``Progress`` values (clip seconds done/total, batch seconds done/total);
the CLI draws them with rich, the TUI posts them as messages. Nothing here imports textual.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from listen.domain import Clip, Segment, Transcript, now_iso
from listen.errors import InputError, ListenError, NotFoundError
from listen.ingest.limits import write_failure_reason
from listen.settings import Settings
from listen.store import Store
from listen.store.lock import FileLock, LockTimeout
from listen.store.validate import InvalidDocumentError
from listen.transcribe.chunks import MAX_WINDOW_SECONDS, stream_windows
from listen.transcribe.corrections import keep_copy
from listen.transcribe.engine import SAMPLE_RATE, CancelCheck, Cancelled, Engine, EngineOptions
from listen.transcribe.engines import make_engine, model_label
from listen.transcribe.stereo import channel_speakers, shift, transcribe_channels, transcript_text
from listen.workspace import make_private_dir

SILENCE_NOTICE = "silence only"
SPEAKERS_NOTICE = "speakers not found: "  # the diarization extra failed; the transcript is kept
DECODE_BLOCK_SECONDS = 30.0
ACCURATE_BEAM_SIZE = 5  # quality = "accurate": Whisper's own default beam

Stage = Literal["loading", "transcribing", "transcribed", "failed", "skipped", "cancelled"]
OutcomeStatus = Literal["transcribed", "failed", "skipped", "cancelled"]


@dataclass(frozen=True)
class Progress:
    """Where a batch stands. Seconds are seconds of audio, not of wall time."""

    stage: Stage
    clip_id: str | None  # None while the model loads
    label: str  # what to show: the clip's title (or "loading model")
    clip_index: int  # 1-based position of the clip in the batch (0 while loading)
    clip_count: int
    clip_done: float
    clip_total: float
    done: float  # seconds of audio done over the whole batch
    total: float


ProgressHandler = Callable[[Progress], None]


@dataclass(frozen=True)
class ClipOutcome:
    clip_id: str
    title: str
    status: OutcomeStatus
    reason: str | None = None  # why it failed or was skipped
    audio_seconds: float = 0.0
    segments: int = 0
    words: int = 0
    notices: tuple[str, ...] = ()


@dataclass
class RunSummary:
    outcomes: list[ClipOutcome] = field(default_factory=list)
    cancelled: bool = False
    recovered: list[str] = field(default_factory=list)  # clips put back to queued at the start
    invalid: list[InvalidDocumentError] = field(default_factory=list)  # unreadable clips, left out
    engine: str = ""
    model: str = ""
    load_seconds: float = 0.0
    elapsed_seconds: float = 0.0  # wall time of the whole batch, loading included

    @property
    def done(self) -> list[str]:
        return [o.clip_id for o in self.outcomes if o.status == "transcribed"]

    @property
    def failed(self) -> dict[str, str]:
        return {o.clip_id: o.reason or "failed" for o in self.outcomes if o.status == "failed"}

    @property
    def skipped(self) -> dict[str, str]:
        return {o.clip_id: o.reason or "skipped" for o in self.outcomes if o.status == "skipped"}

    @property
    def audio_seconds(self) -> float:
        return sum(o.audio_seconds for o in self.outcomes if o.status == "transcribed")


# --------------------------------------------------------------------------- options


def default_threads() -> int:
    """Every core this process may use (CTranslate2's own default is 4, too many on 2 cores)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def spoken_language(settings: Settings) -> str | None:
    """The language setting as the engines take it: "EN " -> "en"; empty -> None (detect)."""
    return settings.transcription.language.strip().lower() or None


def engine_options(
    settings: Settings, *, model: str | None = None, threads: int | None = None
) -> EngineOptions:
    """The engine options ``listen.toml`` asks for, with command-line overrides."""
    t = settings.transcription
    chosen_threads = threads if threads is not None else t.threads
    accurate = t.quality == "accurate"
    return EngineOptions(
        model=model or t.model,
        language=spoken_language(settings),
        vocabulary=tuple(t.vocabulary),
        vad=t.vad,
        beam_size=max(t.beam_size, ACCURATE_BEAM_SIZE) if accurate else t.beam_size,
        temperature_fallback=accurate,
        compute_type=t.compute_type,
        threads=chosen_threads if chosen_threads > 0 else default_threads(),
        word_timestamps=True,
    )


# --------------------------------------------------------------------------- claims


def _claim_path(store: Store, clip_id: str) -> Path:
    return store.workspace.cache_dir / "transcribing" / f"{clip_id}.lock"


@contextmanager
def _claim(store: Store, clip_id: str) -> Iterator[bool]:
    """Hold the clip's claim while the block runs; yields False when another process holds it."""
    path = _claim_path(store, clip_id)
    make_private_dir(path.parent)
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except LockTimeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def recover_interrupted(store: Store, *, skipped: list[InvalidDocumentError] | None = None) -> list[str]:
    """Clips left ``transcribing`` by a dead process go back to ``queued``. Returns their ids.
    With ``skipped``, an unreadable clip document is added there instead of raising."""
    recovered: list[str] = []
    for stuck in store.clips(status="transcribing", skipped=skipped):
        with _claim(store, stuck.id) as owned:
            if not owned:  # a live process is transcribing it
                continue
            with store.transaction() as tx:
                clip = tx.clip(stuck.id)
                if clip.status != "transcribing":
                    continue
                clip.status = "queued"
                clip.failure = None
                tx.put(clip)
            recovered.append(stuck.id)
    return recovered


# --------------------------------------------------------------------------- the batch


def transcribe_clips(
    store: Store,
    settings: Settings,
    clip_ids: list[str] | None = None,
    *,
    engine: Engine | None = None,
    engine_name: str | None = None,
    model: str | None = None,
    threads: int | None = None,
    on_progress: ProgressHandler | None = None,
    cancel: CancelCheck | None = None,
    force: bool = True,
) -> RunSummary:
    """Transcribe the given clips (ids or unique prefixes), or every queued clip.

    Named clips that are ``failed`` are transcribed again, and so are ``transcribed`` ones when
    ``force`` (the command line asks for ``--force``; see ``redo_refusal``); text clips
    and clips another process is working on are skipped; a clip document that cannot be read
    (wrong shape) is left out and listed in ``summary.invalid``. Loads the engine once (only when there is
    work). Raises ListenError when the engine or model cannot be loaded; a clip that cannot be
    decoded or transcribed becomes ``failed`` with the reason and the batch goes on.
    """
    began = time.perf_counter()
    summary = RunSummary()
    summary.recovered = recover_interrupted(store, skipped=summary.invalid)
    clips = _select(store, clip_ids, summary, force=force)
    report = _Reporter(on_progress, clips)
    if clips:
        report.loading()
        loaded = time.perf_counter()
        if engine is None:
            options = engine_options(settings, model=model, threads=threads)
            name = engine_name or settings.transcription.engine
            engine = make_engine(name, options)
            engine.load()
            summary.model = model_label(engine, options)
        else:
            engine.load()
            summary.model = model_label(engine, getattr(engine, "options", EngineOptions()))
        summary.load_seconds = time.perf_counter() - loaded
        summary.engine = engine.name
        speakers = MonoSpeakers(settings, threads)
        for index, clip in enumerate(clips):
            if cancel is not None and cancel():
                summary.cancelled = True
                break
            outcome = _transcribe_one(
                store, settings, engine, summary, clip, report.for_clip(index), cancel, speakers
            )
            summary.outcomes.append(outcome)
            if outcome.status == "cancelled":
                summary.cancelled = True
                break
    summary.elapsed_seconds = time.perf_counter() - began
    return summary


def redo_refusal(clip: Clip, *, force: bool) -> str | None:
    """Why a named clip that is already transcribed is not transcribed again (None: go ahead).

    A new run replaces the transcript (its words, and times that may shift), so it takes
    ``force``; a transcript a person corrected is then kept as a copy first (``keep_copy``), so
    corrections are never discarded silently.
    """
    if clip.status != "transcribed":
        return None
    if not force:
        return f"already transcribed (listen transcribe {clip.id} --force transcribes it again)"
    return None


def _select(store: Store, clip_ids: list[str] | None, summary: RunSummary, *, force: bool) -> list[Clip]:
    if clip_ids is None:
        unreadable: list[InvalidDocumentError] = []
        queued = [clip for clip in store.clips(status="queued", skipped=unreadable) if clip.kind == "audio"]
        _add_invalid(summary, unreadable)  # the recovery's scan may have met them already
        return queued
    chosen: list[Clip] = []
    seen: set[str] = set()
    for wanted in clip_ids:
        try:
            clip = store.clip(wanted)
        except InvalidDocumentError as error:
            _add_invalid(summary, [error])
            continue
        except NotFoundError as error:
            summary.outcomes.append(ClipOutcome(wanted, "", "failed", str(error).split(": ", 1)[-1]))
            continue
        if clip.id in seen:
            continue
        seen.add(clip.id)
        if clip.kind != "audio":
            summary.outcomes.append(
                ClipOutcome(clip.id, clip.title, "skipped", "a text clip: its text is the transcript")
            )
            continue
        refused = redo_refusal(clip, force=force)
        if refused is not None:
            summary.outcomes.append(ClipOutcome(clip.id, clip.title, "failed", refused))
            continue
        chosen.append(clip)
    return chosen


def _add_invalid(summary: RunSummary, errors: list[InvalidDocumentError]) -> None:
    known = {(error.path, error.doc_id) for error in summary.invalid}
    for error in errors:
        if (error.path, error.doc_id) not in known:
            known.add((error.path, error.doc_id))
            summary.invalid.append(error)


def _transcribe_one(
    store: Store,
    settings: Settings,
    engine: Engine,
    summary: RunSummary,
    clip: Clip,
    report: _ClipReporter,
    cancel: CancelCheck | None,
    speakers: MonoSpeakers | None = None,
) -> ClipOutcome:
    with _claim(store, clip.id) as owned:
        if not owned:
            report.stage("skipped")
            return ClipOutcome(clip.id, clip.title, "skipped", "another listen process is transcribing it")
        before = _mark_transcribing(store, clip.id)
        if before is None:
            report.stage("skipped")
            return ClipOutcome(clip.id, clip.title, "skipped", "a text clip: its text is the transcript")
        try:
            segments = _transcribe_media(store, settings, engine, before, report, cancel)
            speaker_problem = None
            if speakers is not None and not _is_stereo(before) and segments:
                try:
                    segments = speakers.label(store.workspace.root / str(before.media), segments, cancel)
                except (ListenError, RuntimeError, ValueError, MemoryError) as error:  # optional: keep
                    speaker_problem = f"{SPEAKERS_NOTICE}{_reason(error)}"  # the transcript
            if cancel is not None and cancel():  # asked to stop after the last window: not saved
                raise Cancelled()
        except Cancelled:
            _restore(store, before)
            report.stage("cancelled")
            return ClipOutcome(clip.id, before.title, "cancelled")
        except ListenError as error:
            return _fail(store, before, report, _reason(error))
        except Exception as error:  # an engine or decoder bug must not stop the whole batch
            return _fail(store, before, report, f"{type(error).__name__}: {_reason(error)}")
        except BaseException:  # Ctrl-C, SystemExit: leave the clip as it was, then stop
            _restore(store, before)
            raise
        transcript = Transcript(
            text=transcript_text(segments),
            segments=segments,
            language=spoken_language(settings),
            engine=engine.name,
            model=summary.model,
            created_at=now_iso(),
        )
        saved = store.workspace.transcript_path(before.id)
        had_transcript = saved.exists()
        try:
            kept = keep_copy(store, before.id)  # a person's corrections are never silently lost
            store.write_transcript(before.id, transcript)
            notices = _mark_transcribed(store, before.id, silent=not segments, speakers=speaker_problem)
            if kept is not None:
                notices = (*notices, f"the corrected transcript was kept as {kept.name}")
        except (OSError, ListenError) as error:  # a full disk: the clip stays as it was (queued)
            if not had_transcript:
                with contextlib.suppress(OSError):
                    saved.unlink()
            with contextlib.suppress(OSError, ListenError):
                _restore(store, before)  # if even this fails, the next run's recovery does it
            report.stage("failed")
            reason = write_failure_reason(error) if isinstance(error, OSError) else _reason(error)
            return ClipOutcome(
                before.id, before.title, "failed", f"the transcript cannot be saved ({reason}); still queued"
            )
        report.stage("transcribed")
        return ClipOutcome(
            before.id,
            before.title,
            "transcribed",
            audio_seconds=report.clip_total,
            segments=len(segments),
            words=sum(len(segment.words) for segment in segments),
            notices=notices,
        )


def _transcribe_media(
    store: Store,
    settings: Settings,
    engine: Engine,
    clip: Clip,
    report: _ClipReporter,
    cancel: CancelCheck | None,
) -> list[Segment]:
    from listen.audio.decode import iter_audio_chunks

    if not clip.media:
        raise ListenError("the clip has no media file")
    path = store.workspace.root / clip.media
    if not path.is_file():
        raise ListenError(f"the media file is missing: {clip.media}")
    stereo = _is_stereo(clip)
    speakers = channel_speakers(settings.transcription.agent_channel)
    window_seconds = float(getattr(engine, "window_seconds", MAX_WINDOW_SECONDS))
    blocks = iter_audio_chunks(path, chunk_seconds=DECODE_BLOCK_SECONDS, keep_channels=stereo)
    segments: list[Segment] = []
    report.transcribing(0.0)
    for first, window in stream_windows(blocks, max_seconds=window_seconds):
        if cancel is not None and cancel():
            raise Cancelled()
        offset = first / SAMPLE_RATE

        def progress(done: float, offset: float = offset) -> None:
            report.transcribing(offset + done)

        if stereo:
            found = transcribe_channels(engine, window, speakers, progress=progress, cancel=cancel)
        else:
            found = engine.transcribe(window, progress=progress, cancel=cancel)
        segments.extend(shift(found, offset))
        report.transcribing(offset + window.shape[-1] / SAMPLE_RATE)
    return segments


def _is_stereo(clip: Clip) -> bool:
    return clip.audio is not None and clip.audio.channels == 2


class MonoSpeakers:
    """Speakers for mono clips by the diarization extra, when ``[transcription] diarize`` and the
    installation allow (``diarize.extra_status``); the models load at the first mono clip."""

    def __init__(self, settings: Settings, threads: int | None = None) -> None:
        t = settings.transcription
        self.enabled = t.diarize == "auto"
        self.speakers = t.speakers
        chosen = threads if threads is not None else t.threads
        self.threads = chosen if chosen > 0 else default_threads()
        self._diarizer: object | None = None

    def label(self, media: Path, segments: list[Segment], cancel: CancelCheck | None) -> list[Segment]:
        """``segments`` with the speaker of each (unchanged when diarization is off or unavailable)."""
        from listen.transcribe import diarize

        if not self.enabled:
            return segments
        if self._diarizer is None:
            if diarize.extra_status() is not None:  # not installed: transcription as without it
                self.enabled = False
                return segments
            self._diarizer = diarize.Diarizer(speakers=self.speakers, threads=self.threads)
        from listen.audio.decode import decode_audio

        if cancel is not None and cancel():
            raise Cancelled()
        assert isinstance(self._diarizer, diarize.Diarizer)
        turns = self._diarizer.turns(decode_audio(media, sample_rate=SAMPLE_RATE))
        return diarize.label_segments(segments, turns)


# --------------------------------------------------------------------------- status changes


def _mark_transcribing(store: Store, clip_id: str) -> Clip | None:
    """Set the clip ``transcribing``; returns it as it was before (None for a text clip)."""
    with store.transaction() as tx:
        clip = tx.clip(clip_id)
        if clip.kind != "audio":
            return None
        before = replace(clip, notices=list(clip.notices))
        clip.status = "transcribing"
        clip.failure = None
        tx.put(clip)
    return before


def _mark_transcribed(
    store: Store, clip_id: str, *, silent: bool, speakers: str | None = None
) -> tuple[str, ...]:
    with store.transaction() as tx:
        clip = tx.clip(clip_id)
        notices = [
            notice
            for notice in clip.notices
            if notice != SILENCE_NOTICE and not notice.startswith(SPEAKERS_NOTICE)
        ]
        if silent:
            notices.append(SILENCE_NOTICE)
        if speakers:
            notices.append(speakers)
        clip.notices = notices
        clip.status = "transcribed"
        clip.failure = None
        clip.has_transcript = True
        clip.transcribed_at = now_iso()
        tx.put(clip)
    return tuple(notices)


def _restore(store: Store, before: Clip) -> None:
    """Put the clip's status back as it was before this run touched it."""
    with store.transaction() as tx:
        clip = tx.clip(before.id)
        clip.status = before.status if before.status != "transcribing" else "queued"
        clip.failure = before.failure
        tx.put(clip)


def _fail(store: Store, before: Clip, report: _ClipReporter, reason: str) -> ClipOutcome:
    with store.transaction() as tx:
        clip = tx.clip(before.id)
        clip.status = "failed"
        clip.failure = reason
        tx.put(clip)
    report.stage("failed")
    return ClipOutcome(before.id, before.title, "failed", reason, audio_seconds=report.clip_total)


def _reason(error: BaseException) -> str:
    if isinstance(error, InputError):  # the clip's own media: the reason says enough
        return error.reason
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


# --------------------------------------------------------------------------- progress


class _Reporter:
    def __init__(self, handler: ProgressHandler | None, clips: list[Clip]) -> None:
        self.handler = handler
        self.clips = clips
        self.durations = [max(0.0, clip.duration or 0.0) for clip in clips]
        self.total = sum(self.durations)

    def emit(self, progress: Progress) -> None:
        if self.handler is not None:
            self.handler(progress)

    def loading(self) -> None:
        self.emit(Progress("loading", None, "loading model", 0, len(self.clips), 0.0, 0.0, 0.0, self.total))

    def for_clip(self, index: int) -> _ClipReporter:
        return _ClipReporter(self, index)


class _ClipReporter:
    def __init__(self, parent: _Reporter, index: int) -> None:
        self.parent = parent
        self.index = index
        self.clip = parent.clips[index]
        self.clip_total = parent.durations[index]
        self.before = sum(parent.durations[:index])
        self.clip_done = 0.0

    def transcribing(self, seconds: float) -> None:
        self.clip_done = min(max(self.clip_done, seconds), self.clip_total or seconds)
        self._emit("transcribing")

    def stage(self, stage: Stage) -> None:
        if stage in ("transcribed", "failed", "skipped"):
            self.clip_done = self.clip_total
        self._emit(stage)

    def _emit(self, stage: Stage) -> None:
        self.parent.emit(
            Progress(
                stage=stage,
                clip_id=self.clip.id,
                label=self.clip.title,
                clip_index=self.index + 1,
                clip_count=len(self.parent.clips),
                clip_done=self.clip_done,
                clip_total=self.clip_total,
                done=self.before + self.clip_done,
                total=self.parent.total,
            )
        )
