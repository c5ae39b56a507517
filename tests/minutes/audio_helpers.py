"""Clips with real audio for the audio-quote tests: a WAV submitted through the real ingest, a
transcript stored through the store, a session with quotes marked through the session service.

``tone_words`` builds a track whose "words" are tone bursts at known times (a 300 Hz hum per word),
so a test can tell, from the exported Ogg file decoded again, where a bleep (1 kHz) replaced a word
and where the word is still there, without a speech model. The transcript that goes with it is
written here, as a transcription would store it (segments with word times)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from listen.domain import Segment, Transcript, Word
from listen.ingest.submit import submit_file
from listen.session.quotes import mark_quote
from listen.session.sessions import start_session
from listen.store import Store
from tests.transcribe.speech import write_wav

RATE = 16_000
WORD_HZ = 300.0


@dataclass(frozen=True)
class Said:
    text: str
    start: float
    end: float


def tone_words(
    words: list[str], *, word_seconds: float = 0.4, gap: float = 0.15, lead: float = 1.0
) -> tuple[np.ndarray, list[Said]]:
    """A track of tone bursts, one per word, and where each word is."""
    said: list[Said] = []
    at = lead
    for word in words:
        said.append(Said(word, at, at + word_seconds))
        at += word_seconds + gap
    samples = np.zeros(int((at + lead) * RATE), dtype=np.float32)
    for item in said:
        a, b = int(item.start * RATE), int(item.end * RATE)
        t = np.arange(b - a, dtype=np.float32) / RATE
        samples[a:b] = 0.3 * np.sin(2 * np.pi * WORD_HZ * t)
    return samples, said


def transcript_of(
    said: list[Said], *, shift: float = 0.0, words: bool = True, speaker: str | None = None
) -> Transcript:
    """One segment per sentence (a word ending in . ? !), word times shifted by ``shift``."""
    segments: list[Segment] = []
    current: list[Said] = []
    for item in said:
        current.append(item)
        if item.text.endswith((".", "?", "!")) or item is said[-1]:
            timed = [Word(max(0.0, w.start + shift), w.end + shift, " " + w.text, 0.9) for w in current]
            segments.append(
                Segment(
                    start=current[0].start,
                    end=current[-1].end,
                    text=" ".join(w.text for w in current),
                    speaker=speaker,
                    words=timed if words else [],
                )
            )
            current = []
    return Transcript(text=" ".join(s.text for s in segments), segments=segments, language="en")


def audio_clip(store: Store, folder: Path, name: str, channels: list[np.ndarray], rate: int = RATE) -> str:
    """A WAV submitted as a clip (the real ingest copies it into the workspace); its id."""
    path = write_wav(folder / f"{name}.wav", channels, rate)
    result = submit_file(store, path, submitted_by="Ben Okafor", title=name)
    return result.clip.id


def session_with_quotes(
    store: Store, quotes: list[tuple[str, float, float, str]], date: str = "2026-11-23"
) -> str:
    """An open session whose quotes are ``(clip id, start, end, text)``; its id."""
    clip_ids = list(dict.fromkeys(q[0] for q in quotes))
    session = start_session(
        store, facilitator="Ana Lima", attendees=[("Ben Okafor", "support")], clip_ids=clip_ids, date=date
    )
    for clip_id, start, end, text in quotes:
        mark_quote(store, session.id, clip_id, start, end, text, "customer")
    return session.id


def band_level(samples: np.ndarray, hz: float, rate: int = RATE) -> float:
    """How much of ``samples``' energy is near ``hz`` (0..1)."""
    if samples.shape[0] < 64:
        return 0.0
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.shape[0]))) ** 2
    freqs = np.fft.rfftfreq(samples.shape[0], 1.0 / rate)
    near = (freqs > hz - 60) & (freqs < hz + 60)
    total = float(spectrum.sum())
    return float(spectrum[near].sum()) / total if total > 0 else 0.0
