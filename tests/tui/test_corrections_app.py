"""Correcting a transcript in the app, against its audio: in the clip view and in a session's
Listen step. Real store on disk, real audio decoding and the real sounddevice/PortAudio output
into a PulseAudio null sink (the ``sound`` fixture; nothing physical is mocked), real Whisper
for transcribing again."""

from __future__ import annotations

import asyncio
import dataclasses
import math
import os
import struct
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_listen
from textual import events
from tui.builders import TODAY, leave_session_at, make_app, settle

from listen.domain import Segment, Transcript, Word
from listen.ingest.submit import submit_file
from listen.session import service
from listen.store import Store
from listen.tui.screens.clip import ClipScreen
from listen.tui.screens.modals import ConfirmModal
from listen.tui.screens.quote_prompt import QuotePrompt
from listen.tui.widgets.correcting import SegmentEditor
from listen.tui.widgets.player import PlayerPanel

MADE = "2026-11-20T09:00:00.000+00:00"


def run(coro):
    return asyncio.run(coro)


def write_tone(path: Path, seconds: float, rate: int = 16000) -> Path:
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return path


def said(words: str, start: float, probabilities: list[float], step: float = 0.5) -> Segment:
    tokens = words.split()
    timed = [
        Word(start + i * step, start + (i + 1) * step, token, p)
        for i, (token, p) in enumerate(zip(tokens, probabilities, strict=True))
    ]
    return Segment(start, start + len(tokens) * step, words, words=timed)


def machine() -> Transcript:
    """What the model made of the call: probabilities known, so the unsure words are known."""
    return Transcript(
        text="",
        segments=[
            said("my family arrived correct", 0.0, [0.95, 0.21, 0.9, 0.32]),
            said("the box was crushed badly", 3.0, [0.9, 0.9, 0.99, 0.9, 0.8]),
            said("can I get a refund", 6.0, [0.9, 0.9, 0.9, 0.9, 0.45]),
        ],
        engine="faster-whisper",
        created_at=MADE,
    )


def open_at_its_listen_step(store: Store, clip_id: str) -> str:
    """This week's session of ``clip_id`` alone, stopped at its Listen step."""
    session = service.start_session(
        store, facilitator="Ana", attendees=["Ben"], clip_ids=[clip_id], date=TODAY.isoformat()
    )
    leave_session_at(store, session.id, [clip_id], "listen")
    return session.id


def audio_call(store: Store, tmp_path: Path) -> str:
    clip = submit_file(store, write_tone(tmp_path / "call.wav", seconds=9.0), submitted_by="Ben").clip
    store.write_transcript(clip.id, machine())
    with store.transaction() as tx:
        tx.put(dataclasses.replace(tx.clip(clip.id), status="transcribed", has_transcript=True))
    return clip.id


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A PulseAudio daemon with a null sink: the app plays through the real sounddevice path."""
    from audio.pulse import PulseUnavailable, start_pulse

    try:
        server = start_pulse(tmp_path_factory.mktemp("pulse"))
    except PulseUnavailable as error:
        if os.environ.get("LISTEN_REQUIRE_AUDIO") == "1":
            pytest.fail(f"PulseAudio cannot run here: {error}", pytrace=False)
        pytest.skip(f"PulseAudio cannot run here: {error}")
    previous = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = server.server
    _rescan()
    yield
    server.stop()
    if previous is None:
        os.environ.pop("PULSE_SERVER", None)
    else:
        os.environ["PULSE_SERVER"] = previous
    _rescan()


def _rescan() -> None:
    sd = sys.modules.get("sounddevice")
    if sd is not None:  # PortAudio lists devices once, when loaded
        sd._terminate()
        sd._initialize()


async def open_clip(pilot, clip_id: str) -> PlayerPanel:
    app = pilot.app
    app.push_screen(ClipScreen(clip_id))
    await settle(pilot)
    panel = app.screen.query_one(PlayerPanel)
    for _ in range(200):  # the audio is decoded in a worker
        if panel.player is not None:
            break
        await pilot.pause(0.05)
    return panel


def texts(store: Store, clip_id: str) -> list[str]:
    return [s.text for s in store.transcript(clip_id).segments]


def test_correct_while_it_loops_split_merge_speaker_undo_redo(built, tmp_path: Path, sound) -> None:
    workspace, store, _ids = built
    clip_id = audio_call(store, tmp_path)
    app = make_app(workspace, store)
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            panel = await open_clip(pilot, clip_id)
            assert panel.player is not None
            await pilot.press("e")  # correct the first segment: its audio loops
            await pilot.pause()
            player = panel.player
            seen["playing"] = player.playing
            seen["bounds"] = panel._bounds
            seen["editor focused"] = isinstance(app.focused, SegmentEditor)
            player.seek(2.3)  # past the segment's end (2.0 s)...
            panel.keep_in_bounds()
            seen["looped to"] = player.position  # ...it starts again
            await pilot.press("ctrl+u", *"my helmet arrived cracked", "enter")
            await settle(pilot)
            seen["after edit"] = texts(store, clip_id)
            seen["line"] = str(panel.transcript.get_option_at_index(0).prompt)

            await pilot.press("down", "e")  # split "the box was crushed badly" before "was"
            panel.query_one(SegmentEditor).cursor_position = len("the box ")
            await pilot.press("ctrl+b")
            await settle(pilot)
            seen["after split"] = texts(store, clip_id)
            seen["cursor after split"] = panel.transcript.highlighted

            await pilot.press("m")  # "was crushed badly" + "can I get a refund"
            await settle(pilot)
            seen["after merge"] = texts(store, clip_id)

            await pilot.press("home", "w", "down", "w", "w", "down", "equals_sign")
            await settle(pilot)
            seen["speakers"] = [s.speaker for s in store.transcript(clip_id).segments]
            await pilot.press("S")  # swap from the third segment on
            await settle(pilot)
            seen["swapped"] = [s.speaker for s in store.transcript(clip_id).segments]

            await pilot.press("u", "u")  # the swap, then "same as before"
            await settle(pilot)
            seen["undone"] = [s.speaker for s in store.transcript(clip_id).segments]
            await pilot.press("U")
            await settle(pilot)
            seen["redone"] = [s.speaker for s in store.transcript(clip_id).segments]
            await pilot.press(*["u"] * 8)  # back past the merge, the split and the edit
            await settle(pilot)
            seen["all undone"] = store.transcript(clip_id)

    run(scenario())
    assert seen["playing"] is True and seen["editor focused"] is True
    assert seen["bounds"] == (0.0, 2.0, True)
    assert seen["looped to"] < 1.0
    assert seen["after edit"][0] == "my helmet arrived cracked"
    assert "✎" in seen["line"] and "my helmet arrived cracked" in seen["line"]
    assert seen["after split"] == [
        "my helmet arrived cracked",
        "the box",
        "was crushed badly",
        "can I get a refund",
    ]
    assert seen["cursor after split"] == 2
    assert seen["after merge"] == [
        "my helmet arrived cracked",
        "the box",
        "was crushed badly can I get a refund",
    ]
    assert seen["speakers"] == ["agent", "customer", "customer"]
    assert seen["swapped"] == ["agent", "customer", "agent"]
    assert seen["undone"] == ["agent", "customer", None]
    assert seen["redone"] == ["agent", "customer", "customer"]
    back: Transcript = seen["all undone"]  # type: ignore[assignment]
    assert [s.text for s in back.segments] == [s.text for s in machine().segments]
    assert [s.words for s in back.segments] == [s.words for s in machine().segments]
    assert not any(s.corrected or s.speaker for s in back.segments)
    stored = store.transcript(clip_id)
    assert stored.created_at == MADE  # the machine's transcription it was made from


def test_the_minutes_quote_the_corrected_text_by_the_assigned_speaker(built, tmp_path: Path) -> None:
    workspace, store, _ids = built
    clip_id = audio_call(store, tmp_path)
    session_id = open_at_its_listen_step(store, clip_id)
    app = make_app(workspace, store, offer_resume=False)

    async def scenario() -> None:
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            app.open_session(session_id)
            await settle(pilot)
            await pilot.press("e", "ctrl+u", *"my helmet arrived cracked", "enter")
            await settle(pilot)
            await pilot.press("w", "w")  # agent, then customer
            await settle(pilot)
            await pilot.press("q")
            await settle(pilot)
            assert isinstance(app.screen, QuotePrompt)
            await pilot.press("enter")
            await settle(pilot)

    run(scenario())
    [quote] = store.session(session_id).quotes
    assert (quote.text, quote.speaker) == ("my helmet arrived cracked", "customer")
    minutes = run_listen("--workspace", workspace.root, "export", session_id, "-o", "-", "--no-redact")
    assert minutes.returncode == 0, minutes.stderr
    assert "Customer: “my helmet arrived cracked”" in minutes.stdout or (
        "Customer:" in minutes.stdout and "my helmet arrived cracked" in minutes.stdout
    )
    assert "my family arrived correct" not in minutes.stdout


def test_transcribing_a_corrected_clip_again_asks_and_keeps_the_corrections(built, tmp_path: Path) -> None:
    workspace, store, _ids = built
    clip_id = audio_call(store, tmp_path)
    app = make_app(workspace, store)
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await open_clip(pilot, clip_id)
            await pilot.press("e", "ctrl+u", *"my helmet arrived cracked", "enter")
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            seen["asked"] = isinstance(app.screen, ConfirmModal)
            await pilot.press("n")  # keep the corrections
            await settle(pilot)
            seen["kept"] = texts(store, clip_id)[0]
            seen["running"] = app.transcription.running
            await pilot.press("t")
            await settle(pilot)
            seen["asked again"] = isinstance(app.screen, ConfirmModal)
            await pilot.press("y")  # transcribe again: the real model on the tone
            await app.workers.wait_for_complete()
            await settle(pilot)
            panel = app.screen.query_one(PlayerPanel)
            seen["shown from"] = panel.corrections.transcript.created_at if panel.corrections else None
            seen["lines"] = [line.text for line in panel.transcript.lines]

    run(scenario())
    assert seen["asked"] and seen["asked again"]
    assert seen["kept"] == "my helmet arrived cracked"
    assert seen["running"] is False
    fresh = store.transcript(clip_id)
    assert fresh is not None and not fresh.has_corrections and fresh.created_at != MADE
    # the clip view shows the new transcript (corrections go to it from now on)
    assert "my helmet arrived cracked" not in seen["lines"]
    if fresh.segments:
        assert seen["shown from"] == fresh.created_at
    [copy] = sorted(workspace.transcript_path(clip_id).parent.glob("transcript.corrected-*.json"))
    kept = Transcript.from_doc(__import__("json").loads(copy.read_text()))
    assert kept.segments[0].text == "my helmet arrived cracked"
    assert kept.segments[0].original_text == "my family arrived correct"


def test_unsure_words_are_underlined_with_a_legend_and_i_plays_the_next(built, tmp_path: Path) -> None:
    workspace, store, _ids = built
    clip_id = audio_call(store, tmp_path)
    app = make_app(workspace, store)
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            panel = await open_clip(pilot, clip_id)
            view = panel.transcript
            seen["marks"] = [line.marks for line in view.lines]
            prompt = view.get_option_at_index(0).prompt
            seen["underlined"] = sorted(
                str(prompt)[span.start : span.end] for span in prompt.spans if "underline" in str(span.style)
            )
            legend = panel.query_one("#transcript-legend")
            seen["legend"] = (legend.display, str(legend.render()))
            await pilot.press("down", "down", "i")
            await settle(pilot)
            seen["first"] = (view.highlighted, panel._bounds)
            await pilot.press("i")
            await settle(pilot)
            seen["second"] = (view.highlighted, panel._bounds)
            await pilot.press("home", "e", "ctrl+u", *"my helmet arrived cracked", "enter")
            await settle(pilot)
            seen["after correcting"] = [line.marks for line in view.lines]
            seen["texts"] = texts(store, clip_id)
            seen["notes"] = [str(n.message) for n in app._notifications]

    run(scenario())
    assert seen["marks"] == [((3, 9), (18, 25)), (), ((12, 18),)]  # family, correct; refund
    assert seen["underlined"] == ["correct", "family"]
    shown, text = seen["legend"]
    assert shown and "unsure" in text and "0.50" in text and "i plays" in text
    # from the third line on: "refund" (6.0 + 4 * 0.5 s), played alone, from a little before it
    assert seen["first"] == (2, (8.0 - 0.3, 8.5 + 0.3, False))
    assert seen["second"] == (0, (0.5 - 0.3, 1.0 + 0.3, False))  # round to the first: "family"
    assert seen["after correcting"] == [(), (), ((12, 18),)], (
        seen["texts"],
        seen["notes"],
    )  # a corrected segment counts as checked


def test_hostile_corrections_show_as_typed_and_a_huge_one_is_refused(built, tmp_path: Path) -> None:
    workspace, store, _ids = built
    clip_id = audio_call(store, tmp_path)
    app = make_app(workspace, store)
    hostile = "[bold red]x[/] \x1b]52;c;ZXZpbA==\x07 \u202eevil"
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            panel = await open_clip(pilot, clip_id)
            await pilot.press("e", "ctrl+u")
            editor = panel.query_one(SegmentEditor)
            editor.insert_text_at_cursor(hostile)
            await pilot.press("enter")
            await settle(pilot)
            seen["line"] = str(panel.transcript.get_option_at_index(0).prompt)
            await pilot.press("down", "e")
            editor.value = "word " * 5000
            await pilot.press("enter")
            await settle(pilot)
            seen["notes"] = [str(n.message) for n in app._notifications]

    run(scenario())
    line = seen["line"]
    assert "[bold red]x[/]" in line and "␛]52" in line
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    assert texts(store, clip_id)[0] == hostile  # stored as typed
    assert texts(store, clip_id)[1] == "the box was crushed badly"  # the huge one was not saved
    assert any("at most 20,000 characters" in note for note in seen["notes"])


def test_a_window_never_overwrites_corrections_saved_elsewhere(built, tmp_path: Path, sound) -> None:
    """Another window (here: the store from the test process, as another app would write it)
    saves corrections between this window's saves: a change to another segment is kept beside
    this one's; a change to the same segment, or a transcription again, refuses this window's
    save with a notice that holds the typed text, and the view shows the stored transcript."""
    from listen.transcribe import corrections as c

    workspace, store, _ids = built
    clip_id = audio_call(store, tmp_path)
    app = make_app(workspace, store)
    seen: dict[str, object] = {}

    def elsewhere(index: int, text: str) -> None:
        stored = store.transcript(clip_id)
        changed = c.edit_text(stored, index, text)
        store.write_transcript(clip_id, dataclasses.replace(changed, corrected_at=MADE))

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            panel = await open_clip(pilot, clip_id)
            elsewhere(0, "AAA")  # window B, after this window loaded the clip
            await pilot.press("down", "e", "ctrl+u", *"the box was crushed", "enter")
            await settle(pilot)
            seen["both"] = texts(store, clip_id)
            elsewhere(2, "BBB")
            await pilot.press("down", "e", "ctrl+u", *"can I get a new one", "enter")
            await settle(pilot)
            seen["same segment"] = texts(store, clip_id)
            seen["shown"] = [str(panel.transcript.get_option_at_index(i).prompt) for i in range(3)]
            seen["notes"] = [str(n.message) for n in app._notifications]
            app._notifications.clear()
            again = Transcript(
                text="again", segments=[Segment(0, 1, "again")], created_at="2026-11-21T09:00:00.000+00:00"
            )
            await pilot.press("home", "e", "ctrl+u", *"late words")
            store.write_transcript(clip_id, again)  # `listen transcribe --force` elsewhere
            await pilot.press("enter")
            await settle(pilot)
            seen["after force"] = texts(store, clip_id)
            seen["notes force"] = [str(n.message) for n in app._notifications]

    run(scenario())
    assert seen["both"] == ["AAA", "the box was crushed", "can I get a refund"]
    assert seen["same segment"] == ["AAA", "the box was crushed", "BBB"]
    assert "BBB" in seen["shown"][2] and "AAA" in seen["shown"][0]
    assert any("can I get a new one" in note for note in seen["notes"])
    assert seen["after force"] == ["again"]
    assert any("transcribed again" in note for note in seen["notes force"])
    assert any("late words" in note for note in seen["notes force"])


@pytest.mark.parametrize("where", ["clip view", "listen step"])
def test_a_fast_burst_of_typing_is_saved_whole_while_autosave_fires(
    built, tmp_path: Path, sound, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """The editor's own saves (here after 1 ms of no typing) never put an older text back into
    the editor, nor take the focus from it, while the keys keep coming: what is stored is what
    was typed."""
    from listen.tui.widgets import correcting

    monkeypatch.setattr(correcting, "SAVE_AFTER", 0.001)
    workspace, store, _ids = built
    clip_id = audio_call(store, tmp_path)
    session_id = open_at_its_listen_step(store, clip_id)
    app = make_app(workspace, store, offer_resume=False)
    typed = "Thanks a lot for the help with my order, it came in one piece"

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            if where == "clip view":
                await open_clip(pilot, clip_id)
            else:
                app.open_session(session_id)
                await settle(pilot)
            await pilot.press("e")
            await pilot.pause()
            # the keys arrive as one burst (as from tmux send-keys or a fast typist on a busy
            # machine), none waiting for the one before to be handled
            burst = ["end", *["backspace"] * 60, *typed, "enter"]
            for key in burst:
                char = key if len(key) == 1 else None
                app.post_message(events.Key(key if char is None else _key_name(char), char))
            await settle(pilot)

    run(scenario())
    assert texts(store, clip_id)[0] == typed


def _key_name(char: str) -> str:
    from textual.keys import _character_to_key

    return _character_to_key(char)


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
def test_the_correction_box_is_on_screen_in_the_listen_step(built, tmp_path: Path, size) -> None:
    """At 80x24 the Listen step's side panels (questions, rep view, quotes) go under the
    transcript: the box being typed in must still be on the screen, not below it."""
    workspace, store, _ids = built
    clip_id = audio_call(store, tmp_path)
    session_id = open_at_its_listen_step(store, clip_id)
    app = make_app(workspace, store, offer_resume=False)
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            app.open_session(session_id)
            await settle(pilot)
            await pilot.press("down", "down", "e")
            await settle(pilot)
            editor = app.screen.query_one(SegmentEditor)
            seen["focused"] = app.focused is editor
            seen["region"] = editor.region
            seen["screen"] = app.screen.region

    run(scenario())
    region, screen = seen["region"], seen["screen"]
    assert seen["focused"] is True
    assert region.height >= 1 and region.width >= 20
    assert screen.contains_region(region), (region, screen)


def test_a_pasted_correction_keeps_every_line_joined_by_a_space(built, tmp_path: Path) -> None:
    workspace, store, _ids = built
    clip_id = audio_call(store, tmp_path)
    app = make_app(workspace, store)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            panel = await open_clip(pilot, clip_id)
            await pilot.press("e", "ctrl+u")
            panel.query_one(SegmentEditor).post_message(
                events.Paste("my helmet\r\narrived\n\n  cracked \x1b[2J\nthanks")
            )
            await pilot.pause()
            await pilot.press("enter")
            await settle(pilot)

    run(scenario())
    assert texts(store, clip_id)[0] == "my helmet arrived cracked \x1b[2J thanks"
