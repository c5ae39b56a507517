"""What a running session does to the workspace: plain functions over the Store.

Every function that changes data runs one transaction (the cross-process lock is held only for
that call), so a change is saved the moment it is made and nothing is lost if the terminal
closes. Each returns the updated domain object(s), read back inside the same transaction.

Rules kept here, whatever the UI does:
- a closed session is read-only (``SessionError``);
- gap categories come from ``listen.toml`` (``gap_categories``); only gaps of its
  ``verdict_category`` (Policy by default) carry a verdict;
- a linked or merged-away gap resolves to the gap it was merged into;
- dot votes stay within each attendee's budget (``voting.vote_budget``), across the session;
- an action always has an owner and a due date; a session with picked ideas that have no action
  does not close (``OrphanError``) unless forced;
- follow-ups: ``done`` and ``dropped`` close an action, ``carried`` keeps it open so the next session
  follows it up again. Deciding again in the same session replaces the earlier decision.

The functions live by aggregate in ``sessions``, ``follow_ups``, ``quotes``, ``gaps``, ``ideas``,
``actions`` and ``story_check`` (shared checks in ``checks``); this module gathers them, so callers
keep writing ``service.start_session(...)``.
"""

from __future__ import annotations

from listen.session.actions import (
    action_due,
    commit_action,
    session_actions,
    set_action_status,
    unassigned_picks,
    update_action,
)
from listen.session.checks import MAX_TITLE, AttendeeLike
from listen.session.follow_ups import (
    actions_to_follow_up,
    follow_up,
    follow_up_in,
)
from listen.session.gaps import (
    gaps_for_clip,
    gaps_in_session,
    link_gap,
    merge_gaps,
    merged_into,
    save_gap_draft,
    set_gap_status,
    tag_new_gap,
    unlink_gap,
    unmerge_gap,
    update_gap,
)
from listen.session.ideas import (
    add_idea,
    bring_forward_idea,
    cast_vote,
    delete_idea,
    earlier_ideas,
    edit_idea,
    pick_idea,
    ranked_ideas,
    set_impact_effort,
    vote_budget,
    votes_left,
)
from listen.session.quotes import (
    delete_quote,
    mark_quote,
)
from listen.session.sessions import (
    NEXT_SESSION_PICKS,
    add_attendee,
    add_clip,
    add_note,
    close_session,
    heard_in,
    next_session_picks,
    open_session,
    remove_clip,
    reopen_session,
    save_progress,
    set_next_session_picks,
    start_session,
    unheard_clips,
    waits_to_be_heard,
)
from listen.session.story_check import (
    save_story_check,
    story_trend,
)

__all__ = [
    "MAX_TITLE",
    "NEXT_SESSION_PICKS",
    "AttendeeLike",
    "action_due",
    "actions_to_follow_up",
    "add_attendee",
    "add_clip",
    "add_idea",
    "add_note",
    "bring_forward_idea",
    "cast_vote",
    "close_session",
    "commit_action",
    "delete_idea",
    "delete_quote",
    "earlier_ideas",
    "edit_idea",
    "follow_up",
    "follow_up_in",
    "gaps_for_clip",
    "gaps_in_session",
    "heard_in",
    "link_gap",
    "mark_quote",
    "merge_gaps",
    "merged_into",
    "next_session_picks",
    "open_session",
    "pick_idea",
    "ranked_ideas",
    "remove_clip",
    "reopen_session",
    "save_gap_draft",
    "save_progress",
    "save_story_check",
    "session_actions",
    "set_action_status",
    "set_gap_status",
    "set_impact_effort",
    "set_next_session_picks",
    "start_session",
    "story_trend",
    "tag_new_gap",
    "unassigned_picks",
    "unheard_clips",
    "unlink_gap",
    "unmerge_gap",
    "update_action",
    "update_gap",
    "vote_budget",
    "votes_left",
    "waits_to_be_heard",
]
