"""The session service on a real store in a temporary workspace: every change is saved at once."""

from __future__ import annotations

import datetime as dt

import pytest

from listen.domain import Attendee, Clip
from listen.errors import NotFoundError
from listen.session import service
from listen.session.agenda import Agenda
from listen.session.errors import OrphanError, PackError, SessionError, VoteBudgetError
from listen.session.packs import load_pack
from listen.store import Store
from listen.workspace import Workspace

from .conftest import FakeClock


def reopen(store: Store) -> Store:
    """A second Store on the same folder: what another process (or a restart) would read."""
    return Store(store.workspace)


def start(store: Store, clips: list[Clip], date: str = "2026-11-23", **kw: object) -> str:
    session = service.start_session(
        store,
        facilitator="Fran",
        attendees=["Ana", ("Ben", "sales"), Attendee("ana", "support")],
        pack_name="weekly",
        clip_ids=[c.id[:6] for c in clips],
        date=date,
        **kw,  # type: ignore[arg-type]
    )
    return session.id


def test_start_session_saves_attendees_clips_and_pack(store: Store, clips: list[Clip]) -> None:
    sid = start(store, clips)
    saved = reopen(store).session(sid)
    assert sid == "2026-11-23"
    assert [(a.name, a.role) for a in saved.attendees] == [
        ("Fran", "facilitator"),
        ("Ana", "support"),
        ("Ben", "sales"),
    ]
    assert saved.clip_ids == [c.id for c in clips]  # prefixes stored in full
    assert saved.prompt_pack == "weekly" and saved.status == "open"
    assert service.open_session(reopen(store)).id == sid  # type: ignore[union-attr]
    service.close_session(store, sid)
    second = service.start_session(store, facilitator="Fran", date="2026-11-23")
    assert second.id == "2026-11-23-2"


def test_start_session_refuses_bad_input(store: Store, workspace: Workspace, clips: list[Clip]) -> None:
    with pytest.raises(SessionError, match="facilitator"):
        service.start_session(store, facilitator="  ")
    with pytest.raises(NotFoundError):
        service.start_session(store, facilitator="Fran", clip_ids=["ffffffff"])
    with pytest.raises(SessionError, match="not a date"):
        service.start_session(store, facilitator="Fran", date="23/11/2026")
    workspace.prompts_dir.mkdir()
    (workspace.prompts_dir / "bad.md").write_text("# Bad\n\n## S\nkind: nope\n")
    with pytest.raises(PackError, match="line 4"):
        service.start_session(store, facilitator="Fran", pack_name="bad")
    assert store.sessions() == []  # nothing was written


def test_default_pack_comes_from_settings(store: Store, workspace: Workspace) -> None:
    workspace.settings_path.write_text('prompt_pack = "quick"\n[[members]]\nname = "Fran"\nrole = "owner"\n')
    session = service.start_session(store, facilitator="Fran")
    assert session.prompt_pack == "quick"
    assert session.attendees[0].role == "owner"  # the facilitator's role from listen.toml


def test_attendees_clips_notes_and_progress(store: Store, clips: list[Clip], clock: FakeClock) -> None:
    sid = service.start_session(store, facilitator="Fran", clip_ids=[clips[0].id], date="2026-11-23").id
    service.add_attendee(store, sid, "Cleo", "warehouse")
    service.add_attendee(store, sid, "cleo")  # already there: unchanged
    service.add_clip(store, sid, clips[1].id)
    service.add_note(store, sid, "Great turnout")
    agenda = Agenda.for_session(load_pack("weekly"), reopen(store).session(sid), now=clock)
    assert agenda.clip_ids == [clips[0].id, clips[1].id]
    clock.advance(75)
    agenda.next()
    service.save_progress(store, sid, *agenda.snapshot())
    saved = reopen(store).session(sid)
    assert [a.name for a in saved.attendees] == ["Fran", "Cleo"]
    assert saved.attendees[1].role == "warehouse"
    assert saved.notes == ["Great turnout"]
    assert saved.step_index == 1 and saved.step_seconds == {"stage": 75.0}
    service.remove_clip(store, sid, clips[1].id)
    assert reopen(store).session(sid).clip_ids == [clips[0].id]
    with pytest.raises(SessionError):
        service.save_progress(store, sid, -1, {})


def test_follow_up_closes_or_carries_actions(store: Store, clips: list[Clip]) -> None:
    last = start(store, clips, date="2026-11-16")
    kept = service.commit_action(
        store, session_id=last, idea_id=None, title="Fix the refund form", owner="Ben", due="2026-11-30"
    )
    done = service.commit_action(
        store, session_id=last, idea_id=None, title="Call the courier", owner="Ana", due="2026-11-20"
    )
    dropped = service.commit_action(
        store, session_id=last, idea_id=None, title="Print flyers", owner="Ana", due="2026-11-20"
    )
    service.close_session(store, last)
    now = start(store, clips, date="2026-11-23")
    assert [a.id for a in service.actions_to_follow_up(store, now)] == [kept.id, done.id, dropped.id]

    assert service.follow_up(store, now, done.id, "done", "courier agreed").status == "done"
    assert service.follow_up(store, now, dropped.id, "dropped").status == "dropped"
    carried = service.follow_up(store, now, kept.id, "carried", "waiting on IT")
    assert carried.status == "open" and carried.closed_at is None

    read = reopen(store)
    assert read.action(done.id).closed_at is not None
    assert read.action(done.id).follow_ups[0].note == "courier agreed"
    # the step still lists what it decided, with its decision
    listed = service.actions_to_follow_up(read, now)
    assert [service.follow_up_in(a, now).outcome for a in listed] == ["carried", "done", "dropped"]  # type: ignore[union-attr]

    # deciding again replaces this session's decision
    service.follow_up(store, now, done.id, "carried")
    again = reopen(store).action(done.id)
    assert again.status == "open" and [f.outcome for f in again.follow_ups] == ["carried"]
    with pytest.raises(SessionError, match="outcome must be one of"):
        service.follow_up(store, now, done.id, "maybe")

    # a carried action comes back the following week
    service.close_session(store, now)
    week3 = start(store, clips, date="2026-11-30")
    assert {a.id for a in service.actions_to_follow_up(store, week3)} == {kept.id, done.id}


def test_actions_of_this_session_are_not_followed_up_here(store: Store, clips: list[Clip]) -> None:
    sid = start(store, clips)
    action = service.commit_action(store, session_id=sid, idea_id=None, title="x", owner="Ana", due="+7d")
    assert service.actions_to_follow_up(store, sid) == []
    with pytest.raises(SessionError, match="committed in this session"):
        service.follow_up(store, sid, action.id, "done")


def test_mark_quote_and_delete(store: Store, clips: list[Clip]) -> None:
    sid = service.start_session(store, facilitator="Fran", date="2026-11-23").id
    quote = service.mark_quote(store, sid, clips[0].id, 12.5, 10.0, "  I need a manager  ", "agent")
    assert (quote.start, quote.end, quote.text) == (10.0, 12.5, "I need a manager")
    saved = reopen(store).session(sid)
    assert saved.quotes[0].clip_id == clips[0].id and saved.quotes[0].speaker == "agent"
    assert saved.clip_ids == [clips[0].id]  # a quoted clip was played
    with pytest.raises(SessionError):
        service.mark_quote(store, sid, clips[0].id, None, None, " ")
    service.delete_quote(store, sid, 0)
    assert reopen(store).session(sid).quotes == []
    with pytest.raises(NotFoundError):
        service.delete_quote(store, sid, 0)


def test_tag_new_gap_checks_category_severity_and_verdict(store: Store, clips: list[Clip]) -> None:
    sid = start(store, clips)
    gap = service.tag_new_gap(
        store,
        session_id=sid,
        clip_id=clips[0].id,
        category="policy",
        title="Refunds need a manager",
        description="Any refund waits for approval",
        severity=3,
        verdict="rephrase",
        at=12.0,
        quote="I need a manager",
        by="Ana",
    )
    saved = reopen(store).gap(gap.id)
    assert saved.category == "Policy" and saved.verdict == "rephrase" and saved.severity == 3
    assert saved.times_seen == 1 and saved.links[0].at == 12.0 and saved.links[0].session_id == sid
    assert saved.created_by == "Ana"
    with pytest.raises(SessionError, match="unknown gap category 'Weather'"):
        service.tag_new_gap(store, session_id=sid, clip_id=None, category="Weather", title="x")
    with pytest.raises(SessionError, match="Policy gaps only"):
        service.tag_new_gap(
            store, session_id=sid, clip_id=None, category="Tool", title="x", verdict="eliminate"
        )
    with pytest.raises(SessionError, match="verdict must be one of"):
        service.tag_new_gap(store, session_id=sid, clip_id=None, category="Policy", title="x", verdict="ban")
    with pytest.raises(SessionError, match="severity"):
        service.tag_new_gap(store, session_id=sid, clip_id=None, category="Tool", title="x", severity=5)
    with pytest.raises(SessionError, match="title"):
        service.tag_new_gap(store, session_id=sid, clip_id=None, category="Tool", title=" ")
    assert len(reopen(store).gaps()) == 1


def test_categories_come_from_listen_toml(store: Store, workspace: Workspace) -> None:
    workspace.settings_path.write_text('gap_categories = ["Policy", "Courier"]\n')
    sid = service.start_session(store, facilitator="Fran").id
    gap = service.tag_new_gap(store, session_id=sid, clip_id=None, category="courier", title="Late vans")
    assert gap.category == "Courier"
    with pytest.raises(SessionError, match="choose from Policy, Courier"):
        service.tag_new_gap(store, session_id=sid, clip_id=None, category="Tool", title="x")


def test_link_merge_and_status(store: Store, clips: list[Clip]) -> None:
    sid = start(store, clips)
    a = service.tag_new_gap(
        store, session_id=sid, clip_id=clips[0].id, category="Tool", title="Cannot see order history", at=3.0
    )
    b = service.tag_new_gap(
        store,
        session_id=sid,
        clip_id=clips[1].id,
        category="Tool",
        title="Order lookup is blind",
        description="No history in the till",
        severity=3,
    )
    linked = service.link_gap(store, a.id, session_id=sid, clip_id=clips[1].id, at=7.0, quote="cannot see")
    assert linked.times_seen == 2
    assert (
        service.link_gap(
            store, a.id, session_id=sid, clip_id=clips[1].id, at=7.0, quote="cannot see"
        ).times_seen
        == 2
    )  # same moment: linked once
    idea = service.add_idea(store, session_id=sid, text="Show history in the till", gap_ids=[b.id, a.id])
    action = service.commit_action(store, session_id=sid, idea_id=idea.id, title="", owner="Ben", due="+14d")

    kept = service.merge_gaps(store, a.id, b.id)
    read = reopen(store)
    assert kept.times_seen == 3 and kept.severity == 3 and kept.description == "No history in the till"
    assert read.gap(b.id).merged_into == a.id
    assert [g.id for g in read.gaps()] == [a.id]  # the ledger hides merged gaps
    assert read.idea(idea.id).gap_ids == [a.id]
    assert read.action(action.id).title == "Show history in the till"
    # linking the merged-away gap lands on the kept one
    assert service.link_gap(store, b.id, session_id=sid, clip_id=None, quote="again").id == a.id
    with pytest.raises(SessionError, match="already merged"):
        service.merge_gaps(store, a.id, b.id)
    with pytest.raises(SessionError, match="into itself"):
        service.merge_gaps(store, a.id, a.id)
    assert service.set_gap_status(store, a.id, "fixing").status == "fixing"
    with pytest.raises(SessionError):
        service.set_gap_status(store, a.id, "solved")
    assert [g.id for g in service.gaps_in_session(read, sid)] == [a.id]
    assert [g.id for g in service.gaps_for_clip(reopen(store), clips[1].id, sid)] == [a.id]
    service.unlink_gap(store, a.id, session_id=sid, clip_id=clips[1].id)
    assert reopen(store).gap(a.id).clip_ids == [clips[0].id]


def test_update_gap(store: Store) -> None:
    sid = service.start_session(store, facilitator="Fran").id
    gap = service.tag_new_gap(
        store, session_id=sid, clip_id=None, category="Policy", title="x", verdict="eliminate"
    )
    moved = service.update_gap(store, gap.id, title="Refund approval", category="Procedure", severity=1)
    assert (moved.title, moved.category) == ("Refund approval", "Procedure")
    assert (moved.severity, moved.verdict) == (1, None)  # a Procedure gap has no verdict


def test_ideas_votes_budget_and_picks(store: Store, clips: list[Clip]) -> None:
    sid = start(store, clips)
    ideas = [service.add_idea(store, session_id=sid, text=f"Idea {n}", author="Ana") for n in range(6)]
    assert service.vote_budget(6) == 2
    service.cast_vote(store, ideas[0].id, "ana")
    service.cast_vote(store, ideas[1].id, "Ana")
    with pytest.raises(VoteBudgetError, match="Ana has used 2 of 2"):
        service.cast_vote(store, ideas[2].id, "Ana")
    with pytest.raises(SessionError, match="not an attendee"):
        service.cast_vote(store, ideas[2].id, "Zed")
    service.cast_vote(store, ideas[1].id, "Ana", -1)
    service.cast_vote(store, ideas[1].id, "Ben")
    service.cast_vote(store, ideas[1].id, "Fran")
    read = reopen(store)
    assert read.idea(ideas[0].id).votes == {"Ana": 1}
    assert read.idea(ideas[1].id).votes == {"Ben": 1, "Fran": 1}
    assert service.votes_left(read, sid, "Ana") == 1
    assert [i.id for i in service.ranked_ideas(read, sid)][:2] == [ideas[1].id, ideas[0].id]

    rated = service.set_impact_effort(store, ideas[0].id, 3, 1)
    assert (rated.impact, rated.effort) == (3, 1)
    with pytest.raises(SessionError, match="impact must be"):
        service.set_impact_effort(store, ideas[0].id, 4, 1)
    service.pick_idea(store, ideas[0].id)
    service.pick_idea(store, ideas[1].id)
    assert [i.id for i in service.unassigned_picks(store, sid)] == [ideas[0].id, ideas[1].id]

    service.edit_idea(store, ideas[5].id, text="Better idea")
    service.delete_idea(store, ideas[4].id)
    assert [i.text for i in reopen(store).ideas(sid)][-1] == "Better idea"
    assert len(reopen(store).ideas(sid)) == 5


def test_commit_action_no_orphans(store: Store, clips: list[Clip]) -> None:
    sid = start(store, clips)
    idea = service.add_idea(store, session_id=sid, text="Let reps refund up to $50")
    service.pick_idea(store, idea.id)
    with pytest.raises(SessionError, match="owner"):
        service.commit_action(store, session_id=sid, idea_id=idea.id, title="", owner=" ", due="+7d")
    with pytest.raises(SessionError, match="due date is required"):
        service.commit_action(store, session_id=sid, idea_id=idea.id, title="", owner="Ben", due="")
    with pytest.raises(SessionError, match="before the session"):
        service.commit_action(store, session_id=sid, idea_id=idea.id, title="", owner="Ben", due="2020-01-01")
    with pytest.raises(OrphanError, match=idea.id):
        service.close_session(store, sid)
    action = service.commit_action(
        store, session_id=sid, idea_id=idea.id, title="", owner="Ben", due="+7d", today=dt.date(2026, 11, 23)
    )
    assert (action.owner, action.due) == ("Ben", "2026-11-30")
    assert (action.origin_kind, action.origin_id) == ("idea", idea.id)
    assert action.title == "Let reps refund up to $50"
    with pytest.raises(SessionError, match="already committed"):
        service.commit_action(store, session_id=sid, idea_id=idea.id, title="", owner="Ben", due="+7d")
    with pytest.raises(SessionError, match="already committed"):
        service.pick_idea(store, idea.id, picked=False)
    assert service.unassigned_picks(store, sid) == []
    assert [a.id for a in service.session_actions(store, sid)] == [action.id]
    edited = service.update_action(store, action.id, owner="Cleo", due="2026-12-24")
    assert (edited.owner, edited.due) == ("Cleo", "2026-12-24")
    assert service.set_action_status(store, action.id, "done").closed_at is not None

    closed = service.close_session(store, sid)
    assert closed.status == "closed" and closed.ended_at is not None
    assert service.open_session(reopen(store)) is None
    with pytest.raises(SessionError, match="the session is closed"):
        service.add_idea(store, session_id=sid, text="too late")
    with pytest.raises(SessionError, match="the session is closed"):
        service.cast_vote(store, idea.id, "Ana")


def test_close_can_be_forced_with_orphans(store: Store) -> None:
    sid = service.start_session(store, facilitator="Fran").id
    idea = service.add_idea(store, session_id=sid, text="x")
    service.pick_idea(store, idea.id)
    assert service.close_session(store, sid, force=True).status == "closed"


def test_story_check_is_saved_with_its_figure(store: Store) -> None:
    sid = service.start_session(store, facilitator="Fran", attendees=["Ana", "Ben"], date="2026-11-23").id
    check = service.save_story_check(
        store,
        sid,
        {
            "Fran": "Fresh roasted beans delivered in two days",
            "Ana": "Beans roasted fresh and delivered fast",
            "Ben": "",  # left out
        },
    )
    assert set(check.answers) == {"Fran", "Ana"}
    assert check.cohesion is not None and 0 < check.cohesion <= 100
    saved = reopen(store).session(sid).story_check
    assert saved is not None and saved.cohesion == check.cohesion
    assert "beans" in saved.shared_words
    assert service.story_trend(reopen(store)) == [("2026-11-23", check.cohesion)]


def test_each_change_is_saved_at_once(store: Store, clips: list[Clip]) -> None:
    # the "terminal closes" test: every call is visible to a fresh Store right away
    sid = start(store, clips)
    gap = service.tag_new_gap(store, session_id=sid, clip_id=clips[0].id, category="Tool", title="T")
    idea = service.add_idea(store, session_id=sid, text="I", gap_ids=[gap.id])
    service.cast_vote(store, idea.id, "Ana")
    fresh = reopen(store)
    assert fresh.gap(gap.id).title == "T"
    assert fresh.idea(idea.id).votes == {"Ana": 1}
    assert fresh.idea(idea.id).gap_ids == [gap.id]


def test_next_session_picks_are_saved_and_taken_by_the_session(store: Store, clips: list[Clip]) -> None:
    assert service.next_session_picks(store) == []
    saved = service.set_next_session_picks(store, [clips[1].id[:6], clips[0].id, clips[1].id])
    assert saved == [clips[1].id, clips[0].id]
    assert service.next_session_picks(Store(store.workspace)) == saved  # on disk, for a new process
    service.start_session(store, facilitator="Bo", clip_ids=saved)
    assert service.next_session_picks(store) == []


def test_unheard_clips_leave_out_played_and_failed_ones(store: Store, clips: list[Clip]) -> None:
    assert [c.id for c in service.unheard_clips(store)] == [c.id for c in clips]
    service.start_session(store, facilitator="Ana", clip_ids=[clips[0].id])
    with store.transaction() as tx:
        failed = tx.clip(clips[1].id)
        failed.status = "failed"
        tx.put(failed)
    assert [c.id for c in service.unheard_clips(store)] == [c.id for c in clips[2:]]
