"""Transcription quality settings: word error rate and speed of ``quality = "fast"`` and ``"accurate"``.

Run: .venv/bin/python bench/bench_quality.py [--threads 2]

Two sets, each transcribed by the bundled tiny.en through faster-whisper with the options
``runner.engine_options`` gives each setting (fast: greedy; accurate: beam 5 and faster-whisper's
temperature fallback):

- real speech: the committed public-domain fixtures (tests/fixtures/speech, ~36 s, 6 recordings);
- phone calls: espeak-ng calls (the stereo test's call turns and the monologue's sentences, two
  voices taking turns), mixed to mono and sent through 8 kHz mu-law like a phone line, 4 calls.

Prints, per set and setting, the corpus word error rate (``listen.transcribe.wer``) and x real time
(wall and CPU seconds per audio second). Heavy: run it once, not in a loop.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from listen.audio.decode import resample_audio  # noqa: E402
from listen.settings import Settings, TranscriptionSettings  # noqa: E402
from listen.transcribe.faster_engine import FasterWhisperEngine  # noqa: E402
from listen.transcribe.runner import engine_options  # noqa: E402
from listen.transcribe.wer import corpus_error_rate  # noqa: E402
from tests.transcribe.speech import (  # noqa: E402
    AGENT_VOICE,
    AUSTEN,
    CUSTOMER_VOICE,
    JFK,
    MONOLOGUE,
    RATE,
    recording,
    say,
    silence,
)
from tests.transcribe.test_stereo import CALL  # noqa: E402


def mulaw_phone_line(audio: np.ndarray) -> np.ndarray:
    """8 kHz, mu-law companded (G.711, 8 bits), back to 16 kHz: what a phone recording holds."""
    narrow = resample_audio(audio, RATE, 8000)
    mu = 255.0
    encoded = np.sign(narrow) * np.log1p(mu * np.minimum(np.abs(narrow), 1.0)) / np.log1p(mu)
    quantised = np.round(encoded * 127.0) / 127.0
    decoded = np.sign(quantised) * ((1.0 + mu) ** np.abs(quantised) - 1.0) / mu
    return resample_audio(decoded.astype(np.float32), 8000, RATE)


def phone_calls() -> list[tuple[np.ndarray, str]]:
    lines = [turn.text for turn in CALL] + list(MONOLOGUE)
    calls = []
    for start in range(0, len(lines), 3):
        chunk = lines[start : start + 3] or lines[:3]
        parts = [silence(0.3)]
        for k, text in enumerate(chunk):
            parts += [say(text, voice=AGENT_VOICE if k % 2 == 0 else CUSTOMER_VOICE), silence(0.8)]
        calls.append((mulaw_phone_line(np.concatenate(parts)), " ".join(chunk)))
    return calls[:4]


def real_speech() -> list[tuple[np.ndarray, str]]:
    return [(recording(name).audio(), recording(name).reference) for name in (JFK, *AUSTEN)]


def measure(engine: FasterWhisperEngine, items: list[tuple[np.ndarray, str]]) -> tuple[float, float, float]:
    pairs = []
    wall = cpu = 0.0
    for audio, reference in items:
        started, cpu_started = time.perf_counter(), time.process_time()
        segments = engine.transcribe(audio)
        wall += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        pairs.append((reference, " ".join(segment.text for segment in segments)))
    seconds = sum(audio.size for audio, _ in items) / RATE
    return corpus_error_rate(pairs), wall / seconds, cpu / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    sets = {
        "real speech (6 recordings, 36 s)": real_speech(),
        "espeak calls, 8 kHz mu-law (4)": phone_calls(),
    }
    for name, items in sets.items():
        seconds = sum(audio.size for audio, _ in items) / RATE
        print(f"{name}: {seconds:.0f} s of audio")
        for quality in ("fast", "accurate"):
            settings = Settings(transcription=TranscriptionSettings(quality=quality))
            engine = FasterWhisperEngine(engine_options(settings, threads=args.threads))
            engine.load()
            engine.transcribe(items[0][0][: RATE * 2])  # warm up
            wer, wall, cpu = measure(engine, items)
            print(f"  {quality:8} WER {wer:.3f}   x real time {wall:.3f} wall, {cpu:.3f} CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
