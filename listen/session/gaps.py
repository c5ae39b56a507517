"""Gaps: tag, link and unlink, edit, status, merge and undo a merge.

Part of the session service (``listen.session.service``): each function is one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listen.domain import (
    GAP_STATUSES,
    Gap,
    GapLink,
    Now,
    Session,
    stamp,
)
from listen.errors import NotFoundError
from listen.session.checks import (
    MAX_TITLE,
    _category,
    _open,
    _opt,
    _required,
    _resolve_gap,
    _same_link,
    _settings,
    _severity,
    _unique,
    _verdict,
)
from listen.session.errors import SessionError
from listen.settings import Settings

if TYPE_CHECKING:
    from listen.session.reads import SessionReuse
    from listen.store import Store
    from listen.store.store import View


def tag_new_gap(
    store: Store,
    *,
    session_id: str | None,
    clip_id: str | None,
    category: str,
    title: str,
    description: str = "",
    severity: int = 2,
    verdict: str | None = None,
    at: float | None = None,
    quote: str | None = None,
    by: str | None = None,
    settings: Settings | None = None,
    now: Now | None = None,
) -> Gap:
    """Create a gap seen in ``clip_id`` (at ``at`` seconds / the ``quote``) during the session.

    ``category`` must be one of the workspace's ``gap_categories`` (matched ignoring case, stored as
    spelled there); ``verdict`` (eliminate | rephrase | initiate) is for Policy gaps only.
    """
    settings = settings or _settings(store)
    canonical = _category(category, settings.gap_categories)
    gap_title = _required(title, "the gap's title")[:MAX_TITLE]
    with store.transaction() as tx:
        full_clip = tx.clip(clip_id).id if clip_id else None
        if session_id is not None:
            session = _open(tx, session_id)
            if session.gap_drafts.pop(full_clip or "", None) is not None:  # the draft became this gap
                tx.put(session)
        gap = Gap(
            id=tx.next_id(Gap),
            category=canonical,
            title=gap_title,
            description=description.strip(),
            severity=_severity(severity),
            verdict=_verdict(canonical, verdict, settings),  # type: ignore[arg-type]
            created_by=(by or "").strip() or None,
            created_at=stamp(now),
        )
        if full_clip or session_id:
            gap.links.append(
                GapLink(
                    clip_id=full_clip,
                    session_id=session_id,
                    at=at,
                    quote=_opt(quote),
                    linked_at=gap.created_at,
                )
            )
        tx.put(gap)
    return gap


DRAFT_FIELDS = ("category", "title", "description", "severity", "verdict")
MAX_DRAFT_FIELD = 10_000  # characters kept of each field of a draft (a description's limit too)


def save_gap_draft(
    store: Store, session_id: str, clip_id: str | None, fields: dict[str, str] | None
) -> Session:
    """Keep a new gap's fields as typed, before the gap is created (``tag_new_gap`` takes the
    draft away). A draft with neither title nor description (or ``None``) is no draft: removed.
    Only the known fields are kept, each at most MAX_DRAFT_FIELD characters."""
    kept = {
        name: str(value)[:MAX_DRAFT_FIELD]
        for name, value in (fields or {}).items()
        if name in DRAFT_FIELDS and isinstance(value, str)
    }
    empty = not (kept.get("title", "").strip() or kept.get("description", "").strip())
    with store.transaction() as tx:
        session = _open(tx, session_id)
        key = tx.clip(clip_id).id if clip_id else ""
        if empty:
            if session.gap_drafts.pop(key, None) is None:
                return session
        elif session.gap_drafts.get(key) == kept:
            return session
        else:
            session.gap_drafts[key] = kept
        tx.put(session)
    return session


def link_gap(
    store: Store,
    gap_id: str,
    *,
    session_id: str | None,
    clip_id: str | None,
    at: float | None = None,
    quote: str | None = None,
    now: Now | None = None,
) -> Gap:
    """Record that an existing gap showed up again (times seen + 1). A gap that was merged away
    resolves to the gap it was merged into. The same clip, session and moment is linked once."""
    with store.transaction() as tx:
        if session_id is not None:
            _open(tx, session_id)
        gap = _resolve_gap(tx, gap_id)
        full_clip = tx.clip(clip_id).id if clip_id else None
        link = GapLink(
            clip_id=full_clip, session_id=session_id, at=at, quote=_opt(quote), linked_at=stamp(now)
        )
        if not any(_same_link(link, old) for old in gap.links):
            gap.links.append(link)
            tx.put(gap)
    return gap


def unlink_gap(store: Store, gap_id: str, *, session_id: str, clip_id: str | None) -> Gap:
    """Undo this session's links of the gap to the clip (a mistaken tag)."""
    with store.transaction() as tx:
        _open(tx, session_id)
        gap = _resolve_gap(tx, gap_id)
        full_clip = tx.clip(clip_id).id if clip_id else None
        kept = [k for k in gap.links if not (k.session_id == session_id and k.clip_id == full_clip)]
        if len(kept) != len(gap.links):
            gap.links = kept
            tx.put(gap)
    return gap


def update_gap(
    store: Store,
    gap_id: str,
    *,
    title: str | None = None,
    description: str | None = None,
    category: str | None = None,
    severity: int | None = None,
    verdict: str | None = None,
    settings: Settings | None = None,
) -> Gap:
    """Edit a gap's fields (None leaves a field as it is; ``verdict=""`` clears the verdict)."""
    settings = settings or _settings(store)
    with store.transaction() as tx:
        gap = _resolve_gap(tx, gap_id)
        if title is not None:
            gap.title = _required(title, "the gap's title")[:MAX_TITLE]
        if description is not None:
            gap.description = description.strip()
        if category is not None:
            gap.category = _category(category, settings.gap_categories)
        if severity is not None:
            gap.severity = _severity(severity)
        if verdict is not None:
            gap.verdict = _verdict(gap.category, verdict or None, settings)  # type: ignore[assignment]
        elif not settings.carries_verdict(gap.category):
            gap.verdict = None
        tx.put(gap)
    return gap


def set_gap_status(store: Store, gap_id: str, status: str) -> Gap:
    """open | fixing | fixed | wont-fix."""
    if status not in GAP_STATUSES:
        raise SessionError(f"{gap_id}: status must be one of {', '.join(GAP_STATUSES)}, not '{status}'")
    with store.transaction() as tx:
        gap = _resolve_gap(tx, gap_id)
        gap.status = status  # type: ignore[assignment]
        tx.put(gap)
    return gap


def merge_gaps(store: Store, keep_id: str, merge_id: str) -> Gap:
    """Fold gap ``merge_id`` into ``keep_id``: its links move over (times seen add up), ideas and
    actions that pointed at it point at the kept gap, and it stays on record with ``merged_into``
    set (the ledger hides it). The kept gap takes the higher severity and, if it had none, the
    other's description."""
    with store.transaction() as tx:
        keep = _resolve_gap(tx, keep_id)
        gone = tx.gap(merge_id)
        if gone.merged_into is not None:
            raise SessionError(f"{merge_id}: already merged into {gone.merged_into}")
        if gone.id == keep.id:
            raise SessionError(f"{keep_id}: cannot merge a gap into itself")
        before = {"severity": keep.severity, "description": keep.description, "verdict": keep.verdict}
        moved = []
        for link in gone.links:
            if not any(_same_link(link, old) for old in keep.links):
                keep.links.append(link)
                moved.append(list(link.key))
        keep.links.sort(key=lambda link: link.linked_at)
        keep.severity = max(keep.severity, gone.severity)
        if not keep.description and gone.description:
            keep.description = gone.description
        if keep.verdict is None and keep.category == gone.category:
            keep.verdict = gone.verdict
        after = {"severity": keep.severity, "description": keep.description, "verdict": keep.verdict}
        ideas: dict[str, list[str]] = {}
        for idea in tx.ideas():
            if gone.id in idea.gap_ids:
                ideas[idea.id] = list(idea.gap_ids)
                idea.gap_ids = _unique(keep.id if g == gone.id else g for g in idea.gap_ids)
                tx.put(idea)
        actions = []
        for action in tx.actions():
            if action.origin_kind == "gap" and action.origin_id == gone.id:
                action.origin_id = keep.id
                actions.append(action.id)
                tx.put(action)
        gone.merged_into = keep.id
        gone.merge_undo = {
            "links": moved,
            "before": before,
            "after": after,
            "ideas": ideas,
            "actions": actions,
        }
        tx.put(keep)
        tx.put(gone)
    return keep


def merged_into(store: View, gap_id: str) -> list[Gap]:
    """The gaps merged straight into ``gap_id`` (each can be split out again by ``unmerge_gap``)."""
    return [g for g in store.gaps(include_merged=True) if g.merged_into == gap_id]


def unmerge_gap(store: Store, gap_id: str) -> Gap:
    """Undo ``merge_gaps``: the merged gap is back on the ledger with its links, ideas and actions
    that pointed at it point at it again, and the kept gap loses what the merge gave it (its
    severity, description and verdict go back unless changed since). Returns the gap split out."""
    with store.transaction() as tx:
        gone = tx.gap(gap_id)
        if gone.merged_into is None:
            raise SessionError(f"{gap_id}: not merged into another gap")
        undo = gone.merge_undo
        if not undo:
            raise SessionError(
                f"{gap_id}: merged by an older listen that did not keep what the merge changed"
            )
        keep = tx.gap(gone.merged_into)
        if keep.merged_into is not None:
            raise SessionError(
                f"{gap_id}: {keep.id} was merged into {keep.merged_into} since; split that out first"
            )
        moved = {tuple(key) for key in undo.get("links", [])}
        keep.links = [link for link in keep.links if link.key not in moved]
        for name, value in undo.get("before", {}).items():
            if getattr(keep, name) == undo.get("after", {}).get(name):
                setattr(keep, name, value)
        for idea_id, gap_ids in undo.get("ideas", {}).items():
            try:
                idea = tx.idea(idea_id)
            except NotFoundError:  # deleted since
                continue
            if keep.id in idea.gap_ids and gap_id not in idea.gap_ids:
                idea.gap_ids = (
                    _unique([*idea.gap_ids, gap_id])
                    if keep.id in gap_ids
                    else [gap_id if g == keep.id else g for g in idea.gap_ids]
                )
                tx.put(idea)
        for action_id in undo.get("actions", []):
            try:
                action = tx.action(action_id)
            except NotFoundError:
                continue
            if action.origin_kind == "gap" and action.origin_id == keep.id:
                action.origin_id = gap_id
                tx.put(action)
        gone.merged_into = None
        gone.merge_undo = {}
        tx.put(keep)
        tx.put(gone)
    return gone


def gaps_in_session(store: View, session_id: str, *, reuse: SessionReuse | None = None) -> list[Gap]:
    """The gaps tagged or linked in this session, in the order first linked (the same moment,
    as under a caller's stopped clock: in id order, G-9 before G-10). With ``reuse``, unchanged
    gaps are the objects of the reader's last read (see SessionReuse)."""
    gaps = store.gaps(reuse=reuse.gaps if reuse is not None else None)
    found = [g for g in gaps if any(k.session_id == session_id for k in g.links)]
    return sorted(
        found,
        key=lambda g: (min(k.linked_at for k in g.links if k.session_id == session_id), len(g.id), g.id),
    )


def gaps_for_clip(
    store: View, clip_id: str, session_id: str | None = None, *, reuse: SessionReuse | None = None
) -> list[Gap]:
    """The gaps linked to a clip (in one session, when given)."""
    return [
        gap
        for gap in store.gaps(reuse=reuse.gaps if reuse is not None else None)
        if any(k.clip_id == clip_id and session_id in (None, k.session_id) for k in gap.links)
    ]
