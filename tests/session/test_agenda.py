"""The agenda state machine, driven by a clock the test moves."""

from __future__ import annotations

import pytest

from listen.domain import Session
from listen.session.agenda import Agenda, lay_out
from listen.session.errors import SessionError
from listen.session.packs import load_pack

from .conftest import FakeClock


def test_listen_repeats_per_clip_and_keys_name_the_clip() -> None:
    pack = load_pack("weekly")
    entries = lay_out(pack, ["c1", "c2", "c3"])
    keys = [e.key for e in entries]
    assert keys == [
        "stage", "follow-up", "listen:c1", "listen:c2", "listen:c3",
        "ideas", "decide", "commit", "story", "close",
    ]
    assert entries[3].title == "Listen (2 of 3)"
    assert [e.index for e in entries] == list(range(10))
    assert [e.key for e in lay_out(pack, [])][2] == "listen"  # no clips: one clip-less listen step


def test_elapsed_time_follows_the_clock_per_step(clock: FakeClock) -> None:
    agenda = Agenda(load_pack("weekly"), ["c1"], now=clock)
    clock.advance(90)
    assert agenda.elapsed() == 90
    assert agenda.remaining() == 300 - 90
    agenda.next()
    clock.advance(30)
    assert agenda.current.key == "follow-up"
    assert agenda.elapsed() == 30
    assert agenda.elapsed(agenda.entries[0]) == 90
    agenda.back()
    clock.advance(10)
    assert agenda.elapsed() == 100  # time adds up when a step is revisited
    assert agenda.total_elapsed() == 130


def test_overtime_and_extend(clock: FakeClock) -> None:
    agenda = Agenda(load_pack("weekly"), ["c1"], now=clock)
    clock.advance(6 * 60)
    assert agenda.over_time()
    assert agenda.extend(2) == 7 * 60
    assert not agenda.over_time()
    assert agenda.remaining() == 60
    assert agenda.step_extensions() == {"stage": 120.0}
    with pytest.raises(SessionError):
        agenda.extend(0)


def test_pause_stops_the_clock(clock: FakeClock) -> None:
    agenda = Agenda(load_pack("weekly"), now=clock)
    clock.advance(10)
    agenda.pause()
    clock.advance(1000)
    assert agenda.elapsed() == 10 and not agenda.running
    agenda.resume()
    clock.advance(5)
    assert agenda.elapsed() == 15


def test_skip_marks_and_moves_and_the_ends_hold(clock: FakeClock) -> None:
    agenda = Agenda(load_pack("weekly"), ["c1"], now=clock)
    assert agenda.is_first
    assert agenda.back().key == "stage"
    agenda.go_to(6)  # story (optional)
    assert agenda.current.step.optional
    agenda.skip()
    assert agenda.current.key == "close" and agenda.is_last
    assert "story" in agenda.skipped
    assert agenda.next().key == "close"  # the end holds
    agenda.go_to(-5)
    assert agenda.current.key == "stage"
    assert agenda.next_of_kind("close") is not None
    assert agenda.next_of_kind("close").key == "close"  # type: ignore[union-attr]


def test_snapshot_and_resume_from_a_session(clock: FakeClock) -> None:
    pack = load_pack("weekly")
    agenda = Agenda(pack, ["c1", "c2"], now=clock)
    clock.advance(120)
    agenda.next()
    agenda.next()
    clock.advance(200)
    agenda.extend(3)
    index, seconds, extensions = agenda.snapshot()
    assert index == 2
    assert seconds == {"stage": 120.0, "listen:c1": 200.0}
    assert extensions == {"listen:c1": 180.0}

    session = Session(id="s", date="2026-11-23", clip_ids=["c1", "c2"], step_index=index,
                      step_seconds=seconds, step_extensions=extensions)
    later = FakeClock(start=50_000.0)
    resumed = Agenda.for_session(pack, session, now=later)
    assert resumed.current.key == "listen:c1"
    assert resumed.elapsed() == 200.0
    assert resumed.timebox() == 8 * 60 + 180
    later.advance(5)
    assert resumed.elapsed() == 205.0


def test_resume_index_past_the_end_is_clamped(clock: FakeClock) -> None:
    session = Session(id="s", date="2026-11-23", step_index=99)
    agenda = Agenda.for_session(load_pack("quick"), session, now=clock)
    assert agenda.is_last and agenda.current.kind == "close"


def test_set_clips_keeps_the_place(clock: FakeClock) -> None:
    agenda = Agenda(load_pack("weekly"), ["c1", "c2"], now=clock)
    agenda.go_to(3)  # listen:c2
    clock.advance(40)
    agenda.set_clips(["c0", "c1", "c2"])
    assert agenda.current.key == "listen:c2" and agenda.index == 4
    assert agenda.elapsed() == 40
    agenda.set_clips(["c0"])  # the current clip went away: stay on the listen step
    assert agenda.current.key == "listen:c0"
    assert agenda.step_seconds()["listen:c2"] == 40  # its time is kept for the record
