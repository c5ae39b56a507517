"""Audio quotes benchmark (issue 15): export the minutes of a session with 50 clips and 100 quotes
with their audio (Markdown: 100 Ogg files), then the same with the reel, then as one HTML page.

Run: .venv/bin/python bench/bench_audio_quotes.py [--repeat 3]
Each clip is a 3-minute 16 kHz WAV submitted through the real ingest, with a stored transcript
whose words carry times (every other quote says a phone number read out digit by digit, so half
the quotes are bleeped). Each quote is 6-12 s. Reports wall time and CPU time (this process: the
decoding, bleeping and Opus encoding all run in it) and the total audio size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from listen.domain import Segment, Transcript, Word  # noqa: E402
from listen.ingest.submit import submit_file  # noqa: E402
from listen.minutes.audio_export import AudioExport, export_minutes_with_audio, kilobytes  # noqa: E402
from listen.session.quotes import mark_quote  # noqa: E402
from listen.session.sessions import start_session  # noqa: E402
from listen.settings import Settings  # noqa: E402
from listen.store import Store  # noqa: E402
from listen.workspace import resolve_workspace  # noqa: E402

RATE = 16_000
CLIPS = 50
CLIP_SECONDS = 180.0
QUOTES_PER_CLIP = 2
PHONE = tuple("my number is five five five two one three four four seven seven".split())  # noqa: SIM905
PLAIN = tuple("the parcel came late and the box was broken and nobody called me back about it".split())  # noqa: SIM905
SETTINGS = Settings(region="US")


def speechlike(seconds: float, seed: int) -> np.ndarray:
    """Noise shaped like speech (bursts of a few hundred ms, a voiced hum): what Opus has to code."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    envelope = (np.sin(2 * np.pi * 2.5 * t + rng.uniform(0, 6)) > -0.2).astype(np.float32)
    voice = 0.2 * np.sin(2 * np.pi * (140 + 30 * np.sin(2 * np.pi * 0.7 * t)) * t)
    return ((voice + 0.05 * rng.standard_normal(n)) * envelope).astype(np.float32)


def write_wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def transcript(quotes: list[tuple[float, tuple[str, ...]]]) -> Transcript:
    segments = []
    for start, words in quotes:
        timed = [Word(start + i * 0.5, start + i * 0.5 + 0.4, w, 0.9) for i, w in enumerate(words)]
        segments.append(Segment(start, timed[-1].end, " ".join(words), "customer", timed))
    return Transcript(text=" ".join(s.text for s in segments), segments=segments, language="en")


def build(root: Path) -> Store:
    workspace = resolve_workspace(root)
    workspace.ensure()
    store = Store(workspace)
    source = root.parent / "wav"
    source.mkdir(exist_ok=True)
    marks = []
    for n in range(CLIPS):
        path = write_wav(source / f"clip{n}.wav", speechlike(CLIP_SECONDS, n))
        clip = submit_file(store, path, submitted_by="Ben Okafor", title=f"Call {n}").clip
        said = [(20.0 + 70.0 * k, PHONE if (n + k) % 2 == 0 else PLAIN) for k in range(QUOTES_PER_CLIP)]
        store.write_transcript(clip.id, transcript(said))
        marks += [(clip.id, start, start + 0.5 * len(words), " ".join(words)) for start, words in said]
    session = start_session(store, facilitator="Ana Lima", clip_ids=list(dict.fromkeys(m[0] for m in marks)))
    for clip_id, start, end, text in marks:
        mark_quote(store, session.id, clip_id, start, end, text, "customer")
    return store


def timed(label: str, repeat: int, run: Callable[[], AudioExport]) -> None:
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert result is not None
    audio = result.audio
    print(
        f"{label}: wall {statistics.median(walls):.2f} s, cpu {statistics.median(cpus):.2f} s "
        f"(median of {repeat}); "
        f"{len(audio.quotes)} quotes, {sum(q.bleeps for q in audio.quotes)} bleeps, "
        f"{sum(q.duration for q in audio.quotes):.0f} s of sound, {kilobytes(audio.total_bytes)} "
        f"({len(audio.left_out)} left out); document {kilobytes(result.path.stat().st_size)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "ws"
        began = time.perf_counter()
        store = build(root)
        print(f"built {CLIPS} clips of {CLIP_SECONDS:.0f} s and {CLIPS * QUOTES_PER_CLIP} quotes in "
              f"{time.perf_counter() - began:.1f} s")  # fmt: skip
        workspace = store.workspace
        timed(
            "markdown + 100 files", args.repeat, lambda: export_minutes_with_audio(store, SETTINGS, workspace)
        )
        timed(
            "markdown + files + reel",
            args.repeat,
            lambda: export_minutes_with_audio(store, SETTINGS, workspace, reel=True),
        )
        timed(
            "html, sound inside",
            args.repeat,
            lambda: export_minutes_with_audio(
                store, SETTINGS, workspace, fmt="html", output=Path(temp) / "m.html"
            ),
        )


if __name__ == "__main__":
    main()
