"""The bundled demo workspace (sessions/, built by tools/make_demo.py) holds what sessions/README.md
promises, opens with the real store, and a new session can start on a copy of it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from listen.session import service
from listen.session.agenda import Agenda
from listen.session.packs import load_pack
from listen.session.recurrence import recurrence_index
from listen.session.voting import vote_budget, votes_by
from listen.settings import load_settings
from listen.store import Store
from listen.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
DEMO = Path(os.environ.get("LISTEN_TEST_DEMO", REPO / "sessions"))  # another build, to check it
DEMO_TODAY = dt.date(2026, 11, 23)

pytestmark = pytest.mark.skipif(not (DEMO / "db").is_dir(), reason="the demo workspace is not built")


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy)  # never touch the committed workspace
    store = Store(Workspace(copy))
    store.check()
    return store


def test_demo_is_small_and_clean() -> None:
    files = [p for p in DEMO.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 2 * 1024 * 1024
    assert not [p for p in files if p.suffix in (".bak", ".tmp") or p.name == ".listen.lock"]
    assert (DEMO / "README.md").is_file()


def test_team_settings(demo: Store) -> None:
    settings = load_settings(demo.workspace.settings_path)
    assert len(settings.members) == 5
    assert "Northwind" in settings.transcription.vocabulary
    assert settings.prompt_pack == "weekly"


def test_clips_calls_email_and_chats_all_transcribed(demo: Store) -> None:
    clips = demo.clips()
    audio = [c for c in clips if c.kind == "audio"]
    assert len(audio) == 5 and all(c.channel == "phone" for c in audio)
    assert all(20 <= (c.duration or 0) <= 60 for c in audio)
    assert all(c.media.endswith(".ogg") and (demo.workspace.root / c.media).is_file() for c in audio)
    assert [c.channel for c in clips if c.kind == "text"].count("email") == 1
    assert all(c.status == "transcribed" for c in clips)
    assert all(c.rep_view.needed and c.rep_view.hard for c in audio)
    stereo = [c for c in audio if c.audio and c.audio.channels == 2]
    assert len(stereo) == 1
    transcript = demo.transcript(stereo[0].id)
    assert transcript is not None
    assert {s.speaker for s in transcript.segments} == {"agent", "customer"}
    heard = []
    for clip in audio:
        text = demo.transcript(clip.id)
        assert text is not None and len(text.text.split()) > 30  # real speech was heard
        heard.append(text.text.lower())
    assert sum("refund" in words for words in heard) >= 2


def test_last_weeks_session_is_alive(demo: Store) -> None:
    sessions = demo.sessions()
    assert [s.date for s in sessions] == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert all(s.status == "closed" for s in sessions)
    for session in sessions:  # each one's saved times fit its agenda, as a resume would lay it out
        agenda = Agenda.for_session(load_pack(session.prompt_pack, demo.workspace), session)
        assert set(session.step_seconds) <= {entry.key for entry in agenda.entries}
        assert agenda.is_last and agenda.current.kind == "close"
    last = sessions[-1]
    assert len(last.attendees) == 5 and last.facilitator
    assert len(last.clip_ids) == 2 and len(last.quotes) >= 3
    assert any(q.start is not None for q in last.quotes)  # audio quotes carry their moment
    assert last.story_check is not None and last.story_check.cohesion is not None
    assert service.story_trend(demo)[0][0] == "2026-11-02"  # two story checks: a trend

    ideas = demo.ideas(last.id)
    assert len(ideas) >= 6
    budget = vote_budget(len(ideas))
    for person in last.attendees:
        assert 0 < votes_by(ideas, person.name) <= budget
    assert sum(1 for i in ideas if i.impact and i.effort) >= 3
    assert service.unassigned_picks(demo, last.id) == []  # no orphans


def test_a_gap_recurs_across_three_weeks(demo: Store) -> None:
    gaps = {gap.id: gap for gap in demo.gaps()}
    index = recurrence_index(gaps.values(), demo.sessions())
    top = max(index.values(), key=lambda r: (len(r.weeks), r.times_seen))
    assert "refund" in gaps[top.gap_id].title.lower()
    assert len(top.weeks) == 3 and top.times_seen >= 4 and top.recurring
    assert {g.category for g in demo.gaps()} >= {"Policy", "Procedure", "Tool", "Knowledge"}


def test_open_actions_with_owners_and_due_dates(demo: Store) -> None:
    open_actions = demo.actions(status="open")
    assert len(open_actions) >= 3
    assert all(a.owner and a.due for a in open_actions)
    assert any(a.is_overdue(DEMO_TODAY) for a in open_actions)  # one stands out as overdue
    assert any(a.follow_ups and a.follow_ups[-1].outcome == "carried" for a in open_actions)
    assert any(a.status == "done" for a in demo.actions())


def test_a_new_session_can_start_on_the_waiting_clips(demo: Store) -> None:
    played = {cid for s in demo.sessions() for cid in s.clip_ids}
    waiting = [c for c in demo.clips() if c.id not in played]
    assert len(waiting) >= 3
    session = service.start_session(
        demo,
        facilitator="Ana Ruiz",
        attendees=["Sam Okafor"],
        clip_ids=[c.id for c in waiting],
        date=DEMO_TODAY.isoformat(),
    )
    follow = service.actions_to_follow_up(demo, session.id)
    assert {a.id for a in follow} == {a.id for a in demo.actions(status="open")}
