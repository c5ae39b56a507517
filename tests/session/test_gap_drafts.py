"""A new gap typed and not created yet is a draft kept in its session, per clip."""

from __future__ import annotations

import pytest

from listen.domain import Clip
from listen.session import service
from listen.session.errors import SessionError
from listen.session.gaps import MAX_DRAFT_FIELD
from listen.store import Store


def fields(title: str, description: str = "") -> dict[str, str]:
    return {"category": "Tool", "title": title, "description": description, "severity": "3", "verdict": ""}


def test_a_draft_is_kept_per_clip_until_the_gap_is_created(store: Store, clips: list[Clip]) -> None:
    session = service.start_session(store, facilitator="Ana", clip_ids=[c.id for c in clips])
    service.save_gap_draft(store, session.id, clips[0].id[:6], fields("Refunds wait"))
    service.save_gap_draft(store, session.id, clips[1].id, fields("History", "not visible"))
    service.save_gap_draft(store, session.id, None, fields("No clip"))
    drafts = store.session(session.id).gap_drafts
    assert set(drafts) == {clips[0].id, clips[1].id, ""}  # a prefix is stored as the full id
    assert drafts[clips[0].id]["title"] == "Refunds wait" and drafts[clips[0].id]["severity"] == "3"
    service.tag_new_gap(
        store, session_id=session.id, clip_id=clips[0].id, category="Tool", title="Refunds wait"
    )
    assert set(store.session(session.id).gap_drafts) == {clips[1].id, ""}  # that draft became the gap


def test_an_empty_draft_is_none_and_hostile_fields_are_bounded(store: Store, clips: list[Clip]) -> None:
    session = service.start_session(store, facilitator="Ana", clip_ids=[clips[0].id])
    huge = "x" * (MAX_DRAFT_FIELD * 3)
    service.save_gap_draft(
        store, session.id, clips[0].id, {**fields(huge), "status": "fixed", "evil": "\x1b[2J"}
    )
    kept = store.session(session.id).gap_drafts[clips[0].id]
    assert len(kept["title"]) == MAX_DRAFT_FIELD
    assert set(kept) == {"category", "title", "description", "severity", "verdict"}
    service.save_gap_draft(store, session.id, clips[0].id, fields("  ", ""))
    assert store.session(session.id).gap_drafts == {}
    service.close_session(store, session.id)
    with pytest.raises(SessionError, match="closed"):
        service.save_gap_draft(store, session.id, clips[0].id, fields("late"))
