"""The drop folder: real files, the real store; the clock is passed in (no sleeps) except in the
one test that runs the real server."""

from __future__ import annotations

from pathlib import Path

from helpers import REPO

from listen.serve.watch import DropFolder
from listen.settings import Settings
from listen.store import Store
from listen.workspace import Workspace
from tests.serve.server import Server, wait_for

SPEECH = REPO / "tests" / "fixtures" / "speech"


def make_drop(tmp_path: Path) -> tuple[DropFolder, Store, Path]:
    store = Store(Workspace(tmp_path / "ws").ensure())
    folder = tmp_path / "drop"
    folder.mkdir()
    logged: list[str] = []
    drop = DropFolder(store, Settings, folder, "Ana", settle=3.0, log=logged.append)
    drop.prepare()
    return drop, store, folder


def test_a_file_written_slowly_is_imported_once_after_it_is_complete(tmp_path: Path) -> None:
    drop, store, folder = make_drop(tmp_path)
    audio = (SPEECH / "jfk.flac").read_bytes()
    target = folder / "call-0001.flac"
    third = len(audio) // 3
    target.write_bytes(audio[:third])
    assert drop.scan(now=0.0) == []
    with target.open("ab") as out:
        out.write(audio[third : 2 * third])
    assert drop.scan(now=2.5) == []  # grew: waited for again
    with target.open("ab") as out:
        out.write(audio[2 * third :])
    assert drop.scan(now=4.0) == []
    assert drop.scan(now=6.0) == []  # unchanged for 2 s only
    assert store.clips() == []
    lines = drop.scan(now=7.5)
    assert len(lines) == 1 and "call-0001.flac: clip " in lines[0] and "queued for transcription" in lines[0]
    clips = store.clips()
    assert len(clips) == 1 and clips[0].submitted_by == "Ana" and clips[0].source == "call-0001.flac"
    assert (store.workspace.root / clips[0].media).read_bytes() == audio  # the whole file
    assert (folder / "imported" / "call-0001.flac").read_bytes() == audio
    assert not target.exists()
    assert drop.scan(now=20.0) == [] and drop.scan(now=40.0) == []
    # the same bytes dropped again: no second clip
    (folder / "again.flac").write_bytes(audio)
    drop.scan(now=50.0)
    again = drop.scan(now=60.0)
    assert len(again) == 1 and "already submitted" in again[0]
    assert len(store.clips()) == 1


def test_a_bad_file_goes_to_refused_with_its_reason(tmp_path: Path) -> None:
    drop, store, folder = make_drop(tmp_path)
    (folder / "note.mp3").write_text("this is not audio\n" * 20)
    (folder / ".partial.flac").write_bytes(b"x" * 10)  # hidden: a tool's partial file, left alone
    drop.scan(now=0.0)
    lines = drop.scan(now=5.0)
    assert len(lines) == 1 and lines[0].startswith("note.mp3: refused, ")
    assert (folder / "refused" / "note.mp3").exists()
    reason = (folder / "refused" / "note.mp3.reason.txt").read_text().strip()
    assert reason and "\n" not in reason and reason in lines[0]
    assert store.clips() == []
    assert (folder / ".partial.flac").exists()


def test_the_server_imports_from_its_drop_folder(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    folder = tmp_path / "drop"
    folder.mkdir()
    running = Server(root, "--no-transcribe", "--no-app", "--watch", str(folder), "--by", "Ana")
    try:
        (folder / "chat.txt").write_text("Customer: where is my order?\n")
        moved = wait_for(lambda: (folder / "imported" / "chat.txt").exists(), 60)
        assert moved
        clips = Store(Workspace(root)).clips()
        assert [clip.submitted_by for clip in clips] == ["Ana"]
    finally:
        running.stop()
