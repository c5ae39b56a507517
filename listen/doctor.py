"""Health checks behind `listen doctor`: audio devices, engines, models, and the workspace itself."""

from __future__ import annotations

import importlib.util
import shutil
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from listen.errors import ListenError
from listen.settings import Settings
from listen.store import Store
from listen.store.validate import InvalidDocumentError
from listen.workspace import Workspace

Level = Literal["ok", "info", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    area: str
    level: Level
    text: str


def run_checks(workspace: Workspace, store: Store, settings: Settings) -> list[Check]:
    return [*audio_checks(), *engine_checks(settings), *workspace_checks(workspace, store)]


def leftover_checks(store: Store) -> Iterator[Check]:
    """Temp files of writers killed mid-write: swept as the next write would; any that stay are listed."""
    leftovers = store.leftover_temps()
    if leftovers is None:
        yield Check("workspace", "info", "another listen process is writing: leftover temp files not checked")
        return
    for path, reason in leftovers:
        yield Check(
            "workspace",
            "fail",
            f"{path}: a temp file an interrupted write left behind cannot be removed ({reason}); "
            "remove it by hand",
        )


def audio_checks() -> Iterator[Check]:
    try:
        from listen.audio.devices import list_devices

        devices = list_devices()
    except ListenError as error:
        yield Check("audio", "warn", f"audio devices unavailable: {error}")
        return
    inputs = [d for d in devices if d.inputs > 0]
    outputs = [d for d in devices if d.outputs > 0]
    if not inputs:
        yield Check("audio", "warn", "no input device: `listen record` cannot record (import files instead)")
    if not outputs:
        yield Check("audio", "warn", "no output device: clips cannot be played here")
    for device in devices:
        roles = []
        if device.inputs:
            roles.append(f"in {device.inputs}ch" + (" (default)" if device.is_default_input else ""))
        if device.outputs:
            roles.append(f"out {device.outputs}ch" + (" (default)" if device.is_default_output else ""))
        yield Check(
            "audio",
            "info",
            f"[{device.index}] {device.name}: {', '.join(roles)}, {device.default_rate:.0f} Hz",
        )


def engine_checks(settings: Settings) -> Iterator[Check]:
    chosen = settings.transcription.engine
    for engine, module in (("faster-whisper", "faster_whisper"), ("openai-whisper", "whisper")):
        installed = importlib.util.find_spec(module) is not None
        if installed:
            level: Level = "ok"
            text = f"engine {engine}: installed"
        else:
            level = "fail" if engine == chosen else "info"
            hint = "run `make openai-whisper`" if engine == "openai-whisper" else "reinstall listen"
            text = f"engine {engine}: not installed ({hint})"
        if engine == chosen:
            text += " (chosen in settings)"
        yield Check("engines", level, text)
    yield from model_checks(settings)
    yield from diarize_checks(settings)


def diarize_checks(settings: Settings) -> Iterator[Check]:
    """Whether mono calls get their speakers automatically (the optional diarization extra)."""
    from listen.transcribe.diarize import extra_status, models_dir

    problem = extra_status()
    if settings.transcription.diarize == "off":
        state = "installed" if problem is None else "not installed"
        yield Check("models", "info", f'diarization extra: {state}; off in settings (diarize = "off")')
    elif problem is None:
        yield Check(
            "models",
            "ok",
            f"diarization extra: installed ({models_dir()}); mono calls get "
            f"{settings.transcription.speakers} speakers, the first voice is the agent",
        )
    else:
        yield Check(
            "models", "info", f"diarization extra: not installed, mono calls get no speakers ({problem})"
        )


def model_checks(settings: Settings) -> Iterator[Check]:
    model = settings.transcription.model
    try:
        from listen.transcribe.models import describe_model

        yield Check("models", "ok", describe_model(model))
    except ListenError as error:
        yield Check("models", "fail", f"model {model!r}: {error}")


def workspace_checks(workspace: Workspace, store: Store) -> Iterator[Check]:
    yield Check("workspace", "info", f"workspace: {workspace.root}")
    from listen.serve.shared_folder import advice, shared_folder

    found = shared_folder(workspace.root)
    if found is not None:
        yield Check("workspace", "warn", advice(workspace.root, found))
    problems = [str(problem) for problem in store.audit()]  # every damaged file and invalid document
    for problem in problems:
        yield Check("workspace", "fail", problem)
    yield from leftover_checks(store)
    try:
        store.check()
    except ListenError as error:
        if str(error) not in problems:
            yield Check("workspace", "fail", str(error))
        return
    skipped: list[InvalidDocumentError] = []  # listed above
    clips = store.clips(skipped=skipped)
    by_status = Counter(clip.status for clip in clips)
    summary = ", ".join(f"{count} {status}" for status, count in sorted(by_status.items())) or "none"
    counts = (
        f"{len(clips)} clips ({summary}), {len(store.sessions(skipped=skipped))} sessions, "
        f"{len(store.gaps(skipped=skipped))} gaps, {len(store.actions(skipped=skipped))} actions"
    )
    if problems:
        yield Check(
            "workspace",
            "fail",
            f"{len(problems)} invalid documents or files (above; fix or move each aside), readable: {counts}",
        )
    else:
        yield Check("workspace", "ok", f"database readable: {counts}")
    stuck = [clip.id for clip in clips if clip.status == "transcribing"]
    if stuck:
        yield Check(
            "workspace",
            "warn",
            f"{len(stuck)} clips were left transcribing (the next "
            f"`listen transcribe` queues them again): {' '.join(stuck[:5])}",
        )
    missing = [clip.id for clip in clips if clip.media and not (workspace.root / clip.media).exists()]
    if missing:
        yield Check(
            "workspace", "fail", f"{len(missing)} clips have lost their media file: {' '.join(missing[:5])}"
        )
    known = {clip.id for clip in clips} | {error.doc_id for error in skipped}
    if workspace.clips_dir.exists():
        orphans = [p.name for p in workspace.clips_dir.iterdir() if p.is_dir() and p.name not in known]
        if orphans:
            yield Check(
                "workspace",
                "info",
                f"{len(orphans)} clip folders without a clip (an interrupted "
                f"submit; safe to delete): {' '.join(orphans[:5])}",
            )
    shared = [
        p
        for p in [workspace.root, *workspace.root.rglob("*")]
        if not p.is_symlink() and p.name != ".listen.lock" and stat.S_IMODE(p.stat().st_mode) & 0o077
    ]
    if shared:
        yield Check(
            "workspace",
            "warn",
            f"{len(shared)} files are readable by other users, e.g. {shared[0]} "
            f"(fix: chmod -R go= {workspace.root})",
        )
    free = shutil.disk_usage(workspace.root).free
    level: Level = "warn" if free < 1 << 30 else "ok"
    yield Check("workspace", level, f"free disk space: {free / (1 << 30):.1f} GiB")
