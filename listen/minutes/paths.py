"""Where minutes and reports are written, and writing them safely."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from listen.domain import Session
from listen.errors import ListenError
from listen.store.atomic import PRIVATE_FILE_MODE, atomic_replace_text
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


EXPORT_MARK = "<!-- written by listen"
# the last line of every document written to a file: how the next export knows the file is one of
# its own and may be replaced (any other file needs --force)
EXPORT_MARK_LINE = EXPORT_MARK + "; the next export to this file replaces it -->\n"
MARK_SEARCH_BYTES = 512

# character devices written through rather than replaced: /dev/null, /dev/tty, the consoles and
# virtual terminals (major 4), pseudo-terminals (majors 136-143)
_NULL, _TTY = (1, 3), (5, 0)


def write_document(
    path: Path,
    text: str,
    *,
    create_folder: bool = False,
    workspace: Workspace | None = None,
    force: bool = False,
) -> Path:
    """Write a document for the owner to ``path``; one-line ListenError when it cannot or must not.

    - a path inside the workspace's ``db/`` or ``clips/`` (or its listen.toml), symlinks
      resolved, is refused: an export must never overwrite the data it came from;
    - a FIFO, a terminal, ``/dev/null`` and ``/dev/stdout`` (``/dev/fd/N``) are written through;
      other special files (devices, sockets, folders) are refused;
    - a regular file is replaced atomically (a temp file beside it, then one rename) and keeps
      its permission bits; a symlink keeps pointing at it. A file with other hard links: this
      name gets the new document, the other links keep the old one (the rename makes a new file);
    - an existing file that does not end with the export mark (so was not written by an
      earlier export) is replaced only with ``force``; a new file is created owner-only.
    """
    check_document_target(path, workspace)
    if create_folder:
        try:
            make_private_dir(path.parent)
        except ListenError as error:  # e.g. a workspace on a read-only mount: it can still export
            raise ListenError(f"{error}; give -o PATH (or -o -) to write the document elsewhere") from None
    text = text if text.endswith("\n") else text + "\n"
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):  # the folder's check below names the problem
        info = None
    except OSError as error:
        raise ListenError(f"{path}: cannot write the file ({error.strerror or error})") from None
    if (info is not None and not stat.S_ISREG(info.st_mode)) or _is_descriptor_path(path):
        _write_through(path, info, text)  # a reader, not a file to recognise later: no mark
        return path
    target = Path(os.path.realpath(path))  # a symlink: replace what it points to, keep the link
    if not target.parent.is_dir():
        problem = "is not a folder" if target.parent.exists() else "does not exist"
        raise ListenError(f"{path}: {target.parent} {problem}")
    mode, owner = PRIVATE_FILE_MODE, None
    if info is not None:
        if not force and not is_export(target):
            raise ListenError(f"{path}: exists and was not written by listen; give --force to replace it")
        mode, owner = stat.S_IMODE(info.st_mode), (info.st_uid, info.st_gid)
    try:
        atomic_replace_text(target, text + EXPORT_MARK_LINE, mode=mode, owner=owner)
    except OSError as error:
        raise ListenError(f"{path}: cannot write the file ({_write_reason(error)})") from None
    return path


def check_document_target(path: Path, workspace: Workspace | None = None) -> None:
    """Refuse, before anything is built or written, a target an export must never write to: the
    standard input, or the workspace's own data (``db/``, ``clips/``, listen.toml)."""
    if os.path.abspath(path) in ("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"):
        raise ListenError(f"{path}: is the standard input; give a file name or '-'")
    if workspace is not None:
        _refuse_workspace_data(path, workspace)


def _refuse_workspace_data(path: Path, workspace: Workspace) -> None:
    target = Path(os.path.realpath(path))
    root = Path(os.path.realpath(workspace.root))
    for protected in (workspace.db_dir, workspace.clips_dir):
        folder = root / protected.name
        if target == folder or folder in target.parents:
            raise ListenError(
                f"{path}: is inside the workspace's {protected.name}/ folder; write the "
                "document somewhere else"
            )
    if target in (root / workspace.settings_path.name, root / workspace.lock_path.name):
        raise ListenError(f"{path}: is the workspace's own {target.name}; write the document somewhere else")


def _is_descriptor_path(path: Path) -> bool:
    """/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the caller's own open file, whatever
    it is (a file the shell redirected to is written in place, as the shell's '>' would)."""
    text = os.path.abspath(path)
    return text in ("/dev/stdout", "/dev/stderr") or text.startswith(("/dev/fd/", "/proc/self/fd/"))


def _write_through(path: Path, info: os.stat_result | None, data: str) -> None:
    """Write into a FIFO, a terminal or an open descriptor instead of replacing it."""
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise ListenError(f"{path}: is a folder; give a file name")
        if stat.S_ISCHR(info.st_mode):
            device = (os.major(info.st_rdev), os.minor(info.st_rdev))
            major = device[0]
            if device not in (_NULL, _TTY) and major != 4 and not 136 <= major <= 143:
                raise ListenError(f"{path}: is a device, not a file; give a file name")
        elif not stat.S_ISFIFO(info.st_mode) and not stat.S_ISREG(info.st_mode):
            kind = "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file"
            raise ListenError(f"{path}: is {kind}; give a file name")
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(data)
    except OSError as error:
        raise ListenError(f"{path}: cannot write ({_write_reason(error)})") from None


def is_export(path: Path) -> bool:
    """Whether the file at ``path`` ends with the export mark (read: its last few hundred bytes)."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - MARK_SEARCH_BYTES))
            tail = handle.read(MARK_SEARCH_BYTES)
    except OSError:
        return False
    return EXPORT_MARK.encode() in tail


def _write_reason(error: OSError) -> str:
    from listen.ingest.limits import write_failure_reason

    return write_failure_reason(error)
