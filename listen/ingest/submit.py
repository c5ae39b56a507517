"""Submitting a file as a clip: check it, keep its bytes, record it. Nothing is written for bad input.

Order of work for one file:
1. check the path and read/inspect the content (errors name the file; the workspace is untouched);
2. hash the bytes: identical content already in the workspace is the same clip (reported, no error);
3. copy the original bytes into ``clips/<id>/`` atomically (outside the lock: copies can be large);
4. record the clip in one short transaction (the only step under the cross-process lock).

A failure in steps 3-4 (a full disk) removes what this submission wrote: no empty ``clips/<id>/``,
no orphan copy or transcript, and no workspace folders it had just made. Sizes and typed fields
are limited (``limits.py``); a file's size is checked before it is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from listen.domain import CHANNELS, AudioFacts, Clip, RepView, Transcript, now_iso
from listen.errors import InputError, ListenError, UsageError
from listen.ingest.limits import MAX_AUDIO_BYTES, check_submission, fit_title, write_failure_reason
from listen.ingest.text import TEXT_EXTENSIONS, read_text_clip, read_text_file
from listen.ingest.thread import team_of, thread_transcript
from listen.settings import Settings
from listen.store import Store
from listen.store.atomic import atomic_copy
from listen.workspace import make_private_dir

CLIP_ID_LENGTH = 10


@dataclass(frozen=True)
class SubmitResult:
    """The clip a file became, and whether it was one already."""

    clip: Clip
    duplicate: bool  # True when identical content was already a clip
    created_workspace: bool = False  # True when this submission made the workspace


def sha256_of(path: Path, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def check_regular_file(path: Path) -> os.stat_result:
    """The path must exist and be (or link to) a regular, readable file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(path, "a broken symbolic link") from None
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    if not os.access(path, os.R_OK):
        raise InputError(path, "permission denied")
    return info


def submit_file(
    store: Store,
    path: Path,
    *,
    submitted_by: str,
    settings: Settings | None = None,
    channel: str | None = None,
    title: str | None = None,
    rep_view: RepView | None = None,
) -> SubmitResult:
    """Turn one file into a clip. Raises InputError (file + reason) and writes nothing for bad input."""
    settings = settings or Settings()
    if channel is not None and channel not in CHANNELS:
        raise InputError(path, f"unknown channel '{channel}' (choose from {', '.join(CHANNELS)})")
    view = rep_view or RepView()
    try:
        check_submission(title=title, submitted_by=submitted_by, notes=rep_view_fields(view))
    except UsageError as error:
        raise InputError(path, str(error)) from None
    info = check_regular_file(path)
    if info.st_size == 0:
        raise InputError(path, "the file is empty")
    submission = Submission(submitted_by, channel, title, rep_view)
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        return _submit_text(store, path, settings, submission)
    from listen.audio.decode import AUDIO_EXTENSIONS  # lazy: PyAV is only needed for audio

    if suffix in AUDIO_EXTENSIONS:
        if info.st_size > MAX_AUDIO_BYTES:
            raise InputError(path, f"too large for an audio clip ({info.st_size:,} bytes; the limit is 4 GB)")
        return _submit_audio(store, path, settings, submission)
    known = " ".join(sorted(TEXT_EXTENSIONS | AUDIO_EXTENSIONS))
    raise InputError(path, f"unsupported file type '{suffix or '(none)'}' (listen takes: {known})")


def outcome_line(name: object, result: SubmitResult) -> str:
    """What a submission says, in the same words wherever it was made (``listen submit``, the
    upload page): the clip id and duration, queued; or that it was a clip already."""
    clip = result.clip
    if result.duplicate:
        return f"{name}: already submitted as clip {clip.id} ({clip.title})"
    what = f"{clip.duration:.1f} s, queued for transcription" if clip.kind == "audio" else "text clip"
    return f"{name}: clip {clip.id} ({what})"


def rep_view_fields(view: RepView) -> dict[str, str]:
    """The rep's view by the option that sets each part (for limits and messages)."""
    return {
        "--note": view.note,
        "--needed": view.needed,
        "--hard": view.hard,
        "--workaround": view.workaround,
    }


@dataclass(frozen=True)
class Submission:
    """What the submitter said about a file, shared by every kind of clip."""

    submitted_by: str
    channel: str | None
    title: str | None
    rep_view: RepView | None

    def clip(
        self, path: Path, sha: str, *, kind: str, default_title: str, default_channel: str, **facts: Any
    ) -> Clip:
        view = self.rep_view or RepView()
        title, shortened = (self.title, None) if self.title else fit_title(default_title)
        if shortened:
            facts["notices"] = [*facts.get("notices", []), shortened]
        return Clip(
            id=sha[:CLIP_ID_LENGTH],
            sha256=sha,
            kind=kind,  # type: ignore[arg-type]
            title=unicode_text(title),
            source=unicode_text(path.name),
            media="",
            byte_size=path.stat().st_size,
            channel=(self.channel or default_channel),  # type: ignore[arg-type]
            submitted_by=unicode_text(self.submitted_by),
            rep_view=replace(
                view,
                note=unicode_text(view.note),
                needed=unicode_text(view.needed),
                hard=unicode_text(view.hard),
                workaround=unicode_text(view.workaround),
            ),
            **facts,
        )


def unicode_text(text: str) -> str:
    """Text from the system (a file name, a command-line argument) as valid Unicode: a name that
    is not UTF-8 reaches Python with lone surrogates (surrogateescape), which no UTF-8 file can
    hold; each undecodable byte becomes U+FFFD."""
    if text.isascii():
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        return text.encode("utf-8", "replace").decode("utf-8")


def _submit_text(store: Store, path: Path, settings: Settings, submission: Submission) -> SubmitResult:
    data = read_text_file(path)
    content = read_text_clip(path, data)
    sha = hashlib.sha256(data).hexdigest()
    existing = store.clip_by_sha(sha)
    if existing is not None:
        return SubmitResult(existing, duplicate=True)
    clip = submission.clip(
        path, sha, kind="text", default_title=content.title, default_channel=content.channel,
        status="transcribed", has_transcript=True, transcribed_at=now_iso(),
    )  # fmt: skip
    transcript = thread_transcript(content.text, team=team_of(clip, settings))
    return _keep_and_record(store, path, clip, transcript=transcript)


def _submit_audio(store: Store, path: Path, settings: Settings, submission: Submission) -> SubmitResult:
    from listen.audio.decode import inspect_audio

    audio = inspect_audio(path, max_seconds=settings.max_clip_seconds)
    sha = sha256_of(path)
    existing = store.clip_by_sha(sha)
    if existing is not None:
        return SubmitResult(existing, duplicate=True)
    facts = AudioFacts(audio.sample_rate, audio.channels, audio.codec, audio.container)
    clip = submission.clip(
        path, sha, kind="audio", default_title=path.stem, default_channel="phone",
        duration=audio.duration, audio=facts, notices=list(audio.notices),
    )  # fmt: skip
    return _keep_and_record(store, path, clip, transcript=None)


def _keep_and_record(store: Store, path: Path, clip: Clip, *, transcript: Transcript | None) -> SubmitResult:
    """Copy the file in, write a text clip's transcript, record the clip. On any failure, undo
    what this call wrote and raise InputError naming the file."""
    workspace = store.workspace
    created = not workspace.exists()
    folder = workspace.clip_dir(clip.id)
    made = [p for p in (workspace.root, workspace.db_dir, workspace.clips_dir, workspace.minutes_dir, folder)
            if not p.exists()]  # fmt: skip
    suffix = path.suffix.lower() if path.suffix.isascii() else ""
    media = folder / f"original{suffix}"
    written: list[Path] = []
    try:
        workspace.ensure()
        make_private_dir(folder)
        had_media = media.exists()
        atomic_copy(path, media)
        if not had_media:
            written.append(media)
        clip.media = str(media.relative_to(workspace.root))
        if transcript is not None:
            transcript_path = workspace.transcript_path(clip.id)
            had_transcript = transcript_path.exists()
            store.write_transcript(clip.id, transcript)
            if not had_transcript:
                written.append(transcript_path)
        with store.transaction() as tx:
            existing = tx.clip_by_sha(clip.sha256)
            if existing is not None:  # another process submitted the same bytes meanwhile
                return SubmitResult(existing, duplicate=True)
            tx.put(clip)
    except OSError as error:
        _undo(written, made)
        raise InputError(path, f"cannot be stored: {write_failure_reason(error)}") from None
    except ListenError as error:
        _undo(written, made)
        if isinstance(error, InputError):
            raise
        raise InputError(path, str(error)) from None
    except BaseException:
        _undo(written, made)
        raise
    return SubmitResult(clip, duplicate=False, created_workspace=created)


def _undo(files: list[Path], folders: list[Path]) -> None:
    """Remove the files a failed submission wrote, then the folders it made (deepest first, and
    only while empty: another process may have put something there meanwhile)."""
    for file in files:
        with contextlib.suppress(OSError):
            file.unlink()
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()
