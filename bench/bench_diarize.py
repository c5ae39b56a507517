"""Diarization (the optional extra): x real time, peak memory and error on spliced real calls.

Run: .venv/bin/python bench/bench_diarize.py [--threads 2] [--minutes 5]

The calls are built as in tests/transcribe/test_diarize.py: JFK and the LibriVox reader of the speech
fixtures taking turns on one mono track (voice 0 first), so the truth is known. A short call (~35 s,
the test's) and a long one (``--minutes``, the same turns shuffled again and again, 0.3-1.2 s pauses).
For each: wall and CPU seconds per audio second of ``Diarizer.turns`` (models loaded before), the
diarization error (``diarize.diarization_error``: wrong or missed speech time after the best voice
mapping, no collar) and the process's peak resident memory. Skips with the reason when the extra is
not installed (`make diarize`).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from listen.transcribe import diarize  # noqa: E402
from tests.transcribe.speech import RATE, silence  # noqa: E402
from tests.transcribe.test_diarize import speaking_span, spliced_call  # noqa: E402


def long_call(minutes: float, seed: int = 7) -> tuple[np.ndarray, list[tuple[float, float, int]]]:
    """Turns of the short call's pieces, reshuffled until ``minutes`` long; voice 0 speaks first."""
    audio, truth = spliced_call()
    pieces = [(voice, audio[int(start * RATE) : int(end * RATE)]) for start, end, voice in truth]
    rng = np.random.default_rng(seed)
    parts, spans, at = [], [], 0.0
    while at < minutes * 60:
        order = rng.permutation(len(pieces)).tolist()
        if not spans:
            order.sort(key=lambda index: pieces[index][0])  # voice 0 opens the call
        for index in order:
            voice, samples = pieces[index]
            start, end = speaking_span(samples)
            spans.append((at + start, at + end, voice))
            gap = silence(float(rng.uniform(0.3, 1.2)))
            parts += [samples, gap]
            at += (samples.size + gap.size) / RATE
    return np.concatenate(parts).astype(np.float32), spans


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args()
    problem = diarize.extra_status()
    if problem is not None:
        print(f"skipped: {problem}")
        return 0
    diarizer = diarize.Diarizer(threads=args.threads)
    started = time.perf_counter()
    diarizer.load()
    print(f"models loaded in {time.perf_counter() - started:.2f} s, peak {peak_mb():.0f} MB so far")
    for name, (audio, truth) in (("short call", spliced_call()), ("long call", long_call(args.minutes))):
        seconds = audio.size / RATE
        wall, cpu = time.perf_counter(), time.process_time()
        turns = diarizer.turns(audio)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        error = diarize.diarization_error(truth, turns)
        voices = len({turn.speaker for turn in turns})
        print(
            f"{name} ({seconds:.0f} s, {len(truth)} turns): x real time {wall / seconds:.3f} wall, "
            f"{cpu / seconds:.3f} CPU ({diarizer.passes} passes); diarization error {error:.3f}; "
            f"{voices} voices; "
            f"peak memory {peak_mb():.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
