"""SessionReuse: a step that reads again after another process wrote gets the same answers as a
fresh read, with the objects of unchanged documents kept and the changed ones made again."""

from __future__ import annotations

import pytest

from listen.domain import Clip
from listen.session import service
from listen.session.errors import VoteBudgetError
from listen.session.reads import SessionReuse
from listen.store import Store

from .test_service import reopen, start


def test_reads_with_reuse_see_another_process_write_and_keep_unchanged_objects(
    store: Store, clips: list[Clip]
) -> None:
    earlier = start(store, clips, date="2026-11-16")
    gap = service.tag_new_gap(
        store, session_id=earlier, clip_id=clips[0].id, category="Tool", title="Slow search"
    )
    other_gap = service.tag_new_gap(
        store, session_id=earlier, clip_id=clips[1].id, category="Tool", title="No refund button"
    )
    old_idea = service.add_idea(store, session_id=earlier, text="Index the orders", gap_ids=[gap.id])
    service.close_session(store, earlier, force=True)
    today = start(store, clips)
    service.link_gap(store, gap.id, session_id=today, clip_id=clips[0].id)
    service.link_gap(store, other_gap.id, session_id=today, clip_id=clips[1].id)

    reuse = SessionReuse()
    first_gaps = service.gaps_in_session(store, today, reuse=reuse)
    assert [g.id for g in first_gaps] == [gap.id, other_gap.id]
    assert [i.id for i in service.earlier_ideas(store, today, reuse=reuse)] == [old_idea.id]

    elsewhere = reopen(store)  # another process: an idea today, a gap renamed
    new_idea = service.add_idea(
        elsewhere, session_id=today, text="Show a refund button", gap_ids=[other_gap.id]
    )
    service.update_gap(elsewhere, other_gap.id, title="Refund button hidden")

    gaps = service.gaps_in_session(store, today, reuse=reuse)
    assert gaps == service.gaps_in_session(reopen(store), today)  # the same answer as a fresh read
    assert gaps[0] is first_gaps[0]  # unchanged document: the object of the last read
    assert gaps[1] is not first_gaps[1] and gaps[1].title == "Refund button hidden"
    assert [i.id for i in store.ideas(today, reuse=reuse.ideas)] == [new_idea.id]
    assert service.earlier_ideas(store, today, reuse=reuse, gaps_here=gaps) == service.earlier_ideas(
        reopen(store), today
    )
    assert service.ranked_ideas(store, today, reuse=reuse)[0].id == new_idea.id


def test_the_dot_budget_counts_the_earlier_ideas_on_the_table(store: Store, clips: list[Clip]) -> None:
    """Decide shows earlier open ideas beside today's; the budget the room sees (a quarter of the
    ideas on the table) is the one the store enforces: 2 of today's + 4 earlier = 6 ideas, 2 dots."""
    earlier = start(store, clips, date="2026-11-16")
    gap = service.tag_new_gap(store, session_id=earlier, clip_id=clips[0].id, category="Tool", title="Slow")
    for n in range(4):
        service.add_idea(store, session_id=earlier, text=f"Old idea {n}", gap_ids=[gap.id])
    service.close_session(store, earlier, force=True)
    today = start(store, clips)
    service.link_gap(store, gap.id, session_id=today, clip_id=clips[0].id)
    mine = [
        service.add_idea(store, session_id=today, text=f"New idea {n}", gap_ids=[gap.id]) for n in range(2)
    ]

    assert len(service.earlier_ideas(store, today)) == 4
    assert service.votes_left(store, today, "Ben") == 2
    service.cast_vote(store, mine[0].id, "Ben")
    service.cast_vote(store, mine[1].id, "Ben")  # two ideas of today's alone would give one dot
    assert service.votes_left(store, today, "Ben") == 0
    with pytest.raises(VoteBudgetError, match="used 2 of 2 dot"):
        service.cast_vote(store, mine[1].id, "Ben")


def test_earlier_ideas_read_only_their_gaps_and_find_what_a_read_of_every_gap_finds(
    store: Store, clips: list[Clip]
) -> None:
    """Without ``gaps_here`` the earlier ideas read only the gaps they name; the answer is the one
    the session's gaps give: linked today, not linked today, merged away, deleted idea gap."""
    earlier = start(store, clips, date="2026-11-16")

    def tag(title: str, clip: int = 0) -> str:
        return service.tag_new_gap(
            store, session_id=earlier, clip_id=clips[clip].id, category="Tool", title=title
        ).id

    linked, elsewhere = tag("Slow search"), tag("No refund button")
    folded, kept = tag("Search slow"), tag("Old")
    for gap_id in (linked, elsewhere, folded, kept):
        service.add_idea(store, session_id=earlier, text=f"Idea on {gap_id}", gap_ids=[gap_id])
    service.close_session(store, earlier, force=True)
    today = start(store, clips)
    service.link_gap(store, linked, session_id=today, clip_id=clips[0].id)
    service.link_gap(store, folded, session_id=today, clip_id=clips[1].id)
    service.link_gap(store, kept, session_id=today, clip_id=clips[1].id)
    service.merge_gaps(store, kept, folded)  # its links (today's too) go to the one kept

    alone = service.earlier_ideas(store, today)
    assert alone == service.earlier_ideas(store, today, gaps_here=service.gaps_in_session(store, today))
    # the merged gap's idea now names the gap kept; the idea on a gap not linked today stays out
    assert sorted(gap for idea in alone for gap in idea.gap_ids) == sorted([linked, kept, kept])
