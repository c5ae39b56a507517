"""`listen export`: not available yet."""

from __future__ import annotations

import argparse

from listen.commands.common import not_yet


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    return subparsers.add_parser("export", help="(not available yet)")


def run(args: argparse.Namespace) -> int:
    return not_yet("listen export", "minutes")
