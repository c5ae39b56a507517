"""Where a team's data lives: one folder, resolved from --workspace, $LISTEN_WORKSPACE or ./sessions.

A folder is a workspace once it holds ``db/`` or ``listen.toml``. Only ``listen init`` and the
commands that add data (submit, record, the app's first save) make one; the others refuse a folder
that is not one (a mistyped path must not become an empty workspace).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from listen.errors import ListenError

ENV_VAR = "LISTEN_WORKSPACE"
DEFAULT_DIR = "sessions"
PRIVATE_DIR_MODE = 0o700


@dataclass(frozen=True)
class Workspace:
    """Paths inside one workspace. Creating the object touches nothing on disk."""

    root: Path

    @property
    def db_dir(self) -> Path:
        return self.root / "db"

    @property
    def lock_path(self) -> Path:
        return self.root / ".listen.lock"

    @property
    def settings_path(self) -> Path:
        return self.root / "listen.toml"

    @property
    def clips_dir(self) -> Path:
        return self.root / "clips"

    @property
    def minutes_dir(self) -> Path:
        return self.root / "minutes"

    @property
    def prompts_dir(self) -> Path:
        return self.root / "prompts"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    def clip_dir(self, clip_id: str) -> Path:
        return self.clips_dir / clip_id

    def transcript_path(self, clip_id: str) -> Path:
        return self.clip_dir(clip_id) / "transcript.json"

    def exists(self) -> bool:
        """Whether the folder is a workspace (has its database folder or its settings)."""
        return self.db_dir.is_dir() or self.settings_path.is_file()

    def ensure(self) -> Workspace:
        """Create the workspace folders (owner-only) if missing; a clear error if that fails."""
        for folder in (self.root, self.db_dir, self.clips_dir, self.minutes_dir):
            make_private_dir(folder)
        return self

    def require(self) -> Workspace:
        """This workspace, or the one-line error that points to `listen init`."""
        if not self.exists():
            raise ListenError(
                f"no workspace at {self.root} (create one with `listen init {quote_path(self.root)}`)"
            )
        return self


def quote_path(path: Path) -> str:
    """A path as a shell would need it typed (quoted only when it must be)."""
    import shlex

    return shlex.quote(str(path))


def make_private_dir(folder: Path) -> None:
    try:
        # each missing folder on the way is made private too (mkdir(parents=True) gives the
        # parents the default mode: .cache/ came out readable by all)
        missing, path = [], folder
        while not path.exists():  # one stat when the folder is there (the common case)
            missing.append(path)
            path = path.parent
        for path in reversed(missing):
            path.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
    except FileExistsError:
        raise ListenError(f"{folder}: exists and is not a folder") from None
    except OSError as error:
        raise ListenError(f"{folder}: cannot create the workspace folder ({error.strerror})") from None
    if not folder.is_dir():
        raise ListenError(f"{folder}: exists and is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ListenError(f"{folder}: the workspace folder is not writable")


def resolve_workspace(option: str | os.PathLike[str] | None = None, *, create: bool = True) -> Workspace:
    """--workspace DIR, else $LISTEN_WORKSPACE, else ./sessions; created when ``create``."""
    chosen = option or os.environ.get(ENV_VAR) or DEFAULT_DIR
    workspace = Workspace(Path(chosen).expanduser().absolute())
    return workspace.ensure() if create else workspace
