"""Workspaces in shared folders (network and FUSE file systems, sync folders) are named as such:
every command warns once, `listen doctor` says why. The mount table is a fake mountinfo file
(no NFS server on a CI machine); the conflict copies are real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_listen, tree_state

from listen.serve.shared_folder import mount_of, shared_folder

LOCAL = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"


def fake_mountinfo(tmp_path: Path, mount_point: Path, fs_type: str, source: str = "server:/export") -> Path:
    point = str(mount_point).replace(" ", "\\040")
    info = tmp_path / "mountinfo"
    info.write_text(
        LOCAL
        + "23 22 0:21 / /proc rw,nosuid - proc proc rw\n"
        + f"40 22 0:50 / {point} rw,relatime shared:20 - {fs_type} {source} rw,vers=4.2\n"
    )
    return info


@pytest.mark.parametrize("fs_type", ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "fuse.rclone", "fuse"])
def test_a_workspace_on_a_network_or_fuse_file_system_is_named(tmp_path: Path, fs_type: str) -> None:
    share = tmp_path / "team share"
    (share / "ws").mkdir(parents=True)
    found = shared_folder(share / "ws", fake_mountinfo(tmp_path, share, fs_type))
    assert found is not None and fs_type in found.reason and str(share) in found.reason


@pytest.mark.parametrize("fs_type", ["ext4", "btrfs", "fuseblk", "tmpfs"])
def test_local_file_systems_are_not_shared(tmp_path: Path, fs_type: str) -> None:
    (tmp_path / "ws").mkdir()
    assert shared_folder(tmp_path / "ws", fake_mountinfo(tmp_path, tmp_path, fs_type)) is None


def test_the_deepest_mount_holding_the_path_decides(tmp_path: Path) -> None:
    info = fake_mountinfo(tmp_path, Path("/mnt/share"), "nfs4")
    assert mount_of(Path("/mnt/share/ws"), info) == ("nfs4", "/mnt/share")
    assert mount_of(Path("/mnt/shared-not"), info) == ("ext4", "/")  # a prefix of the name is not inside
    assert mount_of(Path("/home/ana"), info) == ("ext4", "/")


@pytest.mark.parametrize(
    "name",
    [
        "listen.sync-conflict-20261130-101010-ABCDEFG.toml",
        "clips (Ana's conflicted copy 2026-11-30).json",
        ".stfolder",
    ],
)
def test_a_sync_tools_conflict_copy_marks_a_synced_folder(tmp_path: Path, name: str) -> None:
    root = tmp_path / "ws"
    (root / "db").mkdir(parents=True)
    (root / "db" / name).write_text("{}")
    found = shared_folder(root, fake_mountinfo(tmp_path, Path("/nowhere"), "nfs"))
    assert found is not None and "synced folder" in found.reason and name in found.reason


def test_every_command_warns_once_and_doctor_says_why(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_listen("init", root).returncode == 0
    env = {"LISTEN_MOUNTINFO": str(fake_mountinfo(tmp_path, root, "cifs", "//nas/team"))}
    before = tree_state(root)
    clips = run_listen("clips", "--workspace", root, env=env)
    assert clips.returncode == 0
    warnings = [line for line in clips.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "cifs" in warnings[0] and "listen serve" in warnings[0]
    doctor = run_listen("doctor", "--workspace", root, env=env)
    lines = [line for line in doctor.stdout.splitlines() if "cifs" in line]
    assert len(lines) == 1 and "warn" in lines[0] and "file locks" in lines[0]
    assert "warning" not in doctor.stderr
    assert tree_state(root) == before
    quiet = run_listen("clips", "--workspace", root)  # the real mount table: a local temp folder
    assert "warning" not in quiet.stderr
