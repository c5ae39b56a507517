"""The store on real TinyDB files in temp dirs: round trips, atomicity, locking, damage, privacy."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from listen.domain import (
    Action,
    Attendee,
    AudioFacts,
    Clip,
    FixIdea,
    FollowUp,
    Gap,
    GapLink,
    Quote,
    RepView,
    Segment,
    Session,
    StoryCheck,
    Transcript,
    Word,
)
from listen.errors import NotFoundError, StoreError
from listen.store import Store
from listen.store.layout import shard_of
from listen.workspace import Workspace


def make_clip(n: int, **changes: object) -> Clip:
    sha = f"{n:064x}"[::-1]
    fields: dict[str, object] = dict(
        id=sha[:10],
        sha256=sha,
        kind="audio",
        title=f"Call {n}",
        source=f"call {n}.wav",
        media=f"clips/{sha[:10]}/original.wav",
        byte_size=1000 + n,
        channel="phone",
        submitted_by="Ana",
        submitted_at=f"2026-11-{1 + n % 28:02d}T10:00:00+00:00",
    )
    fields.update(changes)
    return Clip(**fields)  # type: ignore[arg-type]


def test_every_kind_round_trips_through_the_files_on_disk(workspace: Workspace) -> None:
    clip = make_clip(
        1,
        duration=61.5,
        audio=AudioFacts(8000, 2, "pcm_mulaw", "wav"),
        rep_view=RepView(needed="a refund", hard="needs a manager", helped="partly"),
        notices=["dropped 0.2 s"],
    )
    gap = Gap(
        id="G-1",
        category="Policy",
        title="Refunds need a manager",
        severity=3,
        verdict="eliminate",
        links=[GapLink(clip_id=clip.id, session_id="2026-11-16", at=12.5, quote="I waited")],
    )
    idea = FixIdea(
        id="I-1",
        text="Let reps refund up to $50",
        gap_ids=["G-1"],
        votes={"Ana": 2, "Bo": 1},
        impact=3,
        effort=1,
        picked=True,
    )
    action = Action(
        id="A-1",
        title="Change refund policy",
        owner="Cy",
        due="2026-12-01",
        origin_kind="idea",
        origin_id="I-1",
        follow_ups=[FollowUp(session_id="2026-11-23", outcome="carried", note="legal")],
    )
    session = Session(
        id="2026-11-16",
        date="2026-11-16",
        facilitator="Bo",
        attendees=[Attendee("Ana", "support"), Attendee("Cy", "owner")],
        clip_ids=[clip.id],
        quotes=[Quote(clip_id=clip.id, start=12.5, end=15.0, text="I waited", speaker="customer")],
        step_seconds={"stage": 300.0},
        story_check=StoryCheck(answers={"Ana": "fast"}, cohesion=71.0),
    )
    store = Store(workspace)
    with store.transaction() as tx:
        for obj in (clip, gap, idea, action, session):
            tx.put(obj)

    fresh = Store(workspace)  # a new process would see the same
    assert fresh.clip(clip.id) == clip
    assert fresh.gap("G-1") == gap
    assert fresh.idea("I-1") == idea
    assert fresh.action("A-1") == action
    assert fresh.session("2026-11-16") == session
    assert fresh.gap("G-1").times_seen == 1


def test_files_are_tinydb_json_databases(workspace: Workspace, store: Store) -> None:
    """TinyDB's own JSONStorage opens every file (with string document ids)."""
    from tinydb.storages import JSONStorage

    from listen.store.database import ListenDB

    clip = make_clip(7)
    store.put(clip)
    store.put(Gap(id="G-1", category="Tool", title="CRM hides order history"))
    shard = workspace.db_dir / "clips" / f"{shard_of(clip.id)}.json"
    with ListenDB(shard, storage=JSONStorage) as db:
        assert db.table("clips").get(doc_id=clip.id) == clip.to_doc()
    with ListenDB(workspace.db_dir / "gaps.json", storage=JSONStorage) as db:
        assert [doc["title"] for doc in db.table("gaps").all()] == ["CRM hides order history"]


def test_transcripts_live_in_per_clip_files(workspace: Workspace, store: Store) -> None:
    transcript = Transcript(
        text="hello there",
        language="en",
        segments=[Segment(0.0, 1.2, "hello there", speaker="agent", words=[Word(0.0, 0.5, "hello", 0.9)])],
    )
    store.write_transcript("abc1234567", transcript)
    assert store.transcript("abc1234567") == transcript
    assert store.transcript("ffff000000") is None
    assert workspace.transcript_path("abc1234567").exists()


def test_ids_are_short_and_never_reused(store: Store) -> None:
    with store.transaction() as tx:
        first = tx.next_id(Gap)
        tx.put(Gap(id=first, category="Tool", title="a"))
        second = tx.next_id(Gap)
        tx.put(Gap(id=second, category="Tool", title="b"))
        action = tx.next_id(Action)
    assert (first, second, action) == ("G-1", "G-2", "A-1")
    with store.transaction() as tx:
        tx.delete(Gap, "G-2")
        assert tx.next_id(Gap) == "G-3"


def test_clip_lookup_by_prefix(store: Store) -> None:
    a, b = make_clip(1), make_clip(2)
    with store.transaction() as tx:
        tx.put(a)
        tx.put(b)
    assert store.clip(a.id[:6]).id == a.id
    assert store.clip(a.id.upper()).id == a.id
    with pytest.raises(NotFoundError, match="no such clip"):
        store.clip("zz")
    assert store.clip_by_sha(b.sha256) == b
    assert store.clip_by_sha("0" * 64) is None


def test_a_failed_transaction_writes_nothing(workspace: Workspace, store: Store) -> None:
    store.put(make_clip(1))
    before = sorted(p.read_bytes() for p in workspace.db_dir.rglob("*.json"))
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put(make_clip(2))
        tx.put(Gap(id="G-1", category="Tool", title="x"))
        raise RuntimeError("boom")
    assert sorted(p.read_bytes() for p in workspace.db_dir.rglob("*.json")) == before
    assert len(store.clips()) == 1


def test_nested_transactions_join_the_outer_one(store: Store) -> None:
    with store.transaction() as outer:
        outer.put(make_clip(1))
        with store.transaction() as inner:
            assert inner is outer
            inner.put(make_clip(2))
        assert len(outer.clips()) == 2
    assert len(store.clips()) == 2


def test_reads_see_writes_of_other_store_objects(workspace: Workspace) -> None:
    reader, writer = Store(workspace), Store(workspace)
    assert reader.clips() == []
    writer.put(make_clip(3))
    assert [c.title for c in reader.clips()] == ["Call 3"]


def test_workspace_files_are_owner_only(workspace: Workspace, store: Store) -> None:
    store.put(make_clip(1))
    store.put(Gap(id="G-1", category="Tool", title="x"))
    store.write_transcript("abc1234567", Transcript(text="x"))
    assert workspace.lock_path.exists()  # written under the lock: the lock file is checked too
    for path in [workspace.root, *workspace.root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is readable by others ({oct(mode)})"


@pytest.mark.parametrize("damage", [b"{not json", b"", b"[1, 2, 3]", b'{"gaps": {"G-1": 5}}'])
def test_a_damaged_file_is_reported_and_never_overwritten(workspace: Workspace, damage: bytes) -> None:
    store = Store(workspace)
    store.put(Gap(id="G-1", category="Tool", title="x"))
    store.put(Gap(id="G-2", category="Tool", title="y"))  # leaves a .bak of the previous version
    gaps_file = workspace.db_dir / "gaps.json"
    gaps_file.write_bytes(damage)
    fresh = Store(workspace)
    with pytest.raises(StoreError) as error:
        fresh.gaps()
    message = str(error.value)
    assert str(gaps_file) in message and "gaps.json.bak" in message
    with pytest.raises(StoreError), fresh.transaction() as tx:
        tx.put(Gap(id="G-3", category="Tool", title="z"))
    assert gaps_file.read_bytes() == damage
    assert "\n" not in message


def test_newer_schema_is_refused(workspace: Workspace, store: Store) -> None:
    store.put(make_clip(1))
    meta = workspace.db_dir / "meta.json"
    data = json.loads(meta.read_text())
    data["meta"]["schema"]["version"] = 99
    meta.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="newer listen"):
        Store(workspace).clips()


def test_legacy_single_file_workspace_is_migrated(workspace: Workspace) -> None:
    clip = make_clip(5)
    legacy = {
        "clips": {clip.id: clip.to_doc()},
        "gaps": {"G-1": Gap(id="G-1", category="Tool", title="x").to_doc()},
        "meta": {"counters": {"G": 1}},
    }
    (workspace.root / "listen.json").write_text(json.dumps(legacy))
    store = Store(workspace)
    assert store.clip(clip.id) == clip
    assert [g.id for g in store.gaps()] == ["G-1"]
    with store.transaction() as tx:
        assert tx.next_id(Gap) == "G-2"
    assert json.loads((workspace.db_dir / "meta.json").read_text())["meta"]["schema"] == {"version": 1}
    assert not (workspace.root / "listen.json").exists()


KILL_BETWEEN_RENAMES = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from listen.domain import Gap, Action
    from listen.store import Store, database
    from listen.workspace import Workspace

    original = database._apply_renames
    def rename_one_then_die(renames):
        original(renames[:1])
        os.kill(os.getpid(), signal.SIGKILL)   # a crash after the journal, mid-way through the renames
    database._apply_renames = rename_one_then_die
    store = Store(Workspace(Path(sys.argv[1])))
    with store.transaction() as tx:
        tx.put(Gap(id="G-9", category="Tool", title="half"))
        tx.put(Action(id="A-9", title="fix", owner="Bo", due=None))
    """
)


def test_a_commit_killed_between_renames_rolls_forward(workspace: Workspace, tmp_path: Path) -> None:
    script = tmp_path / "kill.py"
    script.write_text(KILL_BETWEEN_RENAMES)
    result = subprocess.run([sys.executable, str(script), str(workspace.root)], capture_output=True)
    assert result.returncode == -9
    assert (workspace.db_dir / "journal.json").exists()
    store = Store(workspace)
    assert store.gap("G-9").title == "half"
    assert store.action("A-9").owner == "Bo"
    assert not (workspace.db_dir / "journal.json").exists()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from listen.domain import Gap, Action, Clip
    from listen.store import Store
    from listen.workspace import Workspace

    store = Store(Workspace(Path(sys.argv[1])))
    start = int(sys.argv[2])
    for n in range(start, start + 10_000):
        sha = f"{n:064x}"[::-1]
        with store.transaction() as tx:   # three files in one commit: journaled
            tx.put(Gap(id=f"G-{n}", category="Tool", title=f"gap {n}"))
            tx.put(Action(id=f"A-{n}", title=f"action {n}", owner="Bo", due=None))
            tx.put(Clip(id=sha[:10], sha256=sha, kind="text", title=f"clip {n}", source="x.txt",
                        media="", byte_size=1, channel="chat", submitted_by="Ana"))
        print(n, flush=True)   # acknowledged only after the commit returned
    """
)


def test_writers_killed_at_random_moments_lose_no_acknowledged_write(
    workspace: Workspace, tmp_path: Path
) -> None:
    import random
    import time

    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(20261123)
    acknowledged: list[int] = []
    next_n = 0
    for _ in range(25):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(workspace.root), str(next_n)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the writer is up and has committed once
        acknowledged.append(int(first))
        time.sleep(rng.uniform(0.0, 0.15))  # then kill it at a random instant
        proc.kill()
        rest, _ = proc.communicate()
        acknowledged += [int(line) for line in rest.split()]
        next_n = acknowledged[-1] + 1
        store = Store(workspace)  # must load after every crash
        gap_ids = {g.id for g in store.gaps()}
        action_ids = {a.id for a in store.actions()}
        clip_titles = {c.title for c in store.clips()}
        for n in acknowledged:
            assert f"G-{n}" in gap_ids and f"A-{n}" in action_ids and f"clip {n}" in clip_titles
        # all-or-nothing: every stored gap came with its action and clip
        assert {int(g.split("-")[1]) for g in gap_ids} == {int(a.split("-")[1]) for a in action_ids}
    assert len(acknowledged) > 25
    Store(workspace).put(Gap(id="G-last", category="Tool", title="after the kills"))
    left = [p for p in workspace.db_dir.rglob("*") if p.name.endswith(".tmp")]
    assert left == []  # the temp files of writers killed mid-write went with the next write


def test_eight_processes_submitting_at_once_lose_nothing(tmp_path: Path) -> None:
    from helpers import run_listen  # noqa: F401  (documents that the real CLI is what runs)

    ws = tmp_path / "ws"
    procs = []
    for rep in range(8):
        folder = tmp_path / f"rep{rep}"
        folder.mkdir()
        files = []
        for n in range(25):
            path = folder / f"chat {n}.txt"
            path.write_text(f"Customer: my order {rep}-{n} is late\n\nAgent: sorry about that\n")
            files.append(str(path))
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "listen",
                    "--workspace",
                    str(ws),
                    "submit",
                    "--by",
                    f"rep{rep}",
                    *files,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert out.count("text clip") == 25
    clips = Store(Workspace(ws)).clips()
    assert len(clips) == 200
    assert {c.submitted_by for c in clips} == {f"rep{r}" for r in range(8)}
    assert len({c.id for c in clips}) == 200
    for clip in clips:
        assert Store(Workspace(ws)).transcript(clip.id) is not None
    assert os.listdir(ws / "db")  # and nothing half-written was left behind
    assert not list((ws / "db").rglob("*.tmp"))


def test_folders_made_on_the_way_are_private_too(tmp_path: Path) -> None:
    from listen.workspace import make_private_dir

    tmp_path.chmod(0o755)
    make_private_dir(tmp_path / "ws" / ".cache" / "transcribing")
    for folder in (tmp_path / "ws", tmp_path / "ws" / ".cache", tmp_path / "ws" / ".cache" / "transcribing"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755  # a folder that was there is left alone
