"""A rep's upload: the multipart form read as a stream, the file written to a temp folder inside
the workspace (never held whole in memory), cut off at the byte limit, then submitted through
``submit_file``, the one ``listen submit`` uses. The temp folder is removed whatever happens, so
a refused upload leaves the workspace as it was."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listen.domain import CHANNELS, HELPED, RepView
from listen.ingest.limits import MAX_NAME_CHARS, MAX_NOTE_CHARS
from listen.workspace import Workspace, make_private_dir

UPLOADS_DIR = "uploads"  # under .cache/
FIELDS = ("csrf", "by", "channel", "needed", "hard", "workaround", "helped", "note")
MAX_FIELD_BYTES = 4 * MAX_NOTE_CHARS + 16  # UTF-8: up to 4 bytes a character
CHUNK = 256 * 1024
MAX_NAME_BYTES = 200


class Refused(Exception):
    """An upload refused before it reached ``submit_file``: ``str`` is the one line to show."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    file: Path | None = None  # the temp copy, named as the rep's file was
    name: str = ""  # the rep's file name as sent (for messages)


def uploads_dir(workspace: Workspace) -> Path:
    return workspace.cache_dir / UPLOADS_DIR


def safe_file_name(name: str) -> str:
    """The last part of a browser-sent file name, without separators, controls or leading dots."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        _, dot, suffix = name.rpartition(".")
        keep = suffix if dot and len(suffix) <= 10 else ""
        head = encoded[: MAX_NAME_BYTES - len(keep) - 1].decode("utf-8", "ignore")
        name = f"{head}.{keep}" if keep else head
    return name or "upload"


async def read_upload(request: Any, workspace: Workspace, max_bytes: int, check_csrf: Any) -> Upload:
    """Read the form. ``check_csrf(token)`` must accept the form's token, which must come before
    the file (the page puts it first): no byte of a forged form reaches the disk."""
    length = request.content_length
    if length is not None and length > max_bytes + 64 * 1024:
        raise Refused(f"the upload is too large ({length:,} bytes; the limit is {max_bytes:,})", 413)
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError, KeyError):
        raise Refused("not an upload form (multipart/form-data expected)") from None
    upload = Upload()
    folder: Path | None = None
    try:
        while True:
            part = await reader.next()
            if part is None:
                break
            if not hasattr(part, "read_chunk"):
                raise Refused("a nested multipart form is not taken")
            name = part.name or ""
            if part.filename is None:
                if name not in FIELDS:
                    raise Refused(f"unexpected form field '{name[:40]}'")
                data = await part.read_chunk(MAX_FIELD_BYTES + 1)
                while len(data) <= MAX_FIELD_BYTES and (more := await part.read_chunk(CHUNK)):
                    data += more
                if len(data) > MAX_FIELD_BYTES:
                    raise Refused(f"the field '{name}' is too long")
                upload.fields[name] = data.decode("utf-8", "replace")
                if name == "csrf" and not check_csrf(upload.fields["csrf"]):
                    raise Refused("the form has expired or came from another site: reload the page", 403)
                continue
            if name != "file" or upload.file is not None:
                raise Refused("one file per upload")
            if not check_csrf(upload.fields.get("csrf")):
                raise Refused("the form has expired or came from another site: reload the page", 403)
            upload.name = safe_file_name(part.filename)
            if not part.filename:
                raise Refused("no file was chosen")
            make_private_dir(uploads_dir(workspace))
            folder = uploads_dir(workspace) / secrets.token_hex(8)
            folder.mkdir(mode=0o700)
            upload.file = folder / upload.name
            written = 0
            fd = os.open(upload.file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                while chunk := await part.read_chunk(CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise Refused(f"the upload is too large (over {max_bytes:,} bytes)", 413)
                    out.write(chunk)
    except BaseException:
        discard(upload)
        raise
    if upload.file is None:
        raise Refused("no file was chosen")
    return upload


def discard(upload: Upload) -> None:
    """Remove the upload's temp folder (and the file in it)."""
    if upload.file is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(upload.file.parent)


STALE_UPLOAD_SECONDS = 6 * 3600


def remove_stale_uploads(workspace: Workspace, *, older_than: float = STALE_UPLOAD_SECONDS) -> int:
    """Remove the temp folders of uploads a stopped server left behind (killed mid-upload): those
    untouched for ``older_than`` seconds, so another server's upload in progress is left alone.
    Returns how many were removed."""
    import time

    removed = 0
    try:
        folders = list(uploads_dir(workspace).iterdir())
    except OSError:
        return 0
    for folder in folders:
        try:
            touched = max([folder.stat().st_mtime, *(entry.stat().st_mtime for entry in folder.iterdir())])
        except OSError:
            continue
        if time.time() - touched > older_than:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def rep_view_of(fields: dict[str, str]) -> RepView:
    helped = fields.get("helped") or None
    if helped is not None and helped not in HELPED:
        raise Refused(f"unknown answer '{helped[:20]}' to 'was the customer helped?'")
    return RepView(
        note=fields.get("note", ""),
        needed=fields.get("needed", ""),
        hard=fields.get("hard", ""),
        workaround=fields.get("workaround", ""),
        helped=helped,  # type: ignore[arg-type]
    )


def channel_of(fields: dict[str, str]) -> str | None:
    channel = fields.get("channel") or None
    if channel is not None and channel not in CHANNELS:
        raise Refused(f"unknown channel '{channel[:20]}'")
    return channel


def rep_of(fields: dict[str, str], members: tuple[str, ...]) -> str:
    by = " ".join(fields.get("by", "").split())
    if not by:
        raise Refused("choose your name")
    if len(by) > MAX_NAME_CHARS:
        raise Refused(f"the name is too long (at most {MAX_NAME_CHARS} characters)")
    if members and by not in members:
        raise Refused(f"'{by}' is not in the team (listen.toml members)")
    return by
