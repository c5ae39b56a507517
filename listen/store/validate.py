"""Every document read from the workspace is checked here before anyone uses it.

The shape of a domain document (its fields and their types) is checked by ``from_doc`` in
``listen/domain.py``; this module adds what only the store knows (a document's id is its key, a
clip sits in the shard of its id, the workspace-level ``meta`` documents) and turns a bad document
into one line naming the file, the document and what is wrong. ``audit`` walks the whole
workspace for ``listen doctor`` and lists every invalid document instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from listen.domain import (
    Action,
    Clip,
    Document,
    DocumentError,
    FixIdea,
    Gap,
    MinutesRecord,
    Session,
    Transcript,
    checker,
    describe,
)
from listen.errors import StoreError
from listen.store.database import read_data
from listen.store.layout import CLIPS_TABLE, MINUTES_TABLE, Layout, shard_of

T = TypeVar("T", bound=Document)

TABLES: dict[type[Document], str] = {
    Clip: CLIPS_TABLE,
    Gap: "gaps",
    FixIdea: "ideas",
    Action: "actions",
    Session: "sessions",
    MinutesRecord: MINUTES_TABLE,  # closed sessions' frozen minutes, one file each, read by export
}
KINDS: dict[str, type[Document]] = {table: kind for kind, table in TABLES.items()}
NOUNS: dict[str, str] = {
    "clips": "clip",
    "gaps": "gap",
    "ideas": "idea",
    "actions": "action",
    "sessions": "session",
    MINUTES_TABLE: "minutes record",
}

META_TABLE = "meta"
SCHEMA_DOC = "schema"
# The workspace-level documents of the meta table, by name: each field that may be there, checked.
META_FIELDS: dict[str, dict[str, Any]] = {
    SCHEMA_DOC: {"version": checker(int)},
    "next_session_picks": {"clip_ids": checker(list[str])},
}
META_ALL_FIELDS: dict[str, Any] = {"counters": checker(dict[str, int])}  # "G" -> last number used


class InvalidDocumentError(StoreError):
    """A document of the wrong shape. The message names the file, the document and the reason."""

    def __init__(self, path: Path, noun: str, doc_id: str, reason: str) -> None:
        self.path = path
        self.doc_id = doc_id
        self.reason = reason
        super().__init__(f"{path}: {noun} {shown_id(doc_id)} is invalid ({reason})")


def shown_id(doc_id: str) -> str:
    """A document id as printed: as is when it is short, plain text; escaped and cut otherwise."""
    if doc_id.isprintable() and 0 < len(doc_id) <= 64 and " " not in doc_id:
        return doc_id
    text = repr(doc_id)
    return text if len(text) <= 64 else text[:63] + "…"


def to_object(kind: type[T], path: Path, doc_id: str, doc: Any, *, check_shard: bool = True) -> T:
    """The domain object of the document stored in ``path`` under ``doc_id``, or InvalidDocumentError."""
    table = TABLES[kind]
    try:
        obj = kind.from_doc(doc)
    except DocumentError as error:
        raise InvalidDocumentError(path, NOUNS[table], doc_id, str(error)) from None
    stored_id = obj.id  # type: ignore[attr-defined]
    if stored_id != doc_id:
        reason = f"id: {shown_id(stored_id)} differs from the key it is stored under"
        raise InvalidDocumentError(path, NOUNS[table], doc_id, reason)
    if check_shard and table == CLIPS_TABLE and path.name != f"{shard_of(doc_id)}.json":
        reason = f"stored in {path.name}, but clip ids like it belong in {shard_of(doc_id)}.json"
        raise InvalidDocumentError(path, NOUNS[table], doc_id, reason)
    return obj


def check_before_write(kind: type[Document], path: Path, doc_id: str, doc: dict[str, Any]) -> None:
    """Never write a document that could not be read back: a value of the wrong type (a bug, or a
    NaN from a computation) stops the write with one line instead of poisoning the file."""
    try:
        to_object(kind, path, doc_id, doc)
    except InvalidDocumentError as error:
        raise StoreError(f"{error}; nothing was written") from None


def check_meta(path: Path, name: str, doc: Any) -> dict[str, Any]:
    """A meta document (``counters``, ``schema``...) after checking the fields this version knows."""
    try:
        if not isinstance(doc, dict):
            raise DocumentError(f"expected an object, got {describe(doc)}")
        doc = dict(doc)  # TinyDB hands out a dict subclass
        whole = META_ALL_FIELDS.get(name)
        if whole is not None:
            return dict(whole(doc))
        for key, check in META_FIELDS.get(name, {}).items():
            if key in doc:
                try:
                    check(doc[key])
                except DocumentError as error:
                    raise error.inside(key) from None
    except DocumentError as error:
        raise InvalidDocumentError(path, "meta document", name, str(error)) from None
    return dict(doc)


def to_transcript(path: Path, clip_id: str, doc: Any) -> Transcript:
    try:
        return Transcript.from_doc(doc)
    except DocumentError as error:
        raise InvalidDocumentError(path, "transcript of clip", clip_id, str(error)) from None


# --------------------------------------------------------------------------- the whole workspace


@dataclass(frozen=True)
class Problem:
    """Something `listen doctor` found wrong with a file or a document in it."""

    path: Path
    text: str  # the one line: names the file (and the document) and the reason

    def __str__(self) -> str:
        return self.text


def audit(layout: Layout, clips_dir: Path) -> Iterator[Problem]:
    """Every damaged database file and every invalid document in the workspace (reads only)."""
    yield from _audit_meta(layout.meta_path)
    one_file = [table for table in TABLES.values() if table not in (CLIPS_TABLE, MINUTES_TABLE)]
    files = [(layout.path_for_table(table), table) for table in one_file]
    files += [(record, MINUTES_TABLE) for record in layout.minutes_files()]
    files += [(shard, CLIPS_TABLE) for shard in layout.clip_shards()]
    clip_ids: list[str] = []
    for path, table in files:
        try:
            docs = read_data(path).get(table, {})  # other tables in the file are never read
        except StoreError as error:
            yield Problem(path, str(error))
            continue
        kind = KINDS[table]
        for doc_id, doc in docs.items():
            try:
                to_object(kind, path, doc_id, doc)
            except InvalidDocumentError as error:
                yield Problem(path, str(error))
            else:
                if kind is Clip:
                    clip_ids.append(doc_id)
    yield from _audit_transcripts(clips_dir, clip_ids)


def _audit_meta(path: Path) -> Iterator[Problem]:
    from listen.store.schema import check_schema_doc

    try:
        data = read_data(path)
        if path.exists():  # none yet in a new workspace: the first write stamps the version
            check_schema_doc(path, data)
    except StoreError as error:
        yield Problem(path, str(error))
        if not isinstance(error, InvalidDocumentError):
            return  # the file itself cannot be read (or is of a newer listen)
    for name, doc in data.get(META_TABLE, {}).items():
        if name == SCHEMA_DOC:
            continue  # checked above
        try:
            check_meta(path, name, doc)
        except InvalidDocumentError as error:
            yield Problem(path, str(error))


def _audit_transcripts(clips_dir: Path, clip_ids: list[str]) -> Iterator[Problem]:
    import json

    for clip_id in clip_ids:
        path = clips_dir / clip_id / "transcript.json"
        try:
            doc = json.loads(path.read_bytes())
        except FileNotFoundError:
            continue
        except (OSError, ValueError, RecursionError) as error:
            yield Problem(path, f"{path}: the transcript of clip {clip_id} cannot be read ({error})")
            continue
        try:
            to_transcript(path, clip_id, doc)
        except InvalidDocumentError as error:
            yield Problem(path, str(error))
