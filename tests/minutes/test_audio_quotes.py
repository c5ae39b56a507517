"""Audio quotes (issue 15): cut, bleep, encode, link, embed; files owner-only and in their folder.

These tests need no speech model: the clips are tone bursts standing for words, at known times,
with the transcript a transcription would store for them (``audio_helpers``), so where a bleep
landed can be read back from the exported Ogg file's spectrum. The round trip through the bundled
Whisper model (speech in, speech model on the bleeped file) is ``tests/transcribe/test_audio_roundtrip.py``.
"""

from __future__ import annotations

import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from listen.audio.decode import decode_audio, inspect_audio
from listen.errors import ListenError
from listen.minutes import MinutesOptions, audio_export, build_minutes
from listen.minutes.anonymise import People
from listen.minutes.audio_export import export_minutes_with_audio, render_html_with_audio
from listen.minutes.audio_quotes import PAD_SECONDS, build_audio, cut, fade
from listen.minutes.bleep import (
    MARGIN_SECONDS,
    NoWordTimes,
    TimedWord,
    Unlocated,
    apply_bleeps,
    find_bleeps,
    words_near,
)
from listen.minutes.render_html import CSP
from listen.settings import Settings
from listen.store import Store
from listen.workspace import Workspace
from tests.helpers import run_listen
from tests.minutes.audio_helpers import (
    RATE,
    WORD_HZ,
    Said,
    audio_clip,
    band_level,
    session_with_quotes,
    tone_words,
    transcript_of,
)
from tests.minutes.minutes_fixture import HOSTILE, HOSTILE_DAY, build_hostile
from tests.minutes.test_html import ALLOWED_TAGS, read

PHONE = "My number is five five five two one three four four seven seven. Thanks a lot."
NO_PII = "The parcel came late and the box was broken. Nobody called me back."
SETTINGS = Settings(region="US")
PEOPLE = People([], {})


def timed(
    text: str, *, start: float = 1.0, step: float = 0.55, speaker: str | None = None
) -> list[TimedWord]:
    words = text.split()
    return [TimedWord(start + i * step, start + i * step + 0.4, w, speaker) for i, w in enumerate(words)]


# --------------------------------------------------------------------------- bleep spans


def test_digits_read_out_are_one_bleep_widened_by_the_margin() -> None:
    words = timed(PHONE)
    bleeps = find_bleeps(words, PHONE, region="US", people=PEOPLE, redacting=True)
    digits = [w for w in words if w.text.strip(".") in ("five", "two", "one", "three", "four", "seven")]
    assert len(bleeps) == 1 and bleeps[0].category == "phone"
    assert bleeps[0].start == pytest.approx(digits[0].start - MARGIN_SECONDS)
    assert bleeps[0].end == pytest.approx(digits[-1].end + MARGIN_SECONDS)
    assert MARGIN_SECONDS >= 0.2  # word times 0.2 s off are still covered


def test_email_said_and_names_only_when_anonymising() -> None:
    text = "Ana Lima said write to zoltan dot berg at quikmail dot com today."
    words = timed(text)
    people = People(["Ana Lima"], {"Ana Lima": "support lead"}, anonymise=True)
    plain = find_bleeps(words, text, region="US", people=PEOPLE, redacting=True)
    named = find_bleeps(words, text, region="US", people=people, redacting=True)
    assert [b.category for b in plain] == ["email"]
    by_word = {w.text: w for w in words}
    assert plain[0].start <= by_word["zoltan"].start and plain[0].end >= by_word["com"].end
    assert {b.category for b in named} == {"email", "name"}
    assert named[0].start <= by_word["Ana"].start - MARGIN_SECONDS + 1e-9
    assert find_bleeps(words, text, region="US", people=people, redacting=False)[0].category == "name"


def test_personal_data_in_the_quote_text_is_found_among_the_words() -> None:
    """A quote trimmed by the facilitator: its data is placed by aligning its words with the transcript's."""
    words = timed("so um my card is 4111 1111 1111 1111 okay")
    bleeps = find_bleeps(words, "my card is 4111 1111 1111 1111", region="US", people=PEOPLE, redacting=True)
    assert len(bleeps) == 1 and bleeps[0].start <= words[5].start and bleeps[0].end >= words[8].end


def test_data_the_words_do_not_hold_cannot_be_bleeped() -> None:
    words = timed("call me any time you like")
    with pytest.raises(Unlocated):
        find_bleeps(words, "call me on 555 213 4477", region="US", people=PEOPLE, redacting=True)


def test_cue_words_said_before_the_quote_count() -> None:
    """'call me on' said just before the quoted digits makes five of them a phone number: the words
    around a quote are read with it (``words_near`` gives them), not the quote's words alone."""
    words = timed("please call me on five five two one three")
    digits = "five five two one three"
    alone = find_bleeps(words[4:], digits, region="US", people=PEOPLE, redacting=True)
    with_cue = find_bleeps(words, digits, region="US", people=PEOPLE, redacting=True)
    assert alone == []  # five digits with no cue: a quantity, for the text redactor and the sound's net
    assert len(with_cue) == 1 and with_cue[0].start <= words[4].start and with_cue[0].end >= words[-1].end


def test_speakers_are_read_apart() -> None:
    """Stereo calls: each side's words are one text (the agent's words never split a number)."""
    customer = timed("five five five two one three four four seven seven", speaker="customer", step=0.6)
    agent = [TimedWord(w.start + 0.3, w.end + 0.3, "yes", "agent") for w in customer[::3]]
    bleeps = find_bleeps(agent + customer, "five five five two one three four four seven seven", region="US",
                         people=PEOPLE, redacting=True)  # fmt: skip
    assert len(bleeps) == 1 and bleeps[0].end >= customer[-1].end


def test_words_near_needs_word_times(workspace: Workspace) -> None:
    _, said = tone_words(NO_PII.split())
    with pytest.raises(NoWordTimes):
        words_near(transcript_of(said, words=False), said[0].start, said[-1].end)
    with pytest.raises(NoWordTimes):
        words_near(None, 0.0, 1.0)
    assert len(words_near(transcript_of(said), said[2].start, said[4].end)) == len(said)


def test_tone_and_silence_replace_only_their_stretch() -> None:
    samples = np.full(RATE * 2, 0.01, dtype=np.float32)
    from listen.minutes.bleep import Bleep

    toned = apply_bleeps(samples, RATE, [Bleep(1.5, 2.0, "phone")], offset=1.0)
    assert np.all(toned[: RATE // 2] == samples[: RATE // 2]) and np.all(toned[RATE:] == samples[RATE:])
    assert band_level(toned[RATE // 2 + 200 : RATE - 200], 1000.0) > 0.9
    assert 0.1 < float(np.max(np.abs(toned))) <= 0.25  # moderate
    silent = apply_bleeps(samples, RATE, [Bleep(1.5, 2.0, "phone")], offset=1.0, mode="silence")
    assert not np.any(silent[RATE // 2 : RATE]) and np.all(silent[: RATE // 2] == 0.01)


def test_cut_keeps_the_padding_and_fades_it() -> None:
    samples = np.ones(RATE * 10, dtype=np.float32)
    sound, offset = cut(samples, 2.0, 4.0)
    assert offset == pytest.approx(2.0 - PAD_SECONDS)
    assert sound.shape[0] == pytest.approx((2.0 + 2 * PAD_SECONDS) * RATE, abs=2)
    faded = fade(sound)
    assert faded[0] == pytest.approx(0.0, abs=1e-6) and faded[-1] == pytest.approx(0.0, abs=1e-6)
    assert np.all(faded[int(PAD_SECONDS * RATE) : -int(PAD_SECONDS * RATE)] == 1.0)
    edge, edge_offset = cut(samples, 0.1, 9.95)  # within the clip
    assert edge_offset == 0.0 and edge.shape[0] == samples.shape[0]


# --------------------------------------------------------------------------- export


def _tone_clip(store: Store, tmp_path: Path, text: str = PHONE, *, shift: float = 0.0, stereo: bool = False,
               name: str = "call") -> tuple[str, list[Said]]:  # fmt: skip
    samples, said = tone_words(text.split())
    channels = [samples, np.zeros_like(samples)] if stereo else [samples]
    clip_id = audio_clip(store, tmp_path, name, channels)
    store.write_transcript(clip_id, transcript_of(said, shift=shift, speaker="customer" if stereo else None))
    return clip_id, said


@pytest.mark.parametrize(("shift", "stereo"), [(0.0, False), (0.2, False), (-0.2, True)])
def test_exported_quote_has_its_digits_bleeped_and_the_rest_kept(
    workspace: Workspace, tmp_path: Path, shift: float, stereo: bool
) -> None:
    store = Store(workspace)
    clip_id, said = _tone_clip(store, tmp_path, shift=shift, stereo=stereo)
    session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, PHONE)])
    done = export_minutes_with_audio(store, SETTINGS, workspace)
    assert done.folder is not None and [q.name for q in done.audio.quotes] == ["q01.ogg"]
    sound = decode_audio(done.folder / "q01.ogg")
    offset = said[0].start - PAD_SECONDS
    assert sound.shape[0] / RATE == pytest.approx(said[-1].end - said[0].start + 2 * PAD_SECONDS, abs=0.05)
    digits = [w for w in said if w.text.strip(".") in ("five", "two", "one", "three", "four", "seven")]
    for word in digits:  # every digit word, whole, is under the tone
        a, b = int((word.start - offset) * RATE), int((word.end - offset) * RATE)
        assert band_level(sound[a:b], WORD_HZ) < 0.02, word
        assert band_level(sound[a:b], 1000.0) > 0.8, word
    bleeped = (digits[0].start - MARGIN_SECONDS - abs(shift), digits[-1].end + MARGIN_SECONDS + abs(shift))
    clear = [w for w in said if w.end < bleeped[0] - 0.05 or w.start > bleeped[1] + 0.05]
    assert clear, "the test needs words away from the bleep"
    for word in clear:  # words away from it are still there
        a, b = int((word.start - offset + 0.05) * RATE), int((word.end - offset - 0.05) * RATE)
        assert band_level(sound[a:b], WORD_HZ) > 0.8, word


def test_markdown_links_resolve_beside_the_minutes_and_files_are_owner_only(
    workspace: Workspace, tmp_path: Path
) -> None:
    store = Store(workspace)
    phone, said = _tone_clip(store, tmp_path)
    other, said2 = _tone_clip(store, tmp_path, NO_PII, name="late")
    quotes = [
        (phone, said[0].start, said[-1].end, PHONE),
        (other, said2[0].start, said2[5].end, "The parcel came late"),
        (other, said2[6].start, said2[-1].end, "Nobody called me back."),
    ]
    session_with_quotes(store, quotes)
    out = tmp_path / "out" / "my minutes (1).md"
    out.parent.mkdir()
    result = run_listen("export", "--audio", "--reel", "-o", out, "--workspace", workspace.root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == str(out)
    size = re.search(r"audio: 3 of 3 quotes with audio and a reel, (\d+) KB in total", lines[1])
    assert size and int(size.group(1)) > 0
    text = out.read_text()
    links = re.findall(r"\]\(([^)]+\.ogg)\)", text)
    assert len(links) == 4 and not any(link.startswith("/") for link in links)
    folder = out.parent / "my minutes (1).audio"
    total = 0
    for link in links:
        from urllib.parse import unquote

        target = (out.parent / unquote(link)).resolve()
        assert target.parent == folder.resolve() and target.is_file()
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        info = inspect_audio(target)
        assert info.codec == "opus" and info.container == "ogg" and info.channels == 1
        total += target.stat().st_size
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert abs(total / 1024 - int(size.group(1))) <= 1
    assert sorted(p.name for p in folder.iterdir()) == ["q01.ogg", "q02.ogg", "q03.ogg", "reel.ogg"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["my minutes (1).audio", "my minutes (1).md"]
    assert "#### Reel chapters" in text and text.count(" q0") >= 3
    reel = inspect_audio(folder / "reel.ogg")
    quotes = sum(inspect_audio(folder / f"q0{i}.ogg").duration for i in (1, 2, 3))
    assert quotes < reel.duration < quotes + 3.0  # the quotes and two short tones between them
    # bitrate: a speech rate, not a music one
    seconds = sum(inspect_audio(folder / f"q0{i}.ogg").duration for i in (1, 2, 3))
    assert total_bits_per_second(folder, seconds) < 40_000


def total_bits_per_second(folder: Path, seconds: float) -> float:
    size = sum((folder / f"q0{i}.ogg").stat().st_size for i in (1, 2, 3))
    return size * 8 / seconds


def test_a_quote_without_word_times_is_left_out_unless_no_redact(
    workspace: Workspace, tmp_path: Path
) -> None:
    store = Store(workspace)
    samples, said = tone_words(NO_PII.split())
    clip_id = audio_clip(store, tmp_path, "old", [samples])
    store.write_transcript(clip_id, transcript_of(said, words=False))
    session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, NO_PII)])
    done = export_minutes_with_audio(store, SETTINGS, workspace)
    assert not done.audio.quotes and len(done.audio.left_out) == 1
    text = done.path.read_text()
    assert "*(no audio: its transcript has no word timings, so personal data cannot be bleeped)*" in text
    assert "q01 (clip 1): its transcript has no word timings" in text
    assert any("no audio for q01" in line for line in done.summary())
    assert done.folder is not None and not list(done.folder.glob("*.ogg"))
    raw = export_minutes_with_audio(store, SETTINGS, workspace, options=MinutesOptions(redact=False))
    assert [q.name for q in raw.audio.quotes] == ["q01.ogg"] and not raw.audio.bleeped
    assert "not bleeped" in raw.path.read_text()
    assert raw.folder is not None and (raw.folder / "q01.ogg").is_file()


def test_text_clips_have_no_audio_and_stale_files_go(workspace: Workspace, tmp_path: Path) -> None:
    store = Store(workspace)
    phone, said = _tone_clip(store, tmp_path)
    note = tmp_path / "chat.txt"
    note.write_text("Customer: my parcel is late\n")
    text_clip = submit_text(store, note)
    session_with_quotes(store, [(phone, said[0].start, said[-1].end, PHONE), (text_clip, None, None, "late")])
    done = export_minutes_with_audio(store, SETTINGS, workspace)
    assert [q.number for q in done.audio.quotes] == [1] and not done.audio.left_out
    assert done.folder is not None
    (done.folder / "q07.ogg").write_bytes(b"old")
    (done.folder / "notes.txt").write_text("mine")
    export_minutes_with_audio(store, SETTINGS, workspace)
    assert sorted(p.name for p in done.folder.iterdir()) == ["notes.txt", "q01.ogg"]


def test_a_session_quoting_only_text_clips_makes_no_audio_folder(
    workspace: Workspace, tmp_path: Path
) -> None:
    store = Store(workspace)
    note = tmp_path / "chat.txt"
    note.write_text("Customer: my parcel is late\n")
    session_with_quotes(store, [(submit_text(store, note), None, None, "late")])
    done = export_minutes_with_audio(store, SETTINGS, workspace)
    assert done.audio.quotes == () and done.folder is not None and not done.folder.exists()


def submit_text(store: Store, path: Path) -> str:
    from listen.ingest.submit import submit_file

    return submit_file(store, path, submitted_by="Ben Okafor").clip.id


def test_nothing_is_written_outside_the_documents_folder(workspace: Workspace, tmp_path: Path) -> None:
    store = Store(workspace)
    clip_id, said = _tone_clip(store, tmp_path)
    session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, PHONE)])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "docs" / "m.md"
    out.parent.mkdir()
    (out.parent / "m.audio").symlink_to(elsewhere)
    with pytest.raises(ListenError, match="not a folder"):
        export_minutes_with_audio(store, SETTINGS, workspace, output=out)
    assert not list(elsewhere.iterdir()) and not out.exists()
    inside = workspace.clips_dir / "m.md"
    with pytest.raises(ListenError, match="clips/"):
        export_minutes_with_audio(store, SETTINGS, workspace, output=inside)
    with pytest.raises(ListenError, match="does not exist"):
        export_minutes_with_audio(store, SETTINGS, workspace, output=tmp_path / "nowhere" / "m.md")
    assert not (tmp_path / "nowhere").exists()
    foreign = tmp_path / "docs" / "theirs.md"
    foreign.write_text("someone's notes")
    with pytest.raises(ListenError, match="--force"):
        export_minutes_with_audio(store, SETTINGS, workspace, output=foreign)
    assert not (foreign.parent / "theirs.audio").exists()


def test_markdown_to_standard_output_cannot_take_audio(workspace: Workspace, tmp_path: Path) -> None:
    store = Store(workspace)
    clip_id, said = _tone_clip(store, tmp_path)
    session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, PHONE)])
    before = sorted(p.name for p in workspace.root.iterdir())
    result = run_listen("export", "--audio", "-o", "-", "--workspace", workspace.root)
    assert result.returncode != 0 and "--format html" in result.stderr
    html = run_listen("export", "--audio", "-o", "-", "--format", "html", "--workspace", workspace.root)
    assert html.returncode == 0, html.stderr
    assert html.stdout.count("data:audio/ogg;base64,") == 1 and "audio: 1 of 1 quote" in html.stderr
    assert sorted(p.name for p in workspace.root.iterdir()) == before


def test_the_setting_turns_audio_on_and_is_checked(workspace: Workspace, tmp_path: Path) -> None:
    store = Store(workspace)
    clip_id, said = _tone_clip(store, tmp_path)
    session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, PHONE)])
    workspace.settings_path.write_text(
        'minutes_audio = true\nminutes_audio_bleep = "silence"\nregion = "US"\n'
    )
    result = run_listen("export", "--workspace", workspace.root)
    assert result.returncode == 0, result.stderr
    assert "audio: 1 of 1 quote with audio" in result.stdout
    document = Path(result.stdout.splitlines()[0])
    assert "(silence)" in document.read_text()
    sound = decode_audio(document.with_suffix(".audio") / "q01.ogg")
    offset = said[0].start - PAD_SECONDS
    five = said[3]
    assert (
        float(np.abs(sound[int((five.start - offset) * RATE) : int((five.end - offset) * RATE)]).max()) < 0.01
    )
    piped = run_listen("export", "-o", "-", "--workspace", workspace.root)  # the setting: no folder to fill
    assert piped.returncode == 0 and "## Audio" not in piped.stdout and "no audio quotes" in piped.stderr
    workspace.settings_path.write_text('minutes_audio_bleep = "beep"\n')
    bad = run_listen("export", "--workspace", workspace.root)
    assert bad.returncode != 0 and "minutes_audio_bleep" in bad.stderr and bad.stderr.count("\n") == 1


# --------------------------------------------------------------------------- HTML


def hostile_with_audio(workspace: Workspace, tmp_path: Path) -> tuple[Store, str]:
    """The hostile session (every text people typed is hostile) plus a real clip quoted in it
    with hostile words, and an open session holding it."""
    store = Store(workspace)
    build_hostile(store)
    words = [w for text in HOSTILE[:6] for w in text.split()][:40]
    samples, said = tone_words(words, word_seconds=0.2, gap=0.05)
    clip_id = audio_clip(store, tmp_path, "hostile", [samples])
    store.write_transcript(clip_id, transcript_of(said))
    session_id = session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, HOSTILE[0]),
                                             (clip_id, said[1].start, said[9].end, HOSTILE[1])],
                                     date=HOSTILE_DAY)  # fmt: skip
    return store, session_id


class Urls(HTMLParser):
    """Every URL-bearing attribute of a page (src, href, srcset, poster, data, action...)."""

    URL_ATTRIBUTES: ClassVar[set[str]] = {
        "src", "href", "srcset", "poster", "data", "action", "formaction", "background", "cite",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [(tag, value or "") for name, value in attrs if name in self.URL_ATTRIBUTES]


def test_html_with_audio_is_harmless_self_contained_and_csp_is_the_old_one_plus_media(
    workspace: Workspace, tmp_path: Path
) -> None:
    store, session_id = hostile_with_audio(workspace, tmp_path)
    options = MinutesOptions(redact=False)
    minutes = build_minutes(store, Settings(), session_id, options)
    audio = build_audio(store, Settings(), minutes, options)
    page_text, embedded = render_html_with_audio(minutes, audio)
    assert len(embedded.quotes) == 2
    page = read(page_text)
    assert set(page.tags) <= ALLOWED_TAGS | {"audio"}
    assert page.tags.count("audio") == 2
    attributes = {(tag, name) for tag, name, _ in page.attributes}
    assert attributes <= {("html", "lang"), ("meta", "charset"), ("meta", "http-equiv"), ("meta", "content"),
                          ("meta", "name"), ("audio", "controls"), ("audio", "preload"), ("audio", "title"),
                          ("audio", "src")}  # fmt: skip
    csp = [v for tag, name, v in page.attributes if name == "content" and v and "default-src" in v]
    assert csp == [CSP + "; media-src data:"]
    urls = Urls()
    urls.feed(page_text)
    assert len(urls.urls) == 2 and all(url.startswith("data:audio/ogg;base64,") for _, url in urls.urls)
    assert not re.search(r"(?i)url\(", page_text)  # no CSS fetch either
    visible = " ".join(" ".join(page.text).split())
    from listen.minutes.escape import clean

    assert clean(HOSTILE[0]) in visible


def test_the_page_stays_under_its_limit_and_says_what_was_left_out(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(workspace)
    clip_id, said = _tone_clip(store, tmp_path)
    other, said2 = _tone_clip(store, tmp_path, NO_PII, name="late")
    session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, PHONE),
                                (other, said2[0].start, said2[-1].end, NO_PII)])  # fmt: skip
    minutes = build_minutes(store, SETTINGS, None)
    audio = build_audio(store, SETTINGS, minutes, MinutesOptions(), reel=True)
    whole, _ = render_html_with_audio(minutes, audio)
    first = len(audio.quotes[0].data)
    assert audio.reel is not None
    embedded = audio_export._embedded_size
    # room for q01 only (the slack aside): the whole page less the reel and q02, and a little
    limit = len(whole.encode()) - embedded(len(audio.reel)) - embedded(len(audio.quotes[1].data)) + 200
    monkeypatch.setattr(audio_export, "HTML_LIMIT_BYTES", limit + audio_export._HTML_SLACK)
    page, kept = render_html_with_audio(minutes, audio)
    assert len(page.encode()) <= limit + audio_export._HTML_SLACK
    assert [q.number for q in kept.quotes] == [1] and kept.reel is None and first > 0
    assert [(item.number, "limit" in item.reason) for item in kept.left_out] == [(2, True)]
    assert page.count("data:audio/ogg") == 1 and "Reel:</strong> left out" in page
    assert "no audio: the page would pass its" in page


def test_exports_without_audio_keep_the_old_page(workspace: Workspace, tmp_path: Path) -> None:
    store = Store(workspace)
    clip_id, said = _tone_clip(store, tmp_path)
    session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, PHONE)])
    result = run_listen("export", "--format", "html", "-o", "-", "--workspace", workspace.root)
    assert result.returncode == 0 and f'content="{CSP}"' in result.stdout and "<audio" not in result.stdout
    assert "## Audio" not in run_listen("export", "-o", "-", "--workspace", workspace.root).stdout


def test_private_modes_hold_under_a_permissive_umask(workspace: Workspace, tmp_path: Path) -> None:
    store = Store(workspace)
    clip_id, said = _tone_clip(store, tmp_path)
    session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, PHONE)])
    old = os.umask(0)
    try:
        done = export_minutes_with_audio(store, SETTINGS, workspace, reel=True)
    finally:
        os.umask(old)
    assert done.folder is not None
    for path in done.folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(done.folder.stat().st_mode) == 0o700


# ---------------------------------------------------------------- the sound's own net, the verifier


def test_digits_the_redactor_cannot_read_are_bleeped_in_the_sound() -> None:
    """What tiny.en wrote for numbers read out at 8 kHz: no text detector reads it as a number."""
    heard = "please call me on 5 .5 2 .1 free 4 .4 M in M after fixed to high."
    words = timed(heard)
    bleeps = find_bleeps(words, "x", region="US", people=PEOPLE, redacting=True)
    assert len(bleeps) == 1 and bleeps[0].start <= words[4].start and bleeps[0].end >= words[10].end
    assert bleeps[0].end < words[11].end + MARGIN_SECONDS + 1e-9  # not the words after it
    prices = timed("I bought 2 bikes and 3 helmets for 400 in total")
    assert find_bleeps(prices, "x", region="US", people=PEOPLE, redacting=True) == []
    assert find_bleeps(words, "x", region="US", people=PEOPLE, redacting=False) == []  # --no-redact


def test_the_verifier_reads_digits_however_written_and_addresses_nearly_heard() -> None:
    from listen.minutes.audio_verify import Secret, recovered, spoken_digit_runs

    assert spoken_digit_runs("4.5-3-9, 1.4-8-8 and five five") == ["45391488", "55"]
    card = Secret("card", "4539 1488 0343 6467")
    assert recovered("it was 4, 5, 3, 9 I think", [card]) == [card]
    assert recovered("one four eight eight", [card]) == [card]
    assert recovered("it was 4 5 [tone] 3 9", [card]) == []
    email = Secret("email", "zoltan dot berg at gmail dot com")
    assert recovered("write to zolton at gmail", [email]) == [email]
    assert recovered("you can email me at lowland.org. Email.com", [email]) == []


def test_a_number_the_model_split_in_two_around_a_word_is_bleeped_whole() -> None:
    """A phone number read out that tiny.en wrote as "07700" then "I'm 093" (found by a tester:
    the second half stayed audible): two digit words a word apart, seven digits or more, are one
    stretch; two ordinary numbers further apart or shorter stay."""
    words = timed("you can call me on 07700 I'm 093 my email is on file")
    bleeps = find_bleeps(words, "x", region="US", people=PEOPLE, redacting=True)
    assert bleeps and bleeps[0].start <= words[5].start and bleeps[-1].end >= words[7].end
    apart = timed("in 2026 we sold 400 bikes")
    assert find_bleeps(apart, "x", region="US", people=PEOPLE, redacting=True) == []


def test_a_correction_that_took_personal_data_out_of_the_words_leaves_the_quote_without_sound() -> None:
    """The facilitator corrected 'my email is johnsmithatgmail.com' to 'my email is on file': the
    address is still in the sound but no timed word says where, so the quote gets no audio."""
    from listen.domain import Segment, Transcript, Word
    from listen.minutes.bleep import check_corrections

    machine = "My email is johnsmith at gmail.com thanks"
    kept = [Word(1.0, 1.3, " My", 0.9), Word(1.3, 1.6, " email", 0.9), Word(1.6, 1.8, " is", 0.9)]
    corrected = Segment(1.0, 5.0, "My email is on file with you.", words=kept, original_text=machine)
    transcript = Transcript(text=corrected.text, segments=[corrected])
    with pytest.raises(Unlocated, match="correction"):
        check_corrections(transcript, 1.0, 5.0, region="US", people=PEOPLE, redacting=True)
    check_corrections(transcript, 1.0, 5.0, region="US", people=PEOPLE, redacting=False)  # --no-redact
    harmless = Segment(1.0, 5.0, "My email is fine.", words=kept, original_text="My email is fne.")
    check_corrections(Transcript(text="", segments=[harmless]), 1.0, 5.0, region="US", people=PEOPLE,
                      redacting=True)  # fmt: skip
