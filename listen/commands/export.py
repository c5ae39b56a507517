"""`listen export [SESSION_ID|latest] [--format md|html] [-o PATH] [--no-redact] [--anonymise]
[--audio] [--reel]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from listen.commands.document_options import (
    add_document_options,
    output_format,
    redaction,
    refuse_writing_demo,
    to_stdout,
)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="write the minutes of a session (Markdown or HTML)",
        description=(
            "Write the minutes of a session: attendees, follow-up of earlier actions, each clip "
            "heard with the rep's view, quotes and gaps, gaps by category with how often they "
            "recur, fix ideas by votes, actions and the story check. Personal data (e-mail "
            "addresses, phone, card and account numbers, street addresses) is redacted unless "
            "--no-redact is given. Prints the path written (default: "
            "minutes/<date>-<slug>.md in the workspace)."
        ),
    )
    parser.add_argument(
        "session",
        nargs="?",
        default="latest",
        metavar="SESSION_ID",
        help="the session's id (its date, e.g. 2026-11-23), or 'latest' (the default)",
    )
    add_document_options(parser, anonymise_help="show reps and attendees by their role instead of their name")
    parser.add_argument(
        "--audio", action="store_true", default=None,
        help="add each quote's sound, personal data bleeped out (Markdown: files in <name>.audio/ beside "
        "it; HTML: inside the page); default: listen.toml's minutes_audio",
    )  # fmt: skip
    parser.add_argument(
        "--reel", action="store_true", default=None,
        help="with the audio, one reel of every quote in order (implies --audio); default: "
        "minutes_audio_reel",
    )  # fmt: skip
    parser.add_argument(
        "--verify-audio", action="store_true",
        help="transcribe each bleeped quote again with the speech model before writing it, and leave out "
        "any in which personal data can still be heard (implies --audio; slower)",
    )  # fmt: skip
    return parser


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.display import one_line
    from listen.minutes import MinutesOptions, build_minutes, export_minutes, render_minutes

    context = open_context(args)
    settings = context.settings
    refuse_writing_demo(args, context.workspace, settings)
    redact, anonymise = redaction(args, settings)
    options = MinutesOptions(redact=redact, anonymise=anonymise)
    fmt = output_format(args.format, args.output)
    reel = bool(args.reel or settings.minutes_audio_reel)
    asked = bool(args.audio or args.reel or args.verify_audio)
    if asked or settings.minutes_audio or settings.minutes_audio_reel:
        if asked or not (to_stdout(args.output) and fmt == "md"):
            return _run_with_audio(args, context, options, fmt, reel)
        print("listen: no audio quotes in Markdown on standard output (no folder beside it)", file=sys.stderr)
    if to_stdout(args.output):
        minutes = build_minutes(context.store, settings, args.session, options)
        sys.stdout.write(render_minutes(minutes, fmt))
        return 0
    path = export_minutes(context.store, settings, context.workspace, **_where_and_how(args, fmt, options))
    print(one_line(path))
    return 0


def _where_and_how(args: argparse.Namespace, fmt: str, options: Any) -> dict[str, Any]:
    """What both exports (with and without audio) take from the command line."""
    output = Path(args.output) if args.output else None
    return {
        "session_ref": args.session,
        "fmt": fmt,
        "output": output,
        "options": options,
        "force": args.force,
    }


def _run_with_audio(args: argparse.Namespace, context: Any, options: Any, fmt: str, reel: bool) -> int:
    """`listen export --audio`: the document, then what audio went with it (and what did not)."""
    from listen.display import one_line
    from listen.errors import UsageError
    from listen.minutes import build_minutes
    from listen.minutes.audio_export import AudioExport, export_minutes_with_audio, render_html_with_audio
    from listen.minutes.audio_quotes import build_audio

    settings = context.settings
    check = _model_check(settings) if args.verify_audio else None
    if to_stdout(args.output):
        if fmt != "html":
            raise UsageError(
                "audio quotes need a file beside the Markdown: give -o FILE.md, or --format html"
            )
        minutes = build_minutes(context.store, settings, args.session, options)
        audio = build_audio(
            context.store,
            settings,
            minutes,
            options,
            reel=reel,
            mode=settings.minutes_audio_bleep,
            check=check,
        )
        page, audio = render_html_with_audio(minutes, audio)
        sys.stdout.write(page)
        for line in AudioExport(Path("-"), None, audio).summary():
            print(one_line(line), file=sys.stderr)
        return 0
    where_and_how = _where_and_how(args, fmt, options)
    done = export_minutes_with_audio(
        context.store, settings, context.workspace, **where_and_how, reel=reel, check=check
    )
    print(one_line(done.path))
    for line in done.summary():
        print(one_line(line))
    return 0


def _model_check(settings: Any) -> Any:
    """The speech model of listen.toml, loaded, as the audio quotes' check (``--verify-audio``)."""
    from listen.minutes.audio_verify import model_check
    from listen.transcribe.engines import make_engine
    from listen.transcribe.runner import engine_options

    engine = make_engine(settings.transcription.engine, engine_options(settings))
    engine.load()
    return model_check(engine, settings.region)
