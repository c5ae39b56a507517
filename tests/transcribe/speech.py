"""Real speech for the transcription tests: the committed public-domain fixtures and espeak-ng.

``tests/fixtures/speech/`` holds short recordings with their reference text (see PROVENANCE.md).
``say`` makes synthetic speech with espeak-ng (installed by ``make test``), deterministic for a
given espeak-ng version; ``write_wav`` / ``stereo_call`` build clips from it, ``monologue`` a mono
track whose sentences sit at known times.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from listen.audio.decode import decode_audio
from listen.domain import Segment
from listen.transcribe.segments import MAX_SEGMENT_SECONDS
from listen.transcribe.wer import word_error_rate

SPEECH = Path(__file__).resolve().parent.parent / "fixtures" / "speech"
RATE = 16_000
AGENT_VOICE = "en-us"
CUSTOMER_VOICE = "en-gb+f3"


@dataclass(frozen=True)
class Recording:
    name: str
    path: Path
    reference: str

    def audio(self) -> np.ndarray:
        return decode_audio(self.path)


def recording(name: str) -> Recording:
    path = SPEECH / f"{name}.flac"
    return Recording(name, path, (SPEECH / f"{name}.txt").read_text(encoding="utf-8").strip())


JFK = "jfk"
AUSTEN = ("austen-0870", "austen-0880", "austen-0890", "austen-0920", "austen-0930")


def require_espeak() -> str:
    found = shutil.which("espeak-ng")
    if found is None:
        pytest.fail("espeak-ng is needed for the synthetic speech tests (make test installs it)")
    return found


def say(text: str, *, voice: str = AGENT_VOICE, words_per_minute: int = 150) -> np.ndarray:
    """``text`` spoken by espeak-ng, as 16 kHz mono float32."""
    espeak = require_espeak()
    result = subprocess.run(
        [espeak, "-v", voice, "-s", str(words_per_minute), "--stdout", text],
        capture_output=True,
        check=True,
    )
    return _wav_bytes_to_16k(result.stdout)


def _wav_bytes_to_16k(data: bytes) -> np.ndarray:
    import io

    with wave.open(io.BytesIO(data)) as reader:
        rate = reader.getframerate()
        frames = reader.readframes(reader.getnframes())
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if rate == RATE:
        return samples
    positions = np.arange(0, samples.shape[0] * RATE / rate) * rate / RATE
    return np.interp(positions, np.arange(samples.shape[0]), samples).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


def write_wav(path: Path, channels: list[np.ndarray] | np.ndarray, rate: int = RATE) -> Path:
    """16-bit PCM WAV; ``channels`` is one array (mono) or a list (one per channel), padded to one length."""
    rows = [channels] if isinstance(channels, np.ndarray) else list(channels)
    length = max(row.shape[0] for row in rows)
    block = np.zeros((length, len(rows)), dtype=np.float32)
    for k, row in enumerate(rows):
        block[: row.shape[0], k] = row
    pcm = (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(len(rows))
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(pcm.tobytes())
    return path


@dataclass(frozen=True)
class Turn:
    speaker: str  # "agent" or "customer"
    text: str


def stereo_call(path: Path, turns: list[Turn], *, agent_left: bool = True, gap: float = 0.8) -> Path:
    """A call recording: each turn spoken on its speaker's channel, one after the other."""
    agent: list[np.ndarray] = [silence(0.3)]
    customer: list[np.ndarray] = [silence(0.3)]
    for turn in turns:
        voice = AGENT_VOICE if turn.speaker == "agent" else CUSTOMER_VOICE
        speech = np.concatenate([say(turn.text, voice=voice), silence(gap)])
        quiet = silence(speech.shape[0] / RATE)
        agent.append(speech if turn.speaker == "agent" else quiet)
        customer.append(speech if turn.speaker == "customer" else quiet)
    left, right = np.concatenate(agent), np.concatenate(customer)
    if not agent_left:
        left, right = right, left
    return write_wav(path, [left, right])


SOUND_FLOOR = 1e-3  # -60 dBFS: where espeak's sound starts and ends


@dataclass(frozen=True)
class Spoken:
    """One sentence or turn in a built track: what was said and where its sound is (seconds)."""

    speaker: str | None
    text: str
    start: float
    end: float


def sound_span(samples: np.ndarray, offset: float = 0.0) -> tuple[float, float]:
    """The first and last moment ``samples`` rise above -60 dBFS, in seconds plus ``offset``."""
    loud = np.nonzero(np.abs(samples) > SOUND_FLOOR)[0]
    return offset + float(loud[0]) / RATE, offset + float(loud[-1] + 1) / RATE


def monologue(
    sentences: list[str], *, pause: float = 0.3, lead: float = 0.5
) -> tuple[np.ndarray, list[Spoken]]:
    """``sentences`` spoken one after the other by espeak-ng, ``pause`` seconds apart."""
    parts, spoken = [silence(lead)], []
    at = lead
    for sentence in sentences:
        speech = say(sentence)
        start, end = sound_span(speech, at)
        spoken.append(Spoken(None, sentence, start, end))
        parts += [speech, silence(pause)]
        at += (speech.shape[0] + silence(pause).shape[0]) / RATE
    return np.concatenate(parts), spoken


MONOLOGUE = [
    "Good morning, and welcome to the weekly support meeting.",
    "Last week we answered more calls than ever before.",
    "Most customers asked about refunds for damaged parcels.",
    "The courier has promised to pack fragile items more carefully.",
    "Please write down every question you could not answer.",
    "We will read them together on Friday afternoon.",
]
SENTENCE_MAX_WER = 0.3  # measured: 0.0-0.22 per sentence ("write down" is heard "write how")
SENTENCE_SLACK = 0.6  # measured: a first word may start at 0.0, 0.5 s before the sound


def assert_sentence_by_sentence(segments: list[Segment], spoken: list[Spoken]) -> None:
    """One segment per spoken sentence, timed by its words and lying where the sentence was said."""
    assert [s.text for s in segments] and len(segments) == len(spoken), [s.text for s in segments]
    for segment, sentence in zip(segments, spoken, strict=True):
        assert segment.words and segment.start == segment.words[0].start
        assert segment.end == segment.words[-1].end
        assert segment.end - segment.start <= MAX_SEGMENT_SECONDS
        assert abs(segment.start - sentence.start) <= SENTENCE_SLACK, (segment, sentence)
        assert abs(segment.end - sentence.end) <= SENTENCE_SLACK, (segment, sentence)
        assert word_error_rate(sentence.text, segment.text) <= SENTENCE_MAX_WER, (sentence.text, segment.text)
        assert segment.text == " ".join(segment.text.split())
