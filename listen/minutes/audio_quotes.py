"""Audio quotes: each quote of a session as a short Opus file, personal data bleeped out of it.

For every quote of the minutes (in the minutes' order, numbered q01, q02...), ``build_audio``
decodes its clip (once per clip, 16 kHz mono: a stereo call's two sides mixed), cuts the quoted
span plus ``PAD_SECONDS`` either side, fades that padding in and out, replaces personal data by a
tone or silence (``bleep.py``) and encodes the result as Opus in Ogg at a speech bitrate. A quote
gets no audio, with the reason the minutes give, when it comes from a text clip or has no times,
when its clip's audio is gone, or, while redacting or anonymising, when its words have no timings
or personal data in its text cannot be found among them (the sound would keep what the text
hides). ``--no-redact`` without ``--anonymise`` exports the sound as it is.

The reel is every exported quote in order with a short soft tone between two quotes, and a
chapter list (where each quote starts in it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from listen.domain import Clip, Quote, Session
from listen.errors import ListenError
from listen.minutes.bleep import (
    Bleep,
    BleepMode,
    NoWordTimes,
    Unlocated,
    apply_bleeps,
    check_corrections,
    find_bleeps,
    words_near,
)
from listen.minutes.model import Minutes, MinutesOptions, minutes_people, ordered_quotes, resolve_session
from listen.settings import Settings
from listen.store import Store, View

RATE = 16_000  # decoded and encoded at this rate: what the transcripts were made from
PAD_SECONDS = 0.3  # kept either side of the quoted span, faded
GAP_TONE_HZ = 660.0  # between two quotes of the reel: softer and lower than a bleep
GAP_TONE_SECONDS = 0.25
GAP_TONE_LEVEL = 0.08
GAP_SILENCE_SECONDS = 0.35
MAX_QUOTE_SECONDS = 120.0
TEXT_CLIP = "text clip"  # a longer "quote" is cut to its first two minutes


@dataclass(frozen=True)
class QuoteAudio:
    """One exported quote: its number in the minutes, where it is listed, and its Ogg Opus bytes."""

    number: int
    section: int  # the clip's number in the minutes
    index: int  # the quote's place among that clip's quotes (0-based)
    start: float
    duration: float  # seconds of sound in the file
    bleeps: int
    data: bytes
    said: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # the data bleeped: (category, words)

    @property
    def name(self) -> str:
        return f"q{self.number:02d}.ogg"


@dataclass(frozen=True)
class LeftOut:
    number: int
    section: int
    index: int
    reason: str


@dataclass(frozen=True)
class Chapter:
    at: float  # seconds into the reel
    number: int
    section: int


@dataclass(frozen=True)
class AudioQuotes:
    quotes: tuple[QuoteAudio, ...]
    left_out: tuple[LeftOut, ...]
    bleeped: bool  # personal data was looked for in the sound (redacting or anonymising)
    mode: BleepMode
    reel: bytes | None = None
    chapters: tuple[Chapter, ...] = ()

    @property
    def total_bytes(self) -> int:
        return sum(len(q.data) for q in self.quotes) + len(self.reel or b"")

    def without(self, numbers: set[int], reason: str, *, drop_reel: bool = False) -> AudioQuotes:
        """The same with the quotes ``numbers`` left out for ``reason`` (the HTML size limit)."""
        kept = tuple(q for q in self.quotes if q.number not in numbers)
        out = tuple(LeftOut(q.number, q.section, q.index, reason) for q in self.quotes if q.number in numbers)
        left = tuple(sorted((*self.left_out, *out), key=lambda item: item.number))
        reel = None if drop_reel else self.reel
        return dataclasses.replace(
            self, quotes=kept, left_out=left, reel=reel, chapters=self.chapters if reel else ()
        )


def build_audio(
    store: Store,
    settings: Settings,
    minutes: Minutes,
    options: MinutesOptions,
    *,
    reel: bool = False,
    mode: BleepMode = "tone",
    progress: Callable[[int, int], None] | None = None,
    check: Callable[[QuoteAudio], str | None] | None = None,
) -> AudioQuotes:
    """The audio of every quote of ``minutes`` (built by ``build_minutes`` from ``store``).

    ``check`` (``audio_verify.model_check``) may refuse a quote's file, saying why: the quote is
    then left out, from the reel too."""
    view, session = _source(store, settings, minutes.session_id)
    bleeping = options.redact or options.anonymise
    people = minutes_people(view, settings, session, options)
    by_clip: dict[str, list[Quote]] = {}
    for quote in session.quotes:
        by_clip.setdefault(quote.clip_id, []).append(quote)
    planned = [  # a quote of an e-mail or a chat has no sound to give, and no number here
        (section.number, index, quote, section.clip_id, reason)
        for section in minutes.clips
        for index, quote in enumerate(ordered_quotes(by_clip.get(section.clip_id, [])))
        if (reason := _no_audio_reason(view, quote, section.clip_id)) != TEXT_CLIP
    ]
    quotes: list[QuoteAudio] = []
    left: list[LeftOut] = []
    decoded: dict[str, np.ndarray | str] = {}
    reel_sounds: list[tuple[QuoteAudio, np.ndarray]] = []
    for number, (section, index, quote, clip_id, reason) in enumerate(planned, start=1):
        if progress is not None:
            progress(number - 1, len(planned))
        samples: np.ndarray | str = reason or ""
        if reason is None:
            if clip_id not in decoded:
                decoded.clear()  # one clip's samples at a time: quotes of a clip are listed together
                decoded[clip_id] = _decode(store, view.clip(clip_id))
            samples = decoded[clip_id]
        if isinstance(samples, str):
            left.append(LeftOut(number, section, index, samples or "no audio"))
            continue
        assert quote.start is not None and quote.end is not None
        start, end = quote.start, min(quote.end, quote.start + MAX_QUOTE_SECONDS)
        bleeps: list[Bleep] = []
        if bleeping:
            try:
                transcript = store.transcript(clip_id)
                words = words_near(transcript, start, end)
                check_corrections(
                    transcript, start, end, region=settings.region, people=people, redacting=options.redact
                )
                bleeps = find_bleeps(
                    words, quote.text, region=settings.region, people=people, redacting=options.redact
                )
            except NoWordTimes as error:
                left.append(LeftOut(number, section, index, f"{error}, so personal data cannot be bleeped"))
                continue
            except Unlocated as error:
                left.append(LeftOut(number, section, index, f"{error}, so it cannot be bleeped"))
                continue
        sound, offset = cut(samples, start, end)
        sound = apply_bleeps(sound, RATE, bleeps, offset=offset, mode=mode)
        from listen.audio.opus import encode_opus

        sound = fade(sound)
        said = tuple(pair for bleep in bleeps for pair in bleep.said)
        audio = QuoteAudio(
            number, section, index, start, sound.shape[0] / RATE, len(bleeps), encode_opus(sound, RATE), said
        )
        refused = check(audio) if check is not None else None
        if refused:
            left.append(LeftOut(number, section, index, refused))
            continue
        quotes.append(audio)
        if reel:
            reel_sounds.append((audio, sound))
    result = AudioQuotes(tuple(quotes), tuple(left), bleeping, mode)
    if reel_sounds:
        result = _with_reel(result, reel_sounds)
    if progress is not None:
        progress(len(planned), len(planned))
    return result


def cut(samples: np.ndarray, start: float, end: float) -> tuple[np.ndarray, float]:
    """``samples[start - PAD, end + PAD]`` (within the clip) and the second it starts at."""
    a = max(0, int((start - PAD_SECONDS) * RATE))
    b = min(samples.shape[0], int(np.ceil((end + PAD_SECONDS) * RATE)))
    return np.array(samples[a : max(a, b)], dtype=np.float32), a / RATE


def fade(sound: np.ndarray) -> np.ndarray:
    """``sound`` faded in over its first ``PAD_SECONDS`` and out over its last (a half-cosine)."""
    out = np.array(sound, dtype=np.float32, copy=True)
    n = min(int(PAD_SECONDS * RATE), out.shape[0] // 2)
    if n > 0:
        shape = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)
        out[:n] *= shape
        out[-n:] *= shape[::-1]
    return out


def gap_tone() -> np.ndarray:
    """What separates two quotes in the reel: silence, a short soft tone, silence."""
    t = np.arange(int(GAP_TONE_SECONDS * RATE), dtype=np.float32) / RATE
    tone = GAP_TONE_LEVEL * np.sin(2.0 * np.pi * GAP_TONE_HZ * t) * np.sin(np.pi * t / GAP_TONE_SECONDS)
    quiet = np.zeros(int(GAP_SILENCE_SECONDS * RATE), dtype=np.float32)
    return np.concatenate([quiet, tone.astype(np.float32), quiet])


# --------------------------------------------------------------------------- helpers


def _source(store: Store, settings: Settings, session_id: str) -> tuple[View, Session]:
    """Where the minutes' quotes came from: a closed session's frozen record, else the store."""
    session = resolve_session(store, session_id)
    view: View = store
    if session.status == "closed":
        from listen.minutes.record import frozen_source

        view, _ = frozen_source(store, settings, session)
        session = view.session(session.id)
    return view, session


def _no_audio_reason(view: View, quote: Quote, clip_id: str) -> str | None:
    try:
        clip: Clip = view.clip(clip_id)
    except ListenError:
        return "its clip is no longer in the workspace"
    if clip.id != clip_id:
        return "its clip is no longer in the workspace"
    if clip.kind != "audio":
        return TEXT_CLIP
    if quote.start is None or quote.end is None:
        return "the quote has no times"
    return None


def _decode(store: Store, clip: Clip) -> np.ndarray | str:
    """The clip's sound, 16 kHz mono, or why it cannot be had."""
    from listen.audio.decode import decode_audio

    path = store.workspace.root / clip.media
    try:
        return decode_audio(Path(path), sample_rate=RATE)
    except ListenError:
        return "its clip's audio cannot be read"
    except OSError:
        return "its clip's audio cannot be read"


def _with_reel(result: AudioQuotes, sounds: list[tuple[QuoteAudio, np.ndarray]]) -> AudioQuotes:
    from listen.audio.opus import encode_opus

    parts: list[np.ndarray] = []
    chapters: list[Chapter] = []
    at = 0
    separator = gap_tone()
    for i, (quote, sound) in enumerate(sounds):
        if i:
            parts.append(separator)
            at += separator.shape[0]
        chapters.append(Chapter(at / RATE, quote.number, quote.section))
        parts.append(sound)
        at += sound.shape[0]
    return dataclasses.replace(
        result, reel=encode_opus(np.concatenate(parts), RATE), chapters=tuple(chapters)
    )
