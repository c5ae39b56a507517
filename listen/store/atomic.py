"""Atomic, durable, owner-only file writes: temp file, flush, fsync, rename, fsync the folder.

A crash at any instant leaves either the old file or the new one, never a mix or a truncation.
"""

from __future__ import annotations

import contextlib
import json
import os
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
    target: Path, write: Callable[[BinaryIO], object], *, mode: int = PRIVATE_FILE_MODE
) -> None:
    """Let ``write`` stream into a temp file beside ``target`` (created with ``mode``), then
    fsync, rename over ``target`` and fsync the folder: the one atomic-write recipe for writers
    that want a file object (a copy, ``torch.save``)."""
    temp = temp_path_for(target)
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
