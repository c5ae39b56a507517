"""The watcher's signatures: another process's writes are named by table (and clip shard), the
app's own writes are not reported again (not even two in a row), and an outside write the app then writes over
is still reported. Real store, real files; a second Store stands for another process (it has
its own record of what it wrote, as a second process would)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from listen.domain import Clip, Gap, Session
from listen.ingest.submit import submit_file
from listen.session import service
from listen.store import Store
from listen.store.layout import shard_of
from listen.store.store import Reuse
from listen.tui.watcher import WorkspaceSignatures, changed_clip_shards


def test_the_apps_own_writes_are_not_reported(built, tmp_path: Path) -> None:
    workspace, store, ids = built
    signatures = WorkspaceSignatures(workspace, store.committed)
    session = service.start_session(store, facilitator="Ana", clip_ids=[ids["warranty-email.txt"]])
    service.add_note(store, session.id, "first")  # two writes of sessions.json before a look
    service.add_note(store, session.id, "second")
    path = tmp_path / "note.txt"
    path.write_text("Customer: hello", encoding="utf-8")
    submit_file(store, path, submitted_by="Ana")
    assert signatures.changes() == frozenset()


def test_other_writers_are_reported_by_table(built, tmp_path: Path) -> None:
    workspace, store, ids = built
    signatures = WorkspaceSignatures(workspace, store.committed)
    other = Store(workspace)
    path = tmp_path / "chat.txt"
    path.write_text("Customer: where is it?", encoding="utf-8")
    submit_file(other, path, submitted_by="Sam")
    assert signatures.changes() == frozenset({"clips"})
    assert signatures.changes() == frozenset()  # said once

    session = service.start_session(other, facilitator="Ana", clip_ids=[ids["warranty-email.txt"]])
    assert "sessions" in signatures.changes()

    service.tag_new_gap(other, session_id=session.id, clip_id=None, category="Tool", title="A new gap")
    assert "gaps" in signatures.changes()

    workspace.settings_path.write_text(
        workspace.settings_path.read_text(encoding="utf-8") + "\nredact = false\n", encoding="utf-8"
    )
    assert signatures.changes() == frozenset({"settings"})


def test_an_outside_write_the_app_then_writes_over_is_still_reported(built) -> None:
    workspace, store, ids = built
    signatures = WorkspaceSignatures(workspace, store.committed)
    session = service.start_session(store, facilitator="Ana", clip_ids=[ids["warranty-email.txt"]])
    assert signatures.changes() == frozenset()
    service.add_attendee(Store(workspace), session.id, "Dev", "")  # another window
    service.add_note(store, session.id, "ours, written over theirs")  # before the watcher looks
    assert signatures.changes() == frozenset({"sessions"})


def test_the_clip_shards_another_process_changed_are_named_and_can_be_read_alone(
    built, tmp_path: Path
) -> None:
    workspace, store, ids = built
    signatures = WorkspaceSignatures(workspace, store.committed)
    other = Store(workspace)
    path = tmp_path / "chat.txt"
    path.write_text("Customer: where is it?", encoding="utf-8")
    clip = submit_file(other, path, submitted_by="Sam").clip
    changes = signatures.changes()
    shard = shard_of(clip.id)
    assert changes == frozenset({"clips"})
    assert changed_clip_shards(changes) == {shard}

    fresh = Store(workspace)
    assert fresh.clips_in_shards({shard}) == [c for c in fresh.clips() if shard_of(c.id) == shard]
    assert clip in fresh.clips_in_shards({shard})
    everything = {shard_of(c.id) for c in fresh.clips()}
    assert fresh.clips_in_shards(everything) == fresh.clips()
    with pytest.raises(ValueError):
        fresh.clips_in_shards({"../meta"})
    wanted = [clip.id, ids["warranty-email.txt"], "0000000000"]  # the last one is not stored
    assert fresh.clips_by_id(wanted) == {c.id: c for c in fresh.clips() if c.id in wanted}

    # clips and another table at once: no delta (the screen reads everything)
    service.start_session(other, facilitator="Ana", clip_ids=[clip.id])
    assert changed_clip_shards(signatures.changes()) is None
    assert changed_clip_shards(frozenset({"clips"})) is None  # a change that names no shards


def test_a_reread_makes_objects_only_of_the_documents_that_changed(built) -> None:
    """Store.gaps(reuse=...): an unchanged gap is the object of the last read, a gap another
    process changed is read anew (the reuse never shows an old version)."""
    workspace, store, _ids = built
    reuse: Reuse[Gap] = Reuse()
    first = {gap.id: gap for gap in store.gaps(reuse=reuse)}
    assert len(first) >= 2
    changed, kept = sorted(first)[:2]
    service.update_gap(Store(workspace), changed, title="Renamed in another window")
    second = {gap.id: gap for gap in store.gaps(reuse=reuse)}
    assert second[changed].title == "Renamed in another window"
    assert second[changed] is not first[changed]
    assert second[kept] is first[kept]
    assert list(second.values()) == store.gaps()  # the same as a read without reuse


def test_sessions_and_clips_reread_with_reuse_show_every_change(built) -> None:
    """Store.sessions(reuse=...) and Store.clips_by_id(reuse=...), as the Gaps screen reads them
    after each outside write: unchanged documents give the same objects, changed ones new ones."""
    workspace, store, ids = built
    sessions: Reuse[Session] = Reuse()
    clips: Reuse[Clip] = Reuse()
    wanted = sorted(ids.values())
    first_sessions = store.sessions(reuse=sessions)
    first_clips = store.clips_by_id(wanted, reuse=clips)
    assert first_sessions and first_clips.keys() == set(wanted)
    every_clip: Reuse[Clip] = Reuse()  # Store.clips(reuse=...): all of them, as Home and Trends read
    first_every = {c.id: c for c in store.clips(reuse=every_clip)}

    other = Store(workspace)
    renamed, kept = wanted[0], wanted[1]
    with other.transaction() as tx:
        tx.put(dataclasses.replace(tx.clip(renamed), title="Renamed in another window"))
    opened = service.start_session(other, facilitator="Ana", clip_ids=[kept])
    second_sessions = store.sessions(reuse=sessions)
    second_clips = store.clips_by_id(wanted, reuse=clips)
    assert second_clips[renamed].title == "Renamed in another window"
    assert second_clips[kept] is first_clips[kept]
    assert second_clips == store.clips_by_id(wanted)  # the same as a read without reuse
    second_every = store.clips(reuse=every_clip)
    assert second_every == store.clips()
    assert {c.id: c for c in second_every}[renamed].title == "Renamed in another window"
    assert {c.id: c for c in second_every}[kept] is first_every[kept]
    assert second_sessions == store.sessions() and opened.id in {s.id for s in second_sessions}
    assert second_sessions[0] is first_sessions[0]  # last week's, unchanged
