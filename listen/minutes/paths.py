"""Where minutes and reports are written, and writing them safely."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from listen.domain import Session
from listen.errors import ListenError
from listen.store.atomic import atomic_write_text
from listen.workspace import Workspace, make_private_dir

FORMATS = ("md", "html")


def slugify(text: str, fallback: str = "session") -> str:
    """'Weekly (EU) team!' -> 'weekly-eu-team'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or fallback


def minutes_file_name(session: Session, fmt: str = "md") -> str:
    """'<date>-<slug>.<fmt>': the slug is the prompt pack, plus the session's own suffix when the
    team met more than once that day ('2026-11-23-weekly.md', '2026-11-23-weekly-2.md')."""
    slug = slugify(session.prompt_pack or "session")
    own = session.id[len(session.date) :] if session.id.startswith(session.date) else session.id
    suffix = slugify(own, fallback="")
    name = f"{slugify(session.date, 'undated')}-{slug}" + (f"-{suffix}" if suffix else "")
    return f"{name}.{fmt}"


def default_minutes_path(workspace: Workspace, session: Session, fmt: str = "md") -> Path:
    return workspace.minutes_dir / minutes_file_name(session, fmt)


def default_report_path(workspace: Workspace, today: str, fmt: str = "md") -> Path:
    return workspace.minutes_dir / f"report-{slugify(today, 'undated')}.{fmt}"


def write_document(path: Path, text: str, *, create_folder: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically (owner-only). One-line ListenError when it cannot."""
    if create_folder:
        make_private_dir(path.parent)
    if path.is_dir():
        raise ListenError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        problem = "is not a folder" if path.parent.exists() else "does not exist"
        raise ListenError(f"{path}: {path.parent} {problem}")
    try:
        atomic_write_text(path, text)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ListenError(f"{path}: cannot write the file ({reason})") from None
    return path
