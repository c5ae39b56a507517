"""`listen record --by NAME [--seconds N] [--device D] [--title T] [--channel C]`.

Records from the microphone into ``clips/.recording-<timestamp>.wav`` inside the workspace, written
as it arrives (a crash keeps it), until ``--seconds`` of audio, Ctrl-C, SIGTERM or the recording
limit from listen.toml. Then the file is submitted as a clip like any import and the temporary
file removed. If the device fails mid-way, what was recorded is still submitted and the failure
is reported (exit 1). A recording left behind by a crash is pointed out on the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from listen.domain import CHANNELS
from listen.stopsignals import StopSignals, main_thread_gets_signals


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "record",
        help="record a call from the microphone and submit it as a clip",
        description=(
            "Record from the microphone (or another input device) and submit the recording as a "
            "clip. Audio is written to the workspace as it arrives, so a crash keeps it. Stop "
            "with Ctrl-C, or give --seconds. Devices: see `listen doctor`."
        ),
    )
    parser.add_argument("--by", required=True, metavar="NAME", help="who records (the rep)")
    parser.add_argument(
        "--seconds",
        type=_positive_seconds,
        metavar="N",
        help="stop after N seconds of audio (default: Ctrl-C, or the limit in listen.toml)",
    )
    parser.add_argument(
        "--device", metavar="D", help="input device: index or part of its name (default: system)"
    )
    parser.add_argument("--title", help="a short title (default: 'Recording <date time>')")
    parser.add_argument("--channel", choices=CHANNELS, default="phone", help="default: phone")
    return parser


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: '{text}'") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: '{text}'")
    return value


def run(args: argparse.Namespace) -> int:
    from listen.audio.devices import quiet_native_stderr
    from listen.audio.record import Recorder
    from listen.audio.recordings import temp_recording_path
    from listen.commands.common import announce_created, open_context, report_failure
    from listen.display import one_line
    from listen.errors import ListenError
    from listen.ingest.limits import check_submission
    from listen.ingest.submit import submit_file

    check_submission(title=args.title, submitted_by=args.by)
    context = open_context(args, writes=True, may_create=True)
    context.store.check()
    created = not context.workspace.exists()
    clips_dir = context.workspace.ensure().clips_dir
    if created:
        announce_created(context.workspace)
    _point_out_leftovers(clips_dir)

    started = dt.datetime.now()
    path = temp_recording_path(clips_dir, started)
    limit = context.settings.audio.max_record_minutes * 60.0
    seconds = min(args.seconds, limit) if args.seconds else limit
    device = args.device if args.device is not None else (context.settings.audio.input_device or None)
    recorder = Recorder(path, device=device, max_seconds=seconds)

    # Ctrl-C and SIGTERM only ask to stop (listen/stopsignals.py): a KeyboardInterrupt raised
    # inside the wait below could leave the recorder's Event lock held and hang the stop.
    with quiet_native_stderr(), StopSignals() as stop:
        with main_thread_gets_signals():  # the audio threads start here
            recorder.start()  # ListenError (no device, PortAudio missing...) leaves nothing behind
        assert recorder.device is not None
        how = f"for {seconds:g} s" if args.seconds else "until Ctrl-C"
        print(one_line(f"recording from {recorder.device.label} {how} into {path}"), file=sys.stderr)
        try:
            _show_progress(recorder, stop)
        finally:
            recorder.stop()
            _end_progress_line()

    failure = recorder.error
    if recorder.elapsed <= 0.0:
        path.unlink(missing_ok=True)
        raise failure or ListenError("nothing was recorded (the device sent no audio)")
    if failure is not None:
        report_failure("listen record", failure)
    title = args.title or f"Recording {started:%Y-%m-%d %H:%M}"
    try:
        result = submit_file(
            context.store,
            path,
            submitted_by=args.by,
            settings=context.settings,
            channel=args.channel,
            title=title,
        )
    except ListenError as error:
        report_failure(path, f"{error} (the recording is kept there)")
        return 1
    path.unlink(missing_ok=True)
    clip = result.clip
    print(one_line(f"{clip.id}: recorded {clip.duration:.1f} s, queued for transcription ({clip.title})"))
    return 1 if failure is not None else 0


def _show_progress(recorder: object, stop: StopSignals) -> None:
    """Wait for the recording to end or a stop signal; on a terminal, show elapsed time and a level
    meter."""
    from listen.audio.record import Recorder

    assert isinstance(recorder, Recorder)
    live = sys.stderr.isatty()
    while not stop.requested and not recorder.wait(0.1 if live else 0.2):
        if live:
            level = recorder.level
            bar = "#" * max(0, min(30, int((level.dbfs + 60) / 2)))
            print(f"\r  {recorder.elapsed:7.1f} s  [{bar:<30}]", end="", file=sys.stderr)


def _end_progress_line() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def _point_out_leftovers(clips_dir: Path) -> None:
    """Recordings a crash left behind: their headers are made whole; say where they are."""
    from listen.audio.recordings import leftover_recordings
    from listen.display import one_line

    for leftover, seconds in leftover_recordings(clips_dir):
        print(
            one_line(
                f"{leftover}: an unfinished recording ({seconds:.1f} s) from an earlier run; "
                f"submit it with `listen submit {leftover} --by NAME`"
            ),
            file=sys.stderr,
        )
