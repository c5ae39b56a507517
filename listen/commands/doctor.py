"""`listen doctor`: audio devices, engines, models and workspace health, one line each."""

from __future__ import annotations

import argparse

MARKS = {"ok": "ok  ", "info": "    ", "warn": "warn", "fail": "FAIL"}


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "doctor",
        help="check audio devices, engines, models and the workspace",
        description="Check audio devices, transcription engines and models, and the workspace's health. "
        "Exit 1 when any check fails.",
    )
    parser.add_argument(
        "--reindex", action="store_true", help="first rebuild the search index from the database"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from listen.commands.common import open_context
    from listen.display import one_line
    from listen.doctor import run_checks

    context = open_context(args)
    if getattr(args, "reindex", False) and context.settings.demo:
        print("search index: the read-only demo is searched with an index in memory; nothing to rebuild")
    elif getattr(args, "reindex", False):
        from listen.search.live import reindex

        print(one_line(reindex(context.store)))
    checks = run_checks(context.workspace, context.store, context.settings)
    area = None
    for check in checks:
        if check.area != area:
            area = check.area
            print(one_line(f"{area}:"))
        print(one_line(f"  {MARKS[check.level]} {check.text}"))
    return 1 if any(check.level == "fail" for check in checks) else 0
