"""Real speech for the transcription tests: the committed public-domain fixtures and espeak-ng.

``tests/fixtures/speech/`` holds short recordings with their reference text (see PROVENANCE.md).
``say`` makes synthetic speech with espeak-ng (installed by ``make test``), deterministic for a
given espeak-ng version; ``write_wav`` / ``stereo_call`` build clips from it.
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
