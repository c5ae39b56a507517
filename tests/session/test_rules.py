"""Rules kept inside the transaction that writes: one open session, one due-date rule, ids never
reused. Run on a real store; the race runs real processes against one workspace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from listen.domain import Clip
from listen.session import service
from listen.session.errors import OpenSessionError, SessionError
from listen.store import Store
from listen.workspace import resolve_workspace
from tests.helpers import REPO

RACES = 20


def test_a_second_session_is_refused_naming_the_open_one(store: Store, clips: list[Clip]) -> None:
    first = service.start_session(store, facilitator="Fran", date="2026-11-23")
    with pytest.raises(OpenSessionError, match="2026-11-23 is still open") as refused:
        service.start_session(store, facilitator="Ben", date="2026-11-23")
    assert "by Fran" in str(refused.value) and refused.value.session_id == first.id
    assert [s.id for s in Store(store.workspace).sessions()] == ["2026-11-23"]  # nothing written
    service.close_session(store, first.id)
    assert service.start_session(store, facilitator="Ben", date="2026-11-23").id == "2026-11-23-2"


RACER = """
import sys, time
from pathlib import Path
from listen.session import service
from listen.session.errors import OpenSessionError
from listen.store import Store
from listen.workspace import resolve_workspace

root, go, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
store = Store(resolve_workspace(root))
store.sessions()  # open the store before the start line, so the racers start together
while not go.exists():
    time.sleep(0.001)
try:
    session = service.start_session(store, facilitator=name, pack_name="weekly", date="2026-11-23")
except OpenSessionError as error:
    print("refused", error.session_id)
else:
    print("started", session.id)
"""


def test_racing_processes_never_open_two_sessions(tmp_path: Path) -> None:
    """Two to four processes start a session at the same instant, 20 times: exactly one wins."""
    outcomes = []
    for race in range(RACES):
        root = tmp_path / f"ws{race}"
        store = Store(resolve_workspace(root))
        store.sessions()
        go = tmp_path / f"go{race}"
        racers = 2 + race % 3
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", RACER, str(root), str(go), f"Racer{n}"],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(racers)
        ]
        go.touch()
        results = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), [err for _, err in results]
        lines = [out.strip() for out, _ in results]
        started = [line for line in lines if line.startswith("started")]
        assert len(started) == 1, lines
        winner = started[0].split()[1]
        assert all(line == f"refused {winner}" for line in lines if not line.startswith("started"))
        sessions = Store(resolve_workspace(root)).sessions()
        assert [(s.id, s.status) for s in sessions] == [(winner, "open")]
        outcomes.append(racers)
    assert len(outcomes) == RACES


def test_editing_a_due_date_keeps_the_commit_rule(store: Store, clips: list[Clip]) -> None:
    sid = service.start_session(store, facilitator="Fran", date="2026-11-23").id
    action = service.commit_action(
        store, session_id=sid, idea_id=None, title="Fix", owner="Ana", due="2026-11-30"
    )
    with pytest.raises(SessionError, match="before the session"):
        service.commit_action(store, session_id=sid, idea_id=None, title="Fix", owner="Ana", due="2026-11-20")
    with pytest.raises(SessionError, match="before the session"):
        service.update_action(store, action.id, due="2026-11-20")
    assert Store(store.workspace).action(action.id).due == "2026-11-30"  # unchanged
    # relative forms count from the session's day when it is later than today, as in commit
    import datetime as dt

    edited = service.update_action(store, action.id, due="+7d", today=dt.date(2026, 11, 23))
    assert edited.due == "2026-11-30"
    service.close_session(store, sid)
    assert (
        service.update_action(store, action.id, due="2026-12-04").due == "2026-12-04"
    )  # closed: still editable


def test_ids_are_never_reused_after_a_delete_or_a_merge(store: Store, clips: list[Clip]) -> None:
    sid = service.start_session(store, facilitator="Fran", date="2026-11-23").id
    one = service.add_idea(store, session_id=sid, text="one")
    two = service.add_idea(store, session_id=sid, text="two")
    service.delete_idea(store, two.id)
    three = service.add_idea(store, session_id=sid, text="three")
    assert (one.id, two.id, three.id) == ("I-1", "I-2", "I-3")
    g1 = service.tag_new_gap(store, session_id=sid, clip_id=clips[0].id, category="Tool", title="a")
    g2 = service.tag_new_gap(store, session_id=sid, clip_id=clips[1].id, category="Tool", title="b")
    service.merge_gaps(store, g1.id, g2.id)
    g3 = service.tag_new_gap(store, session_id=sid, clip_id=clips[1].id, category="Tool", title="c")
    assert (g1.id, g2.id, g3.id) == ("G-1", "G-2", "G-3")
    a1 = service.commit_action(store, session_id=sid, idea_id=None, title="x", owner="Ana", due="+1d")
    assert a1.id == "A-1"
    # a second process sees the same counters: it never hands out an id this one gave
    other = Store(store.workspace)
    assert service.add_idea(other, session_id=sid, text="four").id == "I-4"


def test_a_merge_can_be_undone(store: Store, clips: list[Clip]) -> None:
    sid = service.start_session(store, facilitator="Fran", date="2026-11-23").id
    keep = service.tag_new_gap(store, session_id=sid, clip_id=clips[0].id, category="Tool", title="keep")
    gone = service.tag_new_gap(
        store,
        session_id=sid,
        clip_id=clips[1].id,
        category="Tool",
        title="gone",
        severity=3,
        description="why",
    )
    idea = service.add_idea(store, session_id=sid, text="fix it", gap_ids=[gone.id])
    both = service.add_idea(store, session_id=sid, text="fix both", gap_ids=[keep.id, gone.id])
    merged = service.merge_gaps(store, keep.id, gone.id)
    assert (merged.times_seen, merged.severity, merged.description) == (2, 3, "why")
    assert [g.id for g in service.merged_into(store, keep.id)] == [gone.id]
    back = service.unmerge_gap(store, gone.id)
    fresh = Store(store.workspace)
    assert back.merged_into is None and fresh.gap(gone.id).merged_into is None
    kept = fresh.gap(keep.id)
    assert (kept.times_seen, kept.severity, kept.description) == (1, 2, "")
    assert [g.id for g in fresh.gaps()] == [keep.id, gone.id]
    assert fresh.idea(idea.id).gap_ids == [gone.id]
    assert fresh.idea(both.id).gap_ids == [keep.id, gone.id]
    with pytest.raises(SessionError, match="not merged"):
        service.unmerge_gap(store, gone.id)


def test_the_verdict_category_is_a_setting_and_renaming_it_is_never_silent(
    store: Store, clips: list[Clip]
) -> None:
    from listen.errors import SettingsError
    from listen.settings import load_settings

    path = store.workspace.settings_path
    path.write_text('gap_categories = ["Rules", "Tool"]\n', encoding="utf-8")
    with pytest.raises(
        SettingsError, match="'verdict_category' is 'Policy', which is not one of gap_categories"
    ):
        load_settings(path)
    path.write_text('gap_categories = ["Rules", "Tool"]\nverdict_category = "rules"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.carries_verdict("Rules") and not settings.carries_verdict("Policy")
    sid = service.start_session(store, facilitator="Fran", date="2026-11-23").id
    gap = service.tag_new_gap(
        store, session_id=sid, clip_id=clips[0].id, category="rules", title="14 days", verdict="rephrase"
    )
    assert (gap.category, gap.verdict) == ("Rules", "rephrase")
    with pytest.raises(SessionError, match="a verdict is for rules gaps only, not Tool"):
        service.tag_new_gap(
            store, session_id=sid, clip_id=clips[0].id, category="Tool", title="x", verdict="eliminate"
        )
    assert service.update_gap(store, gap.id, category="Tool").verdict is None  # leaves the verdict category
    path.write_text('gap_categories = ["Rules", "Tool"]\nverdict_category = ""\n', encoding="utf-8")
    with pytest.raises(SessionError, match="a verdict is for no category here"):
        service.update_gap(store, gap.id, category="Rules", verdict="rephrase")


def test_the_service_takes_its_clock_from_the_caller(store: Store, clips: list[Clip]) -> None:
    """Every time the service writes comes from the caller's clock (here a fixed one), and the
    session's date and relative due dates count from it: no timestamps to rewrite afterwards."""
    import datetime as dt

    when = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    at = when.isoformat(timespec="milliseconds")

    def now() -> dt.datetime:
        return when

    session = service.start_session(store, facilitator="Fran", now=now)
    assert (session.id, session.started_at) == ("2026-11-23", at)
    service.mark_quote(store, session.id, clips[0].id, None, None, "refund", now=now)
    gap = service.tag_new_gap(
        store, session_id=session.id, clip_id=clips[0].id, category="Tool", title="t", now=now
    )
    linked = service.link_gap(store, gap.id, session_id=session.id, clip_id=clips[1].id, now=now)
    idea = service.add_idea(store, session_id=session.id, text="fix", gap_ids=[gap.id], now=now)
    action = service.commit_action(
        store, session_id=session.id, idea_id=idea.id, title="", owner="Ana", due="+7d", now=now
    )
    service.close_session(store, session.id, now=now)
    nxt = service.start_session(store, facilitator="Fran", date="2026-11-30", now=now)
    service.follow_up(store, nxt.id, action.id, "done", now=now)
    fresh = Store(store.workspace)
    assert fresh.session(session.id).quotes[0].marked_at == at
    assert fresh.session(session.id).ended_at == at
    assert {gap.created_at, *(k.linked_at for k in linked.links), idea.created_at, action.created_at} == {at}
    assert action.due == "2026-11-30"
    done = fresh.action(action.id)
    assert (done.closed_at, done.follow_ups[0].at) == (at, at)
    assert fresh.minutes_record(session.id).frozen_at == at  # type: ignore[union-attr]
