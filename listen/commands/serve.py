"""`listen serve`: the host's server for the team: reps' upload page at /, the app at /app/."""

from __future__ import annotations

import argparse
from pathlib import Path

from listen.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "serve",
        help="serve the upload page and the app to browsers on the team's network",
        description=(
            "Run the team's server on this machine (the host, which keeps the workspace on its own "
            "disk). Reps open http://HOST:PORT/ to submit calls with their view; /app/ opens the app "
            "(one listen process per browser tab). Queued clips are transcribed in the background. "
            "Listens on 127.0.0.1 unless --host says otherwise; any other address needs a team "
            "passphrase (--set-passphrase)."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", metavar="ADDR",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0: every network)")  # fmt: skip
    parser.add_argument(
        "--port", type=int, default=8000, metavar="N", help="port (default 8000; 0: any free)"
    )
    parser.add_argument("--set-passphrase", action="store_true",
                        help="set the team passphrase (from the terminal or stdin) and exit")  # fmt: skip
    parser.add_argument("--max-upload-mb", type=int, default=500, metavar="MB",
                        help="largest upload in MB (default 500; max_clip_minutes applies too)")  # fmt: skip
    parser.add_argument("--no-transcribe", action="store_true",
                        help="no background transcription (run `listen transcribe`)")  # fmt: skip
    parser.add_argument("--no-app", action="store_true", help="serve the upload page only, not /app/")
    parser.add_argument("--watch", type=Path, metavar="DIR",
                        help="a drop folder: import every new complete file in DIR (needs --by)")  # fmt: skip
    parser.add_argument("--by", metavar="NAME", help="whose clips the drop folder's files become")
    parser.add_argument("--tls-cert", type=Path, metavar="FILE", help="serve HTTPS with this certificate")
    parser.add_argument("--tls-key", type=Path, metavar="FILE", help="the certificate's private key")
    return parser


def read_passphrase() -> str:
    import getpass
    import sys

    if sys.stdin.isatty():
        first = getpass.getpass("team passphrase: ")
        if getpass.getpass("again: ") != first:
            raise UsageError("the two passphrases differ; nothing was changed")
        return first
    return sys.stdin.readline()


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.serve.access import is_loopback, load_passphrase_hash, save_passphrase

    context = open_context(args, writes=True, may_create=True)
    workspace = context.workspace
    if args.set_passphrase:
        path = save_passphrase(workspace, read_passphrase())
        print(f"passphrase set (its salted hash is in {path}; sign-ins need it from now on)")
        return 0
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: choose from 0 to 65535")
    if args.max_upload_mb < 1:
        raise UsageError("--max-upload-mb must be at least 1")
    if (args.tls_cert is None) != (args.tls_key is None):
        raise UsageError("--tls-cert and --tls-key go together")
    if (args.watch is None) != (args.by is None):
        raise UsageError("--watch DIR and --by NAME go together")
    if args.watch is not None:
        from listen.serve.upload import Refused, rep_of

        members = tuple(member.name for member in context.settings.members)
        try:
            rep_of({"by": args.by}, members)
        except Refused as refused:
            raise UsageError(f"--by: {refused}") from None
        if not args.watch.is_dir():
            raise UsageError(f"--watch {args.watch}: no such folder")
    if not is_loopback(args.host) and load_passphrase_hash(workspace) is None:
        raise UsageError(
            f"--host {args.host} opens the server to the network: set a team passphrase first "
            "(listen serve --set-passphrase)"
        )
    from listen.serve.web import ServeOptions
    from listen.serve.web import run as serve

    return serve(
        ServeOptions(
            workspace, host=args.host, port=args.port, max_upload_bytes=args.max_upload_mb * 1_000_000,
            transcribe=not args.no_transcribe, app=not args.no_app,
            tls_cert=args.tls_cert, tls_key=args.tls_key,
            watch=args.watch.absolute() if args.watch else None, watch_by=args.by or "",
        )
    )  # fmt: skip
