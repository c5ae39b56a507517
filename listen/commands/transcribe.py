"""`listen transcribe [CLIP_ID...]`: transcribe queued clips on this machine, with progress."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from listen.display import one_line
from listen.textfit import cut

if TYPE_CHECKING:
    from listen.transcribe.runner import ClipOutcome, Progress, RunSummary

ENGINE_CHOICES = ("faster-whisper", "openai-whisper")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "transcribe",
        help="transcribe queued clips with Whisper, offline",
        description=(
            "Transcribe clips on this machine (no network). With no CLIP_ID, every queued clip; "
            "naming a failed clip transcribes it again, and a transcribed one with --force (a "
            "transcript with corrections typed by hand is never replaced). Stereo call recordings get "
            "one speaker per channel (agent/customer, see agent_channel in listen.toml). The model "
            "loads once for the whole batch. Ctrl-C stops: the current clip goes back to the queue."
        ),
    )
    parser.add_argument("clip_ids", nargs="*", metavar="CLIP_ID", help="clip ids or unique prefixes")
    parser.add_argument(
        "--engine", choices=ENGINE_CHOICES, help="default: transcription.engine in listen.toml"
    )
    parser.add_argument(
        "--model",
        metavar="NAME|PATH",
        help=(
            "'bundled' (Whisper tiny.en, shipped), a model folder, or a model name to download "
            "when online (default: transcription.model in listen.toml)"
        ),
    )
    parser.add_argument("--threads", type=_positive_int, metavar="N", help="CPU threads (default: all cores)")
    parser.add_argument(
        "--force",
        action="store_true",
        help=(
            "transcribe named clips again even when transcribed (the new transcript replaces the "
            "old; a transcript a person corrected is first kept as a copy beside it)"
        ),
    )
    return parser


def _refuse_corrected(store: Any, clip_ids: list[str]) -> tuple[list[str], int]:
    """Named clips whose transcript a person corrected are refused without --force (one line each,
    saying the corrections would be lost); returns the ids left and how many were refused."""
    from listen.commands.common import report_failure
    from listen.errors import ListenError
    from listen.transcribe.corrections import corrections_of

    left, refused = [], 0
    for clip_id in clip_ids:
        try:
            clip = store.clip(clip_id)
            corrected = corrections_of(store, clip.id) is not None
        except ListenError:  # no such clip, an unreadable transcript: the runner reports it
            left.append(clip_id)
            continue
        if corrected:
            refused += 1
            report_failure(
                clip.id,
                "its transcript has corrections made by hand that transcribing again would lose; "
                "nothing done (--force transcribes it again and keeps the corrected transcript "
                "as a copy beside the new one)",
            )
        else:
            left.append(clip_id)
    return left, refused


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from listen.commands.clips import report_invalid
    from listen.commands.common import open_context, report_failure
    from listen.stopsignals import StopSignals
    from listen.transcribe.runner import transcribe_clips

    context = open_context(args, writes=True)
    context.store.check()
    # Lines hold stored text (ids, reasons, notices): plain text through the display sanitiser,
    # never Rich markup or :emoji: codes.
    out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
    err = Console(stderr=True, highlight=False)
    display = _Display(err) if err.is_terminal else _PlainDisplay()
    # Ctrl-C/SIGTERM are a cancel request the runner checks between segments and before it saves
    # (a KeyboardInterrupt could be lost in native code or land too late, after the save).
    clip_ids, refused = list(args.clip_ids), 0
    if clip_ids and not getattr(args, "force", False):
        clip_ids, refused = _refuse_corrected(context.store, clip_ids)
        if not clip_ids:
            return 1
    with display, StopSignals() as stop:
        summary = transcribe_clips(
            context.store,
            context.settings,
            clip_ids or None,
            engine_name=args.engine,
            model=args.model,
            threads=args.threads,
            on_progress=display.update,
            cancel=stop,
            force=args.force,
        )
    for clip_id in summary.recovered:
        out.print(one_line(f"{clip_id}: was left unfinished by an earlier run; queued again"))
    for outcome in summary.outcomes:
        if outcome.status != "failed":
            out.print(one_line(_outcome_line(outcome)))
    out.print(one_line(_summary_line(summary)))
    for clip_id, reason in summary.failed.items():
        report_failure(clip_id, reason)
    sys.stdout.flush()
    unreadable = report_invalid(summary.invalid)  # one line each: file, clip id, reason
    if stop.requested:
        raise KeyboardInterrupt  # "listen: interrupted", exit 130 (listen/cli.py)
    return 1 if summary.failed or unreadable or refused else 0


def _outcome_line(outcome: ClipOutcome) -> str:
    from listen.timefmt import clock

    if outcome.status == "transcribed":
        what = f"{outcome.words} words" if outcome.segments else "no speech"
        notes = f" ({'; '.join(outcome.notices)})" if outcome.notices else ""
        return f"{outcome.clip_id}: transcribed {clock(outcome.audio_seconds)}, {what}{notes}"
    return f"{outcome.clip_id}: {outcome.status}" + (f" ({outcome.reason})" if outcome.reason else "")


def _summary_line(summary: RunSummary) -> str:
    done, failed = len(summary.done), len(summary.failed)
    if not summary.outcomes and not summary.cancelled:
        return "Nothing to transcribe: no clip is queued."
    parts = [f"{done} transcribed"]
    if failed:
        parts.append(f"{failed} failed")
    if summary.skipped:
        parts.append(f"{len(summary.skipped)} skipped")
    line = ", ".join(parts)
    if summary.audio_seconds > 0 and summary.elapsed_seconds > 0:
        ratio = summary.elapsed_seconds / summary.audio_seconds
        line += (
            f": {summary.audio_seconds:.1f} s of audio in {summary.elapsed_seconds:.1f} s "
            f"({ratio:.3f} x real time)"
        )
    if summary.engine:
        line += f" with {summary.engine} {summary.model}"
    if summary.cancelled:
        line += "; stopped before the end"
    return line + "."


class _PlainDisplay:
    """No terminal (a pipe, a log file): no live bars, nothing to clean up."""

    def __enter__(self) -> _PlainDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, progress: Progress) -> None:
        return None


class _Display:
    """Two rich progress bars on stderr: the current clip and the whole batch (audio seconds)."""

    def __init__(self, console: Any) -> None:
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
        from rich.progress import Progress as Bars

        self.bars = Bars(
            TextColumn("{task.description}", markup=False, table_column=None),  # a clip's title
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.overall = self.bars.add_task("all clips", total=None)
        self.clip = self.bars.add_task("loading model", total=None)

    def __enter__(self) -> _Display:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def update(self, progress: Progress) -> None:
        if progress.stage == "loading":
            self.bars.update(self.overall, total=progress.total or None, completed=0)
            return
        name = f"{cut(one_line(progress.label), 32)} ({progress.clip_index}/{progress.clip_count})"
        self.bars.update(
            self.clip, description=name, total=progress.clip_total or None, completed=progress.clip_done
        )
        self.bars.update(
            self.overall,
            description=f"all clips ({progress.clip_count})",
            total=progress.total or None,
            completed=progress.done,
        )
