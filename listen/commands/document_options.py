"""Options shared by the commands that write a document for the owner (`export`, `report`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from listen.settings import Settings
    from listen.workspace import Workspace


def add_document_options(parser: argparse.ArgumentParser, *, anonymise_help: str) -> None:
    parser.add_argument(
        "--format",
        choices=("md", "html"),
        help="md (Markdown) or html (one self-contained page); default: from -o's suffix, else md",
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH",
        help="write here instead ('-' prints to standard output; a FIFO or terminal is written "
        "through; never inside the workspace's db/ or clips/)",
    )  # fmt: skip
    parser.add_argument(
        "--force", action="store_true",
        help="replace an existing -o file that an earlier export did not write",
    )  # fmt: skip
    privacy = parser.add_mutually_exclusive_group()
    privacy.add_argument(
        "--no-redact", dest="redact", action="store_false", default=None,
        help="keep e-mail addresses, phone, card and account numbers (redaction is on by default)",
    )  # fmt: skip
    privacy.add_argument(
        "--redact", dest="redact", action="store_true", default=None,
        help="redact even when listen.toml says redact = false",
    )  # fmt: skip
    parser.add_argument("--anonymise", "--anonymize", action="store_true", help=anonymise_help)


def output_format(fmt: str | None, output: str | None) -> str:
    """The --format given, else the output file's suffix, else Markdown."""
    if fmt:
        return fmt
    if output and output != "-" and Path(output).suffix.lower() in (".html", ".htm"):
        return "html"
    return "md"


def to_stdout(output: str | None) -> bool:
    """'-o -', and '-o /dev/stdout' (or /dev/fd/1): print the document, as the shell's '>' expects."""
    import os

    return output == "-" or (
        output is not None and os.path.abspath(output) in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")
    )


def refuse_writing_demo(args: argparse.Namespace, workspace: Workspace, settings: Settings) -> None:
    """Without -o the document goes into the workspace's minutes/: not into the bundled demo."""
    if args.output is None and settings.demo:
        from listen.commands.common import refuse_demo

        refuse_demo(workspace, settings, also="or give -o PATH (or -o -) to write the document elsewhere")


def redaction(args: argparse.Namespace, settings: Settings) -> tuple[bool, bool]:
    """(redact, anonymise): the command line wins over listen.toml."""
    redact = settings.redact if args.redact is None else args.redact
    return redact, args.anonymise or settings.anonymise
