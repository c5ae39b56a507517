"""The frozen record of a closed session: what its minutes are built from, as it was at close.

When a session closes, the documents its minutes read (the session, the sessions before it, the
gaps tagged in it with the gaps merged into them, its ideas, the actions it committed or followed
up, the clips it heard) and the settings that shape the minutes (gap categories, members) are
stored in the same transaction (``db/minutes/<session id>.json``). ``build_minutes`` of a closed session reads
that record, not today's workspace, so ``listen export`` gives the same document whatever happens
to those gaps and actions later (merges, renames, new due dates). Nothing is redacted in the
record: redaction and anonymisation are applied when the minutes are built, so the options of
each export still apply.

A session closed by a listen that kept no record gets one at its first export (see the README):
its state at close is lost, and from that export on the document no longer changes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from listen.domain import Gap, MinutesRecord, Now, Session, stamp
from listen.errors import ListenError
from listen.settings import Member, Settings
from listen.store import View
from listen.store.store import MemoryView, Transaction

# Of the sessions before this one, the minutes read only their place in time and the story
# check's cohesion (the trend): the rest is left out, so a record stays small after years of meetings.
EARLIER_SESSION_KEYS = ("id", "date", "started_at", "status")


def minutes_tables(view: View, session: Session) -> dict[str, dict[str, dict[str, Any]]]:
    """Every document ``build_minutes`` reads for ``session``, as ``table -> id -> doc``."""
    from listen.minutes.model import fold_merged, gap_targets, ordered_clips

    timeline = [s for s in view.sessions() if (s.date, s.started_at, s.id) <= _order(session)]
    sessions = {s.id: _earlier(s) for s in timeline}
    sessions[session.id] = session.to_doc()
    every_gap = view.gaps(include_merged=True)
    here = {g.id for g in fold_merged(every_gap) if any(k.session_id == session.id for k in g.links)}
    targets = gap_targets(every_gap)
    gaps: list[Gap] = [g for g in every_gap if targets.get(g.id) in here]
    dates = {s.id: s.date for s in timeline}
    actions = [  # committed or followed up here, or committed before (open then: "not discussed")
        a
        for a in view.actions()
        if a.session_id == session.id
        or any(f.session_id == session.id for f in a.follow_ups)
        or dates.get(a.session_id or "", a.created_at[:10]) < session.date
    ]
    clips = {}
    for clip_id in ordered_clips(session, gaps):
        try:
            clip = view.clip(clip_id)
        except Exception:  # a clip no longer in the workspace: the minutes say so
            continue
        if clip.id == clip_id:
            clips[clip.id] = clip.to_doc()
    return {
        "sessions": sessions,
        "gaps": {g.id: g.to_doc() for g in gaps},
        "ideas": {i.id: i.to_doc() for i in view.ideas(session.id)},
        "actions": {a.id: a.to_doc() for a in actions},
        "clips": clips,
    }


def _earlier(session: Session) -> dict[str, Any]:
    doc = {k: v for k, v in session.to_doc().items() if k in EARLIER_SESSION_KEYS}
    if session.story_check is not None and session.story_check.cohesion is not None:
        doc["story_check"] = {"cohesion": session.story_check.cohesion}
    return doc


def _order(session: Session) -> tuple[str, str, str]:
    return (session.date, session.started_at, session.id)


def freeze(
    tx: Transaction, settings: Settings, session: Session, *, frozen_by: str = "close", now: Now | None = None
) -> MinutesRecord:
    """Store the record of ``session`` in the transaction ``tx`` (replacing an older one)."""
    record = MinutesRecord(
        id=session.id,
        tables=minutes_tables(tx, session),
        settings={
            "gap_categories": list(settings.gap_categories),
            "members": [{"name": m.name, "role": m.role} for m in settings.members],
        },
        frozen_by=frozen_by,
        frozen_at=stamp(now),
    )
    tx.put(record)
    return record


def frozen_source(store: View, settings: Settings, session: Session) -> tuple[View, Settings]:
    """Where a closed session's minutes come from: its record (made now, for a session closed
    before records existed, when ``store`` can write) and the settings frozen with it."""
    record = store.minutes_record(session.id)
    if record is None:
        from listen.store import Store

        if not isinstance(store, Store) or settings.demo:
            return store, settings
        try:
            with store.transaction() as tx:
                record = tx.minutes_record(session.id) or freeze(
                    tx, settings, tx.session(session.id), frozen_by="first-export"
                )
        except (ListenError, OSError):  # a read-only workspace can still be exported: as it is now
            return store, settings
    return MemoryView(record.tables), _frozen_settings(record, settings)


def _frozen_settings(record: MinutesRecord, settings: Settings) -> Settings:
    frozen = record.settings
    changes: dict[str, Any] = {}
    if "gap_categories" in frozen:
        changes["gap_categories"] = tuple(str(c) for c in frozen["gap_categories"])
    if "members" in frozen:
        changes["members"] = tuple(Member(name=m["name"], role=m.get("role", "")) for m in frozen["members"])
    return dataclasses.replace(settings, **changes)
