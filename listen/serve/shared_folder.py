"""Is the workspace in a shared folder? Locks do not hold there: flock is not passed over SMB
before Linux 5.5 (and becomes mandatory after), NFS mounted ``nolock`` ignores it, FUSE file
systems (sshfs, cloud drives) do what their daemon does, and sync folders (Dropbox, Syncthing)
carry no locks at all and make conflict copies. listen refuses to pretend: every command warns
once, `listen doctor` says why, and `listen serve` on one host is the way to share.

Two signs, both cheap (well under a millisecond on a normal workspace):
- the file system type of the mount holding the workspace (``/proc/self/mountinfo``);
- conflict copies a sync tool left in the workspace's folders.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

MOUNTINFO = Path("/proc/self/mountinfo")
NETWORK_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "ceph",
        "glusterfs",
        "9p",
        "davfs",
        "lustre",
        "gpfs",
    }
)
LOCAL_FUSE = frozenset({"fuseblk"})  # ntfs-3g and exFAT drives: local disks, through FUSE
CONFLICT_NAMES = (
    re.compile(r"\.sync-conflict-"),  # Syncthing
    re.compile(r" \([^)]*conflicted copy[^)]*\)", re.I),  # Dropbox
    re.compile(r"\(Case Conflict( \d+)?\)", re.I),  # Dropbox
    re.compile(r"-conflict-\d{8}-\d{6}"),  # Nextcloud/ownCloud style
)
SYNC_MARKERS = (".stfolder", ".dropbox", ".dropbox.cache")


@dataclass(frozen=True)
class SharedFolder:
    reason: str  # why: "on an nfs4 network file system (mounted at /mnt/share)"


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash in paths as octal escapes (\\040)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def mount_of(path: Path, mountinfo: Path = MOUNTINFO) -> tuple[str, str] | None:
    """(file system type, mount point) of the mount that holds ``path``; None when unknown."""
    try:
        lines = mountinfo.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = str(path)
    best: tuple[str, str] | None = None
    for line in lines:
        before, sep, after = line.partition(" - ")
        fields = before.split()
        if not sep or len(fields) < 5 or not after.split():
            continue
        point = _unescape(fields[4])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[1])):  # later mounts stack on earlier
            best = (after.split()[0], point)
    return best


def is_shared_type(fs_type: str) -> bool:
    if fs_type in LOCAL_FUSE:
        return False
    return fs_type in NETWORK_TYPES or fs_type == "fuse" or fs_type.startswith("fuse.")


def conflict_copy(root: Path) -> Path | None:
    """A sync tool's conflict copy (or folder marker) in the workspace's own folder, its database
    folder or the database's tables: where a sync tool would put one (names only, no stat)."""
    folders = [root, root / "db"]
    index = 0
    while index < len(folders):
        folder = folders[index]
        index += 1
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name in SYNC_MARKERS or (
                "onflict" in name and any(pattern.search(name) for pattern in CONFLICT_NAMES)
            ):
                return Path(folder) / name
            if index == 2 and entry.is_dir(follow_symlinks=False):  # a table folder in db/
                folders.append(Path(entry.path))
    return None


def shared_folder(root: Path, mountinfo: Path | None = None) -> SharedFolder | None:
    """Why the workspace at ``root`` is in a shared folder, or None. ``mountinfo`` defaults to
    $LISTEN_MOUNTINFO (a test's stand-in), else /proc/self/mountinfo."""
    mountinfo = mountinfo or Path(os.environ.get("LISTEN_MOUNTINFO") or MOUNTINFO)
    try:
        resolved = root.resolve()
    except OSError:
        return None
    mount = mount_of(resolved, mountinfo)
    if mount is not None and is_shared_type(mount[0]):
        kind = "a FUSE" if mount[0].startswith("fuse") else "a network"
        return SharedFolder(f"on {kind} file system ({mount[0]}, mounted at {mount[1]})")
    if resolved.is_dir():
        found = conflict_copy(resolved)
        if found is not None:
            return SharedFolder(f"in a synced folder ({found.relative_to(resolved)} is a sync tool's file)")
    return None


def advice(root: Path, found: SharedFolder) -> str:
    return (
        f"the workspace {root} is {found.reason}: file locks do not hold there, so two computers "
        "can lose each other's changes; keep it on one computer's own disk and let the team in "
        "with `listen serve`"
    )


def warn_once(workspace_option: str | None) -> None:
    """The one warning line a command prints (stderr) when its workspace is in a shared folder."""
    import sys

    from listen.display import one_line
    from listen.workspace import resolve_workspace

    root = resolve_workspace(workspace_option, create=False).root
    found = shared_folder(root)
    if found is not None:
        print(one_line(f"listen: warning: {advice(root, found)}"), file=sys.stderr)
