"""`listen session list` and `listen session reopen SESSION_ID`: the sessions, and re-opening a
closed one to correct it."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "session",
        help="list sessions, or reopen a closed one to correct it",
        description=(
            "A closed session's minutes are frozen: `listen export` gives the same document whatever "
            "happens to its gaps and actions later. To correct a closed session, reopen it (refused "
            "while another session is open), change it in the app, and close it again: its minutes "
            "are frozen anew at that close."
        ),
    )
    actions = parser.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="every session: id, status, facilitator, clips heard")
    reopen = actions.add_parser(
        "reopen",
        help="open a closed session again to correct it (its minutes are frozen again at the next close)",
    )
    reopen.add_argument("session_id", metavar="SESSION_ID", help="the session's id, e.g. 2026-11-16")
    return parser


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.session import service

    store = open_context(args).store
    if args.session_command == "list":
        for session in store.sessions():
            frozen = " (minutes frozen)" if store.minutes_record(session.id) else ""
            print(
                f"{session.id}  {session.status}{frozen}  facilitator {session.facilitator or '-'}  "
                f"{len(session.clip_ids)} clip(s)"
            )
        return 0
    session = store.session(args.session_id.strip())  # NotFoundError names the id
    was_open = session.status == "open"
    session = service.reopen_session(store, session.id)
    if was_open:
        print(f"{session.id} is already open")
    else:
        print(f"{session.id} reopened: correct it in the app, then close it to freeze its minutes again")
    return 0
