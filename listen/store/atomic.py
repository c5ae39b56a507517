"""Atomic, durable, owner-only file writes: temp file, flush, fsync, rename, fsync the folder.

A crash at any instant leaves either the old file or the new one, never a mix or a truncation.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

PRIVATE_FILE_MODE = 0o600


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path_for(target: Path) -> Path:
    """A unique hidden sibling of ``target`` (same folder, so the final rename is atomic)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


TEMP_NAME = re.compile(r"^\..+\.[0-9]+\.[0-9a-f]{8}\.tmp$")  # what temp_path_for makes


def is_temp_name(name: str) -> bool:
    return TEMP_NAME.match(name) is not None


def remove_stale_temps(folder: Path, older_than: float) -> list[tuple[Path, str]]:
    """Remove the temp files of ``temp_path_for`` in ``folder`` last changed before ``older_than``
    (a time.time()): what a writer killed mid-write (SIGKILL, power cut) left behind. Call only
    while holding the lock every writer of ``folder`` takes, so no temp of a live write is there.
    Returns the leftovers that could not be removed, each with the reason."""
    failed: list[tuple[Path, str]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return failed  # no folder, no leftovers (an unreadable one fails loudly elsewhere)
    for entry in entries:
        if not (entry.name.startswith(".") and is_temp_name(entry.name)):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_mtime >= older_than:
                continue  # written since the lock was taken: not ours to judge
            os.unlink(entry.path)
        except FileNotFoundError:
            continue
        except OSError as error:
            failed.append((Path(entry.path), error.strerror or str(error)))
    return failed


def write_private_temp(target: Path, data: bytes) -> Path:
    """Write ``data`` to a fresh owner-only temp file next to ``target``, fsynced. Returns its path."""
    temp = temp_path_for(target)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


def atomic_write_bytes(target: Path, data: bytes) -> None:
    temp = write_private_temp(target, data)
    try:
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(target.parent)


def atomic_write_text(target: Path, text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_json(target: Path, value: Any, *, indent: int | None = None) -> None:
    separators = (",", ":") if indent is None else None
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)
    atomic_write_text(target, text)


def atomic_write_with(
    target: Path,
    write: Callable[[BinaryIO], object],
    *,
    mode: int = PRIVATE_FILE_MODE,
    temp: Path | None = None,
) -> None:
    """Let ``write`` stream into a temp file beside ``target`` (created with ``mode``; named
    ``temp`` if given), then fsync, rename over ``target`` and fsync the folder: the one
    atomic-write recipe for writers that want a file object (a copy, ``torch.save``, ``-o``)."""
    temp = temp or temp_path_for(target)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(target.parent)


def atomic_copy(source: Path, target: Path, *, chunk_size: int = 1 << 20) -> None:
    """Copy ``source`` byte for byte to ``target`` atomically and owner-only, streaming."""

    def copy(out: BinaryIO) -> None:
        with source.open("rb") as src:
            while chunk := src.read(chunk_size):
                out.write(chunk)

    atomic_write_with(target, copy)


def bounded_temp_path_for(target: Path, name_max: int = 255) -> Path:
    """Like ``temp_path_for``, but never longer than the folder allows (NAME_MAX bytes): a target
    whose own name is near the limit gets a shortened temp name instead of ENAMETOOLONG."""
    tail = f".{os.getpid()}.{os.urandom(4).hex()}.tmp"
    name = target.name.encode("utf-8", "surrogateescape")
    room = name_max - len(tail.encode()) - 1
    if len(name) > room:
        name = name[:room].decode("utf-8", "ignore").encode("utf-8")  # cut on a character boundary
    return target.with_name("." + name.decode("utf-8", "surrogateescape") + tail)


def atomic_replace_text(
    target: Path, text: str, *, mode: int = PRIVATE_FILE_MODE, owner: tuple[int, int] | None = None
) -> None:
    """Write ``text`` to ``target`` through a temp file and one rename, with the given permission
    bits (and owner, when allowed): for replacing a user's file (``-o PATH``) as it was."""

    def write(handle: BinaryIO) -> None:
        handle.write(text.encode("utf-8"))
        if owner is not None:
            with contextlib.suppress(OSError):  # only root may give a file away
                os.fchown(handle.fileno(), *owner)
        os.fchmod(handle.fileno(), mode)

    atomic_write_with(target, write, temp=bounded_temp_path_for(target))
