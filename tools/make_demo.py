#!/usr/bin/env python3
"""Build the bundled demo workspace ``sessions/`` from scratch.

    .venv/bin/python tools/make_demo.py            # rebuild sessions/ (about a minute)
    .venv/bin/python tools/make_demo.py --out DIR  # somewhere else

What it does, with listen's own code paths:
1. synthesises five short customer calls for "Northwind Cycles" with espeak-ng (agent and customer
   in two voices; one call in stereo, agent left / customer right), encoded small as Ogg/Opus with
   PyAV (bit-exact, so a rebuild gives the same bytes and the same clip ids);
2. submits them, one e-mail (.eml) and two chat threads through ``listen.ingest.submit``;
3. transcribes the calls with the bundled Whisper model through ``listen.transcribe.runner``;
4. builds three past sessions (two short ones and last week's) through ``listen.session.service``:
   follow-ups, quotes, gaps (one recurring over three weeks), ideas, dot votes, impact/effort,
   actions with owners and due dates, story checks; then sets their timestamps to the sessions'
   dates (the service stamps "now"), so the workspace reads as if it had been used for a month.

Needs espeak-ng (``apt-get install espeak-ng``). The content lives in ``tools/demo_content.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import demo_content as content  # noqa: E402

from listen.domain import Clip, RepView  # noqa: E402
from listen.ingest.submit import submit_file  # noqa: E402
from listen.session import service  # noqa: E402
from listen.settings import load_settings  # noqa: E402
from listen.store import Store  # noqa: E402
from listen.workspace import Workspace  # noqa: E402

SPEECH_RATE = 150  # words per minute
PAUSE_TURN = 0.45  # seconds of silence when the speaker changes
PAUSE_SAME = 0.25
OPUS_BITRATE = {1: 16_000, 2: 48_000}  # below ~40 kbps Opus lets one channel leak into the other
TZ = "+00:00"


# --------------------------------------------------------------------------- audio


def speak(text: str, voice: str, workdir: Path) -> tuple[np.ndarray, int]:
    """espeak-ng's rendering of ``text`` as float32 mono samples, and its sample rate."""
    out = workdir / "line.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(SPEECH_RATE), "-w", str(out), text],
        check=True,
        capture_output=True,
    )
    with wave.open(str(out), "rb") as handle:
        rate = handle.getframerate()
        data = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32768.0, rate


def render_call(call: content.Call, workdir: Path) -> tuple[np.ndarray, int]:
    """The call as (channels, samples) float32: stereo puts the agent left, the customer right."""
    voices = {"agent": content.AGENT_VOICE[call.rep], "customer": call.customer_voice}
    channels = 2 if call.stereo else 1
    pieces: list[np.ndarray] = []
    rate = 22050
    previous = None
    for speaker, text in call.lines:
        samples, rate = speak(text, voices[speaker], workdir)
        pause = np.zeros(int(rate * (PAUSE_SAME if speaker == previous else PAUSE_TURN)), np.float32)
        block = np.concatenate([pause, samples * 0.8])
        if channels == 2:
            silent = np.zeros_like(block)
            block = np.stack([block, silent] if speaker == "agent" else [silent, block])
        else:
            block = block[np.newaxis, :]
        pieces.append(block)
        previous = speaker
    tail = np.zeros((channels, int(rate * 0.3)), np.float32)
    return np.concatenate([*pieces, tail], axis=1), rate


def encode_opus(samples: np.ndarray, rate: int, path: Path) -> None:
    """Write Ogg/Opus with PyAV, bit-exact (no random stream serial, no encoder tag)."""
    import av

    channels = samples.shape[0]
    layout = "stereo" if channels == 2 else "mono"
    with av.open(str(path), "w", format="ogg", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libopus", rate=48000, layout=layout)
        stream.bit_rate = OPUS_BITRATE[channels]
        stream.codec_context.options = {"application": "voip"}
        step = rate  # one second per frame
        for start in range(0, samples.shape[1], step):
            chunk = np.ascontiguousarray(samples[:, start : start + step], dtype=np.float32)
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


# --------------------------------------------------------------------------- workspace


def write_settings(workspace: Workspace) -> None:
    members = "\n".join(f'[[members]]\nname = "{name}"\nrole = "{role}"\n' for name, role in content.MEMBERS)
    vocabulary = ", ".join(f'"{word}"' for word in content.VOCABULARY)
    workspace.settings_path.write_text(
        "# Northwind Cycles: the demo team. See README for every setting.\n"
        "# The bundled demo is read-only; `listen demo` works on a copy without the next line.\n"
        "demo = true\n"
        'prompt_pack = "weekly"\n'
        'gap_categories = ["Policy", "Procedure", "Tool", "Product", "Knowledge"]\n'
        "redact = true\n\n"
        f"{members}\n"
        "[transcription]\n"
        f"vocabulary = [{vocabulary}]\n"
        'agent_channel = "left"\n',
        encoding="utf-8",
    )


def submit_clips(store: Store, workdir: Path) -> dict[str, Clip]:
    """Every clip of the demo, keyed by call key or file name."""
    settings = load_settings(store.workspace.settings_path)
    clips: dict[str, Clip] = {}
    for name, title, text in content.CHATS:
        path = workdir / name
        path.write_text(text, encoding="utf-8")
        clips[name] = submit_file(store, path, submitted_by="Ana Ruiz", settings=settings, title=title).clip
    name, text = content.EMAIL
    path = workdir / name
    path.write_text(text, encoding="utf-8")
    view = RepView(**content.EMAIL_VIEW)  # type: ignore[arg-type]
    clips[name] = submit_file(store, path, submitted_by="Ana Ruiz", settings=settings, rep_view=view).clip
    for call in content.CALLS:
        samples, rate = render_call(call, workdir)
        path = workdir / f"call-{call.key}.ogg"
        encode_opus(samples, rate, path)
        view = RepView(
            note=call.note,
            needed=call.needed,
            hard=call.hard,
            workaround=call.workaround,
            helped=call.helped,  # type: ignore[arg-type]
        )
        result = submit_file(
            store,
            path,
            submitted_by=call.rep,
            settings=settings,
            channel="phone",
            title=call.title,
            rep_view=view,
        )
        clips[call.key] = result.clip
        print(
            f"  {call.key:9} {result.clip.duration:5.1f} s  "
            f"{path.stat().st_size / 1024:5.1f} KB  {result.clip.id}"
        )
    return clips


def transcribe(store: Store, clips: dict[str, Clip]) -> None:
    """Transcribe the queued audio clips with the bundled model, through listen's runner."""
    try:
        from listen.transcribe import runner
    except ImportError:
        raise SystemExit("make_demo: listen.transcribe.runner is not there yet") from None

    settings = load_settings(store.workspace.settings_path)
    queued = [clip.id for clip in clips.values() if clip.kind == "audio"]
    summary = runner.transcribe_clips(store, settings, queued)
    print(f"  {summary.audio_seconds:.0f} s of audio in {summary.elapsed_seconds:.0f} s ({summary.model})")
    for key, clip in clips.items():
        fresh = store.clip(clip.id)
        if fresh.kind == "audio" and fresh.status != "transcribed":
            raise SystemExit(f"{key}: transcription {fresh.status}: {fresh.failure}")


# --------------------------------------------------------------------------- sessions


def _tokens(text: str) -> list[str]:
    return [t for t in "".join(c if c.isalnum() or c.isspace() else " " for c in text.lower()).split()]


def moment(store: Store, clip: Clip, words: str) -> tuple[float, float, str, str | None]:
    """Where the transcript says (about) ``words``: the run of transcribed words that best matches
    them, as (start, end, text as transcribed, speaker). Falls back to whole segments when the
    engine gave no word timings."""
    transcript = store.transcript(clip.id)
    if transcript is None or not transcript.segments:
        raise SystemExit(f"{clip.id}: no transcript to quote from")
    wanted = _tokens(words)
    units: list[tuple[float, float, str, str | None]] = []
    for segment in transcript.segments:
        if segment.words:
            units.extend((w.start, w.end, w.word.strip(), segment.speaker) for w in segment.words)
        else:
            units.append((segment.start, segment.end, segment.text.strip(), segment.speaker))
    size = max(1, min(len(units), len(wanted))) if any(s.words for s in transcript.segments) else 1
    best, best_score = 0, -1.0
    for first in range(0, len(units) - size + 1):
        got = _tokens(" ".join(u[2] for u in units[first : first + size]))
        score = difflib.SequenceMatcher(None, wanted, got).ratio()
        if score > best_score:
            best, best_score = first, score
    run = units[best : best + size]
    text = " ".join(u[2] for u in run).strip()
    return run[0][0], run[-1][1], text, run[0][3]


def quote(store: Store, sid: str, clip: Clip, words: str) -> tuple[float | None, str]:
    """Mark a quote: audio clips at the matching words of the transcript, text clips by the words."""
    if clip.kind == "text":  # said by whoever sent the message that holds the words
        transcript = store.transcript(clip.id)
        segments = transcript.segments if transcript else []
        said = next((s for s in segments if words in s.text), None)
        speaker, sender = (said.speaker, said.sender) if said else (None, None)
        service.mark_quote(store, sid, clip.id, None, None, words, speaker, sender=sender, now=MEETING)
        return None, words
    begin, finish_at, text, speaker = moment(store, clip, words)
    service.mark_quote(store, sid, clip.id, begin, finish_at, text, speaker, now=MEETING)
    return begin, text


class MeetingClock:
    """The time inside the meeting being built: it starts at 10:00 on the session's date and each
    change the service stamps takes one more minute, so the demo needs no timestamps rewritten."""

    def __init__(self) -> None:
        self.start = dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC)
        self.minutes = 0

    def begin(self, date: str) -> None:
        self.start = dt.datetime.fromisoformat(f"{date}T10:00:00{TZ}")
        self.minutes = 0

    def __call__(self) -> dt.datetime:
        moment = self.start + dt.timedelta(minutes=self.minutes)
        self.minutes += 1
        return moment

    def after(self, minutes: float) -> Callable[[], dt.datetime]:
        """A clock stopped ``minutes`` after the start (the close, once the agenda's time is spent)."""
        return lambda: self.start + dt.timedelta(minutes=minutes)


MEETING = MeetingClock()


def start(store: Store, past: content.PastSession, clips: dict[str, Clip]) -> str:
    roles = dict(content.MEMBERS)
    MEETING.begin(past.date)
    return service.start_session(
        store,
        facilitator=past.facilitator,
        attendees=[(name, roles[name]) for name in past.attendees],
        pack_name="weekly",
        clip_ids=[clips[key].id for key in past.clips],
        date=past.date,
        now=MEETING,
    ).id


def finish(store: Store, past: content.PastSession, sid: str, clips: dict[str, Clip]) -> None:
    """Story check, time per agenda entry (keys as ``Agenda`` makes them), the last step, close."""
    from listen.session.agenda import Agenda
    from listen.session.packs import load_pack

    seconds: dict[str, float] = {}
    for key, minutes in past.minutes.items():
        if key == "listen" and len(past.clips) == 1:
            key = f"listen:{clips[past.clips[0]].id}"
        elif key.startswith("listen:"):
            key = f"listen:{clips[key.split(':', 1)[1]].id}"
        seconds[key] = minutes * 60.0
    if past.story:
        service.save_story_check(store, sid, past.story)
    agenda = Agenda(load_pack("weekly"), [clips[key].id for key in past.clips])
    assert set(seconds) <= {entry.key for entry in agenda.entries}, seconds
    service.save_progress(store, sid, len(agenda.entries) - 1, seconds)
    service.close_session(store, sid, now=MEETING.after(sum(seconds.values()) / 60.0))


def build_sessions(store: Store, clips: dict[str, Clip]) -> None:
    s1, s2, s3 = content.SESSIONS

    # ---- three weeks ago: the refund gap first shows up
    sid = start(store, s1, clips)
    gloves = clips["chat-gloves-return.txt"]
    at, said = quote(store, sid, gloves, "A manager has to approve the refund, I have asked.")
    refund = service.tag_new_gap(
        store,
        session_id=sid,
        clip_id=gloves.id,
        category="Policy",
        title="Every refund needs a manager's approval",
        description="Support cannot refund anything, however small or obvious; the customer waits "
        "until a manager signs it off.",
        severity=3,
        verdict="rephrase",
        at=at,
        quote=said,
        by="Ana Ruiz",
        now=MEETING,
    )
    timing = service.tag_new_gap(
        store,
        session_id=sid,
        clip_id=gloves.id,
        category="Knowledge",
        title="No written answer to 'how long does a refund take?'",
        description="Reps cannot promise a date, so they say 'a few days'.",
        severity=1,
        quote="I cannot promise a date, sorry.",
        by="Sam Okafor",
        now=MEETING,
    )
    limit = service.add_idea(
        store,
        session_id=sid,
        text="Agree a refund limit support can approve alone",
        gap_ids=[refund.id],
        author="Ana Ruiz",
        now=MEETING,
    )
    handbook = service.add_idea(
        store,
        session_id=sid,
        text="Write typical refund times into the handbook",
        gap_ids=[timing.id],
        author="Sam Okafor",
        now=MEETING,
    )
    twice = service.add_idea(
        store,
        session_id=sid,
        text="Marta approves refunds twice a day",
        gap_ids=[refund.id],
        author="Leo Berg",
        now=MEETING,
    )
    for who, idea in (
        ("Marta Novak", limit),
        ("Ana Ruiz", limit),
        ("Sam Okafor", handbook),
        ("Leo Berg", limit),
    ):
        service.cast_vote(store, idea.id, who)
    service.set_impact_effort(store, limit.id, 3, 2)
    service.set_impact_effort(store, handbook.id, 1, 1)
    service.set_impact_effort(store, twice.id, 2, 2)
    service.pick_idea(store, limit.id)
    a_limit = service.commit_action(
        store,
        session_id=sid,
        idea_id=limit.id,
        title="Propose a refund limit support can approve alone",
        owner="Ana Ruiz",
        due="2026-11-13",
        now=MEETING,
    )
    finish(store, s1, sid, clips)

    # ---- two weeks ago: it recurs; the courier gap appears
    sid = start(store, s2, clips)
    service.follow_up(
        store, sid, a_limit.id, "carried", "Draft is ready; Marta wants to review it.", now=MEETING
    )
    bell = clips["chat-scratched-bell.txt"]
    at, said = quote(store, sid, bell, "Even small refunds need a manager, so it will take a day or two.")
    service.link_gap(store, refund.id, session_id=sid, clip_id=bell.id, at=at, quote=said, now=MEETING)
    courier = service.tag_new_gap(
        store,
        session_id=sid,
        clip_id=bell.id,
        category="Tool",
        title="Courier tracking links expire after 7 days",
        description="Parcels that take longer leave the customer with a dead link.",
        severity=2,
        quote="the tracking link in your email stopped working",
        by="Priya Shah",
        now=MEETING,
    )
    links = service.add_idea(
        store,
        session_id=sid,
        text="Ask the courier for tracking links that last 30 days",
        gap_ids=[courier.id],
        author="Priya Shah",
        now=MEETING,
    )
    small = service.add_idea(
        store,
        session_id=sid,
        text="Let support refund anything under £10 at once",
        gap_ids=[refund.id],
        author="Sam Okafor",
        now=MEETING,
    )
    for who, idea in (
        ("Ana Ruiz", links),
        ("Marta Novak", links),
        ("Sam Okafor", small),
        ("Priya Shah", links),
    ):
        service.cast_vote(store, idea.id, who)
    service.set_impact_effort(store, links.id, 2, 1)
    service.pick_idea(store, links.id)
    a_courier = service.commit_action(
        store, session_id=sid, idea_id=links.id, title="", owner="Priya Shah", due="2026-11-20", now=MEETING
    )
    service.set_gap_status(store, courier.id, "fixing")
    finish(store, s2, sid, clips)

    # ---- last week: the session a new user finds in the minutes
    sid = start(store, s3, clips)
    service.follow_up(
        store,
        sid,
        a_limit.id,
        "done",
        "Marta agreed £50; it still has to reach the handbook and till.",
        now=MEETING,
    )
    service.follow_up(
        store, sid, a_courier.id, "carried", "The courier can do it for a fee; Marta to decide.", now=MEETING
    )
    helmet, email = clips["helmet"], clips["refund-gloves.eml"]
    at, said = quote(
        store, sid, helmet, "I cannot give you a refund myself. Every refund needs a manager to approve it."
    )
    service.link_gap(store, refund.id, session_id=sid, clip_id=helmet.id, at=at, quote=said, now=MEETING)
    at_away, said_away = quote(
        store, sid, helmet, "Marta is away at a trade fair until Thursday, so probably Friday."
    )
    quote(store, sid, helmet, "So I wait a week for money on a broken helmet. That is not great.")
    away = service.tag_new_gap(
        store,
        session_id=sid,
        clip_id=helmet.id,
        category="Procedure",
        title="Nobody approves refunds while the manager is away",
        description="When Marta is out, refunds wait until she is back: a week at a trade fair means a week.",
        severity=2,
        at=at_away,
        quote=said_away,
        by="Leo Berg",
        now=MEETING,
    )
    said = "the refund just needed a manager to sign it off"
    quote(store, sid, email, said)
    service.link_gap(store, refund.id, session_id=sid, clip_id=email.id, quote=said, now=MEETING)
    blind = service.tag_new_gap(
        store,
        session_id=sid,
        clip_id=email.id,
        category="Tool",
        title="Customers cannot see where their refund is",
        description="No status on the order page and no e-mail when a refund is approved or paid.",
        severity=2,
        quote="I have heard nothing",
        by="Priya Shah",
        now=MEETING,
    )
    ideas = {}
    for key, text, gaps, author in (
        ("rule", "Put the £50 refund limit into the handbook and the till notes", [refund], "Ana Ruiz"),
        ("deputy", "Name a deputy who approves refunds when Marta is away", [away], "Sam Okafor"),
        (
            "mail",
            "Send an automatic e-mail when a refund is approved and when it is paid",
            [blind],
            "Priya Shah",
        ),
        ("phone", "Let Marta approve refunds from a phone notification", [refund, away], "Leo Berg"),
        ("morning", "Check the refund queue every morning at opening", [refund, blind], "Marta Novak"),
        ("status", "Show the refund status on the customer's order page", [blind], "Priya Shah"),
        ("photo", "Refund items damaged in transit at once, with a photo", [refund], "Ana Ruiz"),
        ("faq", "Add refund questions and answers to the support handbook", [timing], "Sam Okafor"),
    ):
        ideas[key] = service.add_idea(
            store, session_id=sid, text=text, gap_ids=[g.id for g in gaps], author=author, now=MEETING
        )
    votes = {
        "Ana Ruiz": ("rule", "photo"),
        "Sam Okafor": ("rule", "deputy"),
        "Leo Berg": ("rule", "phone"),
        "Priya Shah": ("mail", "status"),
        "Marta Novak": ("deputy", "morning"),
    }
    for who, keys in votes.items():
        for key in keys:
            service.cast_vote(store, ideas[key].id, who)
    for key, impact, effort in (
        ("rule", 3, 1),
        ("deputy", 2, 1),
        ("mail", 2, 2),
        ("photo", 3, 2),
        ("phone", 2, 3),
    ):
        service.set_impact_effort(store, ideas[key].id, impact, effort)
    service.pick_idea(store, ideas["rule"].id)
    service.pick_idea(store, ideas["deputy"].id)
    service.commit_action(
        store,
        session_id=sid,
        idea_id=ideas["rule"].id,
        title="",
        owner="Ana Ruiz",
        due="2026-11-27",
        now=MEETING,
    )
    service.commit_action(
        store,
        session_id=sid,
        idea_id=ideas["deputy"].id,
        title="Name a refund deputy for when Marta is away",
        owner="Marta Novak",
        due="2026-11-30",
        now=MEETING,
    )
    service.add_note(store, sid, "Refund approval came up for the third week running.")
    finish(store, s3, sid, clips)


# --------------------------------------------------------------------------- timestamps


def stamp(date: str, minutes: float) -> str:
    moment = dt.datetime.fromisoformat(f"{date}T10:00:00") + dt.timedelta(minutes=minutes)
    return moment.isoformat(timespec="milliseconds") + TZ


def backdate(store: Store, clips: dict[str, Clip]) -> None:
    """Give each clip the day it was submitted (submit and transcribe stamp the build's time; the
    sessions need nothing: the service took the meeting's clock, ``MEETING``)."""
    submitted = {
        "chat-gloves-return.txt": ("2026-10-29", 0),
        "chat-scratched-bell.txt": ("2026-11-05", 0),
        "refund-gloves.eml": ("2026-11-12", 0),
        "helmet": ("2026-11-13", 0),
        "order": ("2026-11-17", 0),
        "pairing": ("2026-11-18", 0),
        "booking": ("2026-11-19", 0),
        "tubeless": ("2026-11-20", 0),
    }
    with store.transaction() as tx:
        for key, clip in clips.items():
            fresh = tx.clip(clip.id)
            day, _ = submitted[key]
            fresh.submitted_at = stamp(day, -60 + len(key))
            if fresh.transcribed_at:
                fresh.transcribed_at = stamp(day, -50 + len(key))
            tx.put(fresh)
            transcript = store.transcript(clip.id)
            if transcript is not None:
                transcript.created_at = fresh.transcribed_at
                store.write_transcript(clip.id, transcript)


DEMO_README = """# Demo workspace: Northwind Cycles

A small bike shop with a web shop and a workshop, five people, a month of listening sessions.
Built by `tools/make_demo.py` (do not edit by hand); `listen demo` opens a fresh copy of it, so
nothing here ever changes. Everything in it is invented; the calls are synthesised speech.

## What is in it
- **Team** (`listen.toml`): Marta Novak (owner), Ana Ruiz and Sam Okafor (support), Leo Berg
  (workshop), Priya Shah (web shop); vocabulary "Northwind", "Voltra", "RideLink".
- **Clips**: five phone calls (Ogg/Opus, 20-50 s, transcribed with the bundled Whisper model; the
  helmet call is stereo, agent left / customer right, so its transcript names the speakers), one
  e-mail and two chat threads, each with the rep's own view.
- **Sessions**: 2 November and 9 November (short ones), and last week's, 16 November: five
  attendees, two clips played, quotes with timestamps, gaps tagged, eight fix ideas with dot votes
  and impact/effort, two actions committed, a story check (the 2 November one gives a trend).
- **A recurring gap**: "Every refund needs a manager's approval" (Policy), seen four times over
  three weeks.
- **Open actions**: one carried forward and overdue (the courier's tracking links), two from last
  week with owners and due dates.

## Try it (five minutes)
1. Start a session with the four calls nobody has heard yet (where is my order, the e-bike
   pairing, the vanished booking, the tubeless price).
2. Follow up last week's actions: mark one done, carry the overdue one forward.
3. Listen to "Service booking vanished": the deposit refund needs a manager again. Tag it by
   searching "refund": the picker offers the recurring gap first, so link it instead of adding a
   new one. Then tag something new (the web bookings copied by hand into the workshop diary).
4. Add two ideas, vote, pick one, give it an owner and a due date, close, and read the minutes.
"""


def tidy(root: Path) -> None:
    """Drop what must not be committed: store backups, the lock, caches."""
    for path in list(root.rglob("*.bak")) + list(root.rglob(".*.tmp")):
        path.unlink()
    for name in (".listen.lock", ".cache"):
        target = root / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def sizes(root: Path) -> Iterator[tuple[str, int]]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield str(path.relative_to(root)), path.stat().st_size


def build(out: Path, *, transcribe_calls: bool = True) -> None:
    if shutil.which("espeak-ng") is None:
        raise SystemExit("make_demo: espeak-ng is missing (apt-get install espeak-ng)")
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    workspace = Workspace(staging).ensure()
    store = Store(workspace)
    write_settings(workspace)
    with tempfile.TemporaryDirectory(prefix="listen-demo-") as scratch:
        print("synthesising and submitting clips")
        clips = submit_clips(store, Path(scratch))
    if transcribe_calls:
        print("transcribing")
        transcribe(store, clips)
    backdate(store, clips)  # before the sessions, so their frozen minutes hold the clips as shown
    print("building sessions")
    build_sessions(store, clips)
    (staging / "README.md").write_text(DEMO_README, encoding="utf-8")
    tidy(staging)
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    total = sum(size for _, size in sizes(out))
    built = Store(Workspace(out))
    print(f"{out}: {len(built.clips())} clips, {len(built.sessions())} sessions, {total / 1024:.0f} KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out", type=Path, default=REPO / "sessions", help="where to build (default: sessions/)"
    )
    args = parser.parse_args(argv)
    build(args.out.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
