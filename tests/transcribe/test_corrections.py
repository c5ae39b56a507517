"""Correcting a machine transcript (listen/transcribe/corrections.py) and marking the words the
model was unsure of (uncertain.py), through the real store on disk and the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_listen, tree_state
from search.documents import audio_clip

from listen.domain import Segment, Transcript, Word
from listen.search import search
from listen.store import Store
from listen.transcribe import corrections as c
from listen.transcribe.uncertain import next_spot, uncertain_words
from listen.workspace import resolve_workspace


def said(words: str, start: float, probabilities: list[float], step: float = 0.5) -> Segment:
    """A segment as Whisper stores it: the text, and each word timed with its probability."""
    tokens = words.split()
    timed = [
        Word(start + i * step, start + (i + 1) * step, token, p)
        for i, (token, p) in enumerate(zip(tokens, probabilities, strict=True))
    ]
    return Segment(start, start + len(tokens) * step, words, words=timed)


def machine() -> Transcript:
    segments = [
        said("my family arrived correct", 0.0, [0.95, 0.21, 0.9, 0.32]),
        said("the box was crushed badly", 3.0, [0.9, 0.4, 0.99, 0.9, 0.8]),
        said("can I get a refund", 6.0, [0.9, 0.9, 0.9, 0.9, 0.45]),
    ]
    return Transcript(
        text="", segments=segments, engine="faster-whisper", created_at="2026-11-20T09:00:00+00:00"
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(resolve_workspace(tmp_path / "ws"))


# --------------------------------------------------------------------------- the operations


def test_an_edit_keeps_the_machines_text_and_the_timing_of_the_words_left_alone() -> None:
    t = c.edit_text(machine(), 0, "My helmet arrived cracked.")
    seg = t.segments[0]
    assert seg.text == "My helmet arrived cracked." and seg.corrected
    assert seg.original_text == "my family arrived correct"
    # "my" and "arrived" are still there (case and punctuation ignored): they keep their times
    assert [(w.word, w.start) for w in seg.words] == [("my", 0.0), ("arrived", 1.0)]
    assert (seg.start, seg.end) == (0.0, 2.0)
    assert "My helmet arrived cracked." in t.text
    # a second edit keeps the machine's text, not the first correction
    again = c.edit_text(t, 0, "my helmet arrived broken")
    assert again.segments[0].original_text == "my family arrived correct"
    assert not again.segments[1].corrected


def test_a_word_the_model_split_in_two_stays_one_word() -> None:
    seg = Segment(0.0, 1.0, "a two-less ride", words=[
        Word(0.0, 0.2, "a", 0.9), Word(0.2, 0.4, "two", 0.1), Word(0.4, 0.6, "-less", 0.7),
        Word(0.6, 1.0, "ride", 0.9)])  # fmt: skip
    t = Transcript(segments=[seg])
    spots = uncertain_words(t, 0.5)
    assert [(s.word, s.probability, s.start, s.end) for s in spots] == [("two-less", 0.1, 0.2, 0.6)]
    edited = c.edit_text(t, 0, "a tubeless ride")
    assert [w.word for w in edited.segments[0].words] == ["a", "ride"]


def test_split_at_a_word_divides_text_words_and_time() -> None:
    t = c.split_segment(machine(), 1, 2)  # before "was"
    left, right = t.segments[1], t.segments[2]
    assert (left.text, right.text) == ("the box", "was crushed badly")
    assert [w.word for w in left.words] == ["the", "box"]
    assert [w.word for w in right.words] == ["was", "crushed", "badly"]
    assert left.end == right.start == 4.0  # where "was" starts
    assert left.original_text == "the box" and right.original_text == "was crushed badly"
    assert len(t.segments) == 4
    with pytest.raises(c.CorrectionError):
        c.split_segment(machine(), 1, 0)


def test_split_of_a_corrected_segment_splits_the_machines_text_where_the_words_line_up() -> None:
    t = c.edit_text(machine(), 1, "the box was crushed, really badly")
    t = c.split_segment(t, 1, 3)  # before "crushed,"
    assert t.segments[1].original_text == "the box was"
    assert t.segments[2].original_text == "crushed badly"
    assert t.segments[2].text == "crushed, really badly"


def test_merge_joins_two_segments_with_their_words_and_machine_text() -> None:
    t = c.edit_text(machine(), 0, "my helmet arrived cracked")
    t = c.merge_segments(t, 0)
    seg = t.segments[0]
    assert seg.text == "my helmet arrived cracked the box was crushed badly"
    assert seg.original_text == "my family arrived correct the box was crushed badly"
    assert (seg.start, seg.end) == (0.0, 5.5)
    assert len(seg.words) == 2 + 5
    with pytest.raises(c.CorrectionError):
        c.merge_segments(t, len(t.segments) - 1)


def test_speakers_one_key_same_as_before_and_swap_from_here() -> None:
    assert c.next_speaker(None, ["Ana"]) == "agent"
    assert c.next_speaker("agent", ["Ana"]) == "customer"
    assert c.next_speaker("customer", ["Ana"]) == "Ana"
    assert c.next_speaker("Ana", ["Ana"]) == "agent"
    t = c.set_speaker(machine(), 0, "agent")
    t = c.set_speaker(t, 1, "customer")
    t = c.same_as_before(t, 2)
    assert [s.speaker for s in t.segments] == ["agent", "customer", "customer"]
    assert t.text.startswith("Agent: my family") and "\nCustomer: the box" in t.text
    swapped = c.swap_from(t, 1)
    assert [s.speaker for s in swapped.segments] == ["agent", "agent", "agent"]
    named = c.swap_from(c.set_speaker(c.set_speaker(machine(), 0, "Ana"), 1, "Bo"), 0)
    assert [s.speaker for s in named.segments] == ["Bo", "Ana", None]
    with pytest.raises(c.CorrectionError, match="two speakers"):
        c.swap_from(machine(), 0)
    assert not any(s.corrected for s in t.segments)  # a speaker is not a change of the text


def test_hostile_text_is_stored_as_typed_but_one_line_and_bounded() -> None:
    hostile = "\x1b]52;c;ZXZpbA==\x07 [bold red]x[/] <script>"
    t = c.edit_text(machine(), 0, hostile + "\nsecond line")
    assert t.segments[0].text == hostile + " second line"
    with pytest.raises(c.CorrectionError, match="at most"):
        c.edit_text(machine(), 0, "word " * 5000)
    with pytest.raises(c.CorrectionError, match="needs its words"):
        c.edit_text(machine(), 0, "   \n ")


# --------------------------------------------------------------------------- uncertain words


def test_uncertain_words_below_the_threshold_and_not_in_corrected_segments() -> None:
    spots = uncertain_words(machine(), 0.5)
    assert [(s.segment, s.word) for s in spots] == [(0, "family"), (0, "correct"), (1, "box"), (2, "refund")]
    assert [s.word for s in uncertain_words(machine(), 0.3)] == ["family"]
    assert uncertain_words(machine(), 0.0) == []
    corrected = c.edit_text(machine(), 0, "my helmet arrived cracked")
    assert [s.word for s in uncertain_words(corrected, 0.5)] == ["box", "refund"]
    assert next_spot(spots, 0, 0.5).word == "correct"  # the first after 0.5 s
    assert next_spot(spots, 0, 8.0).word == "family"  # from the last one on: round to the first
    assert next_spot(spots, 2, None).word == "refund"


# --------------------------------------------------------------------------- stored


def test_saved_corrections_are_read_back_searched_and_the_original_kept(store: Store) -> None:
    clip = audio_clip(store, "A call", [(0.0, "x")])
    store.write_transcript(clip.id, machine())
    assert search(store, "family")  # the machine's word is found before
    saved = c.save_corrected(store, clip.id, c.edit_text(machine(), 0, "my helmet arrived cracked"))
    back = store.transcript(clip.id)
    assert back == saved and back.has_corrections and back.segments[0].original_text
    hits = search(store, "helmet")
    assert [(h.clip_id, h.at) for h in hits] == [(clip.id, 0.0)]
    assert not search(store, "family")  # the corrected text is what search uses


def test_a_correction_of_a_transcript_replaced_meanwhile_is_refused(store: Store) -> None:
    clip = audio_clip(store, "A call", [(0.0, "x")])
    store.write_transcript(clip.id, machine())
    opened = machine()
    newer = Transcript(
        text="again", segments=[Segment(0, 1, "again")], created_at="2026-11-21T09:00:00+00:00"
    )
    store.write_transcript(clip.id, newer)
    before = tree_state(store.workspace.root)
    with pytest.raises(c.CorrectionError, match="transcribed again"):
        c.save_corrected(store, clip.id, c.edit_text(opened, 0, "my helmet"))
    assert tree_state(store.workspace.root) == before


def test_two_editors_of_one_clip_keep_each_others_corrections(store: Store) -> None:
    """Window B saves segment 1, stale window A saves segment 1 too (refused: B changed it), then
    B saves segment 2 from its own (older) view: A's refusal wrote nothing, and B's later save
    keeps what the store holds for every segment B did not touch."""
    clip = audio_clip(store, "A call", [(0.0, "x")])
    store.write_transcript(clip.id, machine())
    base_a = base_b = store.transcript(clip.id)
    assert base_a is not None
    mine_b = c.edit_text(base_b, 0, "AAA")
    c.save_corrected(store, clip.id, mine_b, base=base_b)
    base_b = mine_b
    before = tree_state(store.workspace.root)
    with pytest.raises(c.ChangedElsewhere, match="another window"):
        c.save_corrected(store, clip.id, c.edit_text(base_a, 0, "BBB"), base=base_a)
    assert tree_state(store.workspace.root) == before
    # A edits another segment instead: made on top of B's
    mine_a = c.edit_text(base_a, 2, "can I get a new one")
    c.save_corrected(store, clip.id, mine_a, base=base_a)
    # B, stale, edits segment 2: A's segment 3 stays
    c.save_corrected(store, clip.id, c.edit_text(base_b, 1, "the box was crushed"), base=base_b)
    back = store.transcript(clip.id)
    assert back is not None
    assert [s.text for s in back.segments] == ["AAA", "the box was crushed", "can I get a new one"]
    assert "can I get a new one" in back.text


def test_a_split_over_a_change_made_elsewhere_is_refused(store: Store) -> None:
    clip = audio_clip(store, "A call", [(0.0, "x")])
    store.write_transcript(clip.id, machine())
    base = store.transcript(clip.id)
    assert base is not None
    c.save_corrected(store, clip.id, c.edit_text(base, 1, "the box"), base=base)
    with pytest.raises(c.ChangedElsewhere):
        c.save_corrected(store, clip.id, c.split_segment(base, 0, 2), base=base)
    assert [s.text for s in store.transcript(clip.id).segments][1] == "the box"  # type: ignore[union-attr]


def test_keep_copy_only_when_corrected(store: Store) -> None:
    clip = audio_clip(store, "A call", [(0.0, "x")])
    store.write_transcript(clip.id, machine())
    assert c.keep_copy(store, clip.id) is None
    c.save_corrected(store, clip.id, c.set_speaker(machine(), 0, "agent"))
    first = c.keep_copy(store, clip.id)
    second = c.keep_copy(store, clip.id)
    assert first is not None and second is not None and first != second
    assert first.parent == store.workspace.transcript_path(clip.id).parent
    copied = Transcript.from_doc(json.loads(first.read_text()))
    assert copied.segments[0].speaker == "agent" and copied.has_corrections


# --------------------------------------------------------------------------- the command line


def test_show_marks_uncertain_words_and_json_has_corrected_and_original_text(store: Store) -> None:
    clip = audio_clip(store, "A call", [(0.0, "x")])
    store.write_transcript(clip.id, machine())
    t = c.edit_text(machine(), 1, "the box was \x1b[31mcrushed\x1b[0m badly")
    c.save_corrected(store, clip.id, t)
    root = store.workspace.root
    shown = run_listen("--workspace", root, "show", clip.id)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    first = next(line for line in lines if line.startswith("[0:00]"))
    assert first == "[0:00] my [?family] arrived [?correct]"  # not a terminal: no colour codes
    second = next(line for line in lines if line.startswith("[0:03]"))
    assert "\x1b" not in shown.stdout and "✎" in second and "␛[31m" in second
    assert "[?refund]" in shown.stdout
    assert any("[?word]: the model was unsure" in line and "0.50" in line for line in lines)
    (root / "listen.toml").write_text("[transcription]\nuncertain_below = 0.3\n")
    fewer = run_listen("--workspace", root, "show", clip.id).stdout
    assert "[?family]" in fewer and "[?correct]" not in fewer
    doc = json.loads(run_listen("--workspace", root, "show", clip.id, "--json").stdout)
    segments = doc["transcript"]["segments"]
    assert [s["corrected"] for s in segments] == [False, True, False]
    assert segments[1]["original_text"] == "the box was crushed badly"
    assert segments[1]["text"] == "the box was \x1b[31mcrushed\x1b[0m badly"
    assert segments[0]["original_text"] == segments[0]["text"]
    assert doc["transcript"]["corrected_at"]
    for key in ("start", "end", "text", "speaker", "words"):  # version 1: the old fields stay
        assert key in segments[0]


def test_the_threshold_is_a_setting_with_a_range(store: Store) -> None:
    root = store.workspace.root
    audio_clip(store, "A call", [(0.0, "x")])
    (root / "listen.toml").write_text("[transcription]\nuncertain_below = 1.5\n")
    result = run_listen("--workspace", root, "clips")
    assert result.returncode != 0
    assert "uncertain_below" in result.stderr and "from 0 to 1" in result.stderr


def test_transcribe_refuses_a_corrected_clip_without_force(store: Store) -> None:
    clip = audio_clip(store, "A call", [(0.0, "x")])
    store.write_transcript(clip.id, machine())
    c.save_corrected(store, clip.id, c.edit_text(machine(), 0, "my helmet arrived cracked"))
    before = tree_state(store.workspace.root)
    result = run_listen("--workspace", store.workspace.root, "transcribe", clip.id)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{clip.id}: ")
    assert "would lose" in result.stderr and "--force" in result.stderr
    assert tree_state(store.workspace.root) == before


def test_marks_on_a_terminal_are_underlines_around_sanitised_words() -> None:
    from listen.commands.uncertain_marks import UNDERLINE, marked_text

    seg = said("my \x1b[2Jfamily arrived", 0.0, [0.9, 0.1, 0.9])
    spots = uncertain_words(Transcript(segments=[seg]), 0.5)
    styled = marked_text(seg.text, spots, styled=True)
    assert styled == f"my {UNDERLINE}␛[2Jfamily\x1b[24m arrived"
    assert marked_text(seg.text, spots, styled=False) == "my [?␛[2Jfamily] arrived"


def test_transcribe_force_keeps_a_copy_of_the_corrections(store: Store, tmp_path: Path) -> None:
    """The real engine (the bundled model) on a real file: --force transcribes again; the
    corrected transcript is kept beside the new one and the command says where."""
    import dataclasses
    import math
    import struct
    import wave

    from listen.ingest.submit import submit_file

    path = tmp_path / "call.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 5))) for i in range(32000)))
    clip = submit_file(store, path, submitted_by="Ben").clip
    store.write_transcript(clip.id, machine())
    with store.transaction() as tx:
        tx.put(dataclasses.replace(tx.clip(clip.id), status="transcribed", has_transcript=True))
    c.save_corrected(store, clip.id, c.edit_text(machine(), 0, "my helmet arrived cracked"))
    result = run_listen(
        "--workspace", store.workspace.root, "transcribe", clip.id, "--force", "--threads", "1"
    )
    assert result.returncode == 0, result.stderr
    [copy] = store.workspace.transcript_path(clip.id).parent.glob("transcript.corrected-*.json")
    assert copy.name in result.stdout
    kept = Transcript.from_doc(json.loads(copy.read_text()))
    assert kept.segments[0].text == "my helmet arrived cracked"
    fresh = store.transcript(clip.id)
    assert fresh is not None and not fresh.has_corrections
    assert all(not s.corrected for s in fresh.segments)
