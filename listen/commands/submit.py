"""`listen submit FILE... --by NAME`: reps hand in calls, e-mails and chat threads."""

from __future__ import annotations

import argparse
from pathlib import Path

from listen.domain import CHANNELS, HELPED, RepView
from listen.errors import InputError, ListenError, UsageError


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "submit",
        help="submit call recordings, e-mails (.eml) or chat threads (.txt, .md) as clips",
        description=(
            "Submit files as clips. Audio in any common format (WAV incl. 8 kHz telephony, FLAC, MP3, "
            "M4A/AAC, OGG/Opus, WebM, MP4/MOV audio) is queued for transcription; text files become "
            "text clips at once. Each file is handled on its own: one bad file does not stop the "
            "others. Identical content submitted twice is one clip. Use '--' before file names that "
            "start with a dash."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    parser.add_argument("--by", required=True, metavar="NAME", help="who submits (the rep)")
    parser.add_argument(
        "--channel", choices=CHANNELS, help="default: phone for audio, email for .eml, chat for text"
    )
    parser.add_argument(
        "--title", help="a short title, for one file (default: the e-mail subject or file name)"
    )
    parser.add_argument("--note", default="", help="your own view: anything the team should know")
    parser.add_argument("--needed", default="", help="what the customer needed")
    parser.add_argument("--hard", default="", help="what made it hard (the system, not the person)")
    parser.add_argument("--workaround", default="", help="what you did to get round it")
    parser.add_argument("--helped", choices=HELPED, help="was the customer helped?")
    return parser


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import announce_created, open_context, report_failure
    from listen.display import one_line
    from listen.ingest.limits import check_submission
    from listen.ingest.submit import outcome_line, rep_view_fields, submit_file

    if args.title and len(args.files) > 1:
        raise UsageError(
            f"--title names one clip, and {len(args.files)} files were given: submit them one at a "
            "time to title each (without --title each is named after its file)"
        )
    rep_view = RepView(
        note=args.note, needed=args.needed, hard=args.hard, workaround=args.workaround, helped=args.helped
    )
    check_submission(title=args.title, submitted_by=args.by, notes=rep_view_fields(rep_view))
    context = open_context(args, writes=True, may_create=True)
    failures = 0
    for path in args.files:
        try:
            result = submit_file(
                context.store,
                path,
                submitted_by=args.by,
                settings=context.settings,
                channel=args.channel,
                title=args.title,
                rep_view=rep_view,
            )
        except InputError as error:
            failures += 1
            report_failure(error.path, error.reason)
            continue
        except ListenError as error:
            failures += 1
            report_failure(path, error)
            continue
        if result.created_workspace:
            announce_created(context.workspace)
        print(one_line(outcome_line(path, result)))
    return 1 if failures else 0
