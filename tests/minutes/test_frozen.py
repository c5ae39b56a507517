"""A closed session's minutes are frozen: what later happens to its gaps and actions changes the
next session's minutes and the report, never the record of that day."""

from __future__ import annotations

from pathlib import Path

from helpers import run_listen

from listen.domain import MinutesRecord
from listen.ingest.submit import submit_file
from listen.minutes import build_minutes
from listen.session import service
from listen.settings import Settings
from listen.store import Store
from listen.workspace import Workspace


def _meeting(store: Store, tmp_path: Path) -> str:
    clips = []
    for name, text in {
        "refund.txt": "Customer: I want a refund.\n\nAgent: I need a manager to approve.",
        "order.txt": "Customer: Where is my order?\n\nAgent: I cannot see your order history.",
    }.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        clips.append(submit_file(store, path, submitted_by="Ana").clip)
    sid = service.start_session(store, facilitator="Fran", attendees=["Ana"], date="2026-11-16").id
    service.tag_new_gap(
        store,
        session_id=sid,
        clip_id=clips[0].id,
        category="Policy",
        title="Refunds need a manager (mail boss@example.com)",
    )
    service.tag_new_gap(store, session_id=sid, clip_id=clips[1].id, category="Tool", title="No order history")
    service.tag_new_gap(
        store, session_id=sid, clip_id=clips[1].id, category="Tool", title="Order search is slow"
    )
    service.commit_action(
        store, session_id=sid, idea_id=None, title="Show order history", owner="Ana", due="2026-11-23"
    )
    service.close_session(store, sid)
    return sid


def _export(workspace: Workspace, sid: str, *extra: str) -> str:
    result = run_listen("--workspace", workspace.root, "export", sid, "-o", "-", *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_later_merges_renames_and_due_dates_leave_the_minutes_unchanged(
    store: Store, workspace: Workspace, tmp_path: Path
) -> None:
    sid = _meeting(store, tmp_path)
    before = _export(workspace, sid)
    assert "Order search is slow" in before and "2026-11-23" in before
    service.merge_gaps(store, "G-2", "G-3")
    service.update_gap(store, "G-2", title="Order history is hidden from reps")
    service.update_action(store, "A-1", due="2026-12-18")
    service.set_gap_status(store, "G-1", "fixed")
    after = _export(workspace, sid)
    assert after == before  # byte for byte
    html_before = _export(workspace, sid, "--format", "html")
    service.update_gap(store, "G-1", title="Renamed again")
    assert _export(workspace, sid, "--format", "html") == html_before
    # the current state shows where it belongs: the next session following the action up
    nxt = service.start_session(store, facilitator="Fran", date="2026-11-23").id
    service.follow_up(store, nxt, "A-1", "carried")
    live = build_minutes(Store(workspace), Settings(), nxt)
    assert [(f.action_id, f.due) for f in live.follow_ups] == [("A-1", "2026-12-18")]


def test_redaction_options_still_apply_to_a_frozen_session(
    store: Store, workspace: Workspace, tmp_path: Path
) -> None:
    sid = _meeting(store, tmp_path)
    record = Store(workspace).minutes_record(sid)
    assert record is not None and record.frozen_by == "close"
    assert "boss@example.com" in str(record.tables["gaps"])  # stored as said, redacted at export
    assert "boss" not in _export(workspace, sid)
    assert "boss\\@example.com" in _export(workspace, sid, "--no-redact")  # Markdown-escaped


def test_reopen_then_close_freezes_the_corrected_minutes(
    store: Store, workspace: Workspace, tmp_path: Path
) -> None:
    sid = _meeting(store, tmp_path)
    service.update_gap(store, "G-2", title="Order history is hidden from reps")
    assert "Order history is hidden" not in _export(workspace, sid)
    other = service.start_session(store, facilitator="Ben", date="2026-11-20").id
    refused = run_listen("--workspace", workspace.root, "session", "reopen", sid)
    assert refused.returncode != 0 and f"session {other} is still open (started by Ben" in refused.stderr
    service.close_session(store, other)
    reopened = run_listen("--workspace", workspace.root, "session", "reopen", sid)
    assert reopened.returncode == 0 and "reopened" in reopened.stdout, reopened.stderr
    assert Store(workspace).session(sid).status == "open"
    assert Store(workspace).minutes_record(sid) is None
    service.update_action(store, "A-1", due="2026-11-27")
    service.close_session(store, sid)
    corrected = _export(workspace, sid)
    assert "Order history is hidden" in corrected and "2026-11-27" in corrected
    service.update_action(store, "A-1", due="2026-12-31")
    assert _export(workspace, sid) == corrected
    listing = run_listen("--workspace", workspace.root, "session", "list")
    assert f"{sid}  closed (minutes frozen)" in listing.stdout


def test_a_session_closed_before_records_is_frozen_at_its_first_export(
    store: Store, workspace: Workspace, tmp_path: Path
) -> None:
    sid = _meeting(store, tmp_path)
    with store.transaction() as tx:  # what a workspace closed by an older listen looks like
        tx.delete(MinutesRecord, sid)
    first = _export(workspace, sid)
    record = Store(workspace).minutes_record(sid)
    assert record is not None and record.frozen_by == "first-export"
    service.merge_gaps(store, "G-2", "G-3")
    service.update_action(store, "A-1", due="2026-12-18")
    assert _export(workspace, sid) == first


def test_each_record_is_its_own_small_file(store: Store, workspace: Workspace, tmp_path: Path) -> None:
    """A close writes only its own record; earlier sessions appear in it by date and cohesion only."""
    first = _meeting(store, tmp_path)
    second = service.start_session(store, facilitator="Fran", date="2026-11-23").id
    service.save_story_check(store, second, {"Ana": "refunds wait for a manager", "Fran": "refunds wait"})
    service.close_session(store, second)
    third = service.start_session(store, facilitator="Fran", date="2026-11-30").id
    service.close_session(store, third)
    files = sorted(p.name for p in (workspace.root / "db" / "minutes").iterdir() if p.suffix == ".json")
    assert files == [f"{first}.json", f"{second}.json", f"{third}.json"]
    record = Store(workspace).minutes_record(third)
    assert record is not None
    earlier = record.tables["sessions"][second]
    assert earlier["story_check"] == {"cohesion": Store(workspace).session(second).story_check.cohesion}  # type: ignore[union-attr]
    assert "refunds wait" not in str(record.tables["sessions"])
