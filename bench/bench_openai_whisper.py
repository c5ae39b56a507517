"""openai-whisper engine benchmark: x real time on about a minute of real speech, conversion apart.

Run: .venv/bin/python bench/bench_openai_whisper.py [--seconds 60] [--repeat 3] [--threads N]

The audio is the committed public-domain speech (tests/fixtures/speech: JFK and five LibriVox
sentences) joined, 0.6 s apart, until it lasts ``--seconds``. The model is the bundled tiny.en,
converted from CTranslate2 to an openai-whisper checkpoint; fp32, temperature 0, greedy, word
timestamps, English. Reported separately:

1. conversion: the one-off CTranslate2 -> checkpoint build into an empty cache (then reused);
2. load: ``engine.load()`` with the checkpoint cached (torch checkpoint load, numba DTW compile);
3. transcribe: ``engine.transcribe(audio)``, best of ``--repeat``: x real time = processing seconds
   per audio second, wall and process CPU (target: 0.12 or better on 2 cores), word error rate
   with the fixed normaliser of ``listen.transcribe.wer``;
4. for comparison, whisper's own ``whisper.transcribe`` over the whole array, same settings, so the
   cost of going window by window is visible (ratio engine / whisper).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from listen.audio.decode import decode_audio  # noqa: E402
from listen.transcribe.ct2_checkpoint import ensure_checkpoint  # noqa: E402
from listen.transcribe.engine import EngineOptions  # noqa: E402
from listen.transcribe.models import bundled_model_path  # noqa: E402
from listen.transcribe.openai_engine import OpenAIWhisperEngine  # noqa: E402
from listen.transcribe.wer import word_error_rate  # noqa: E402

SPEECH = REPO / "tests" / "fixtures" / "speech"
NAMES = ("jfk", "austen-0870", "austen-0880", "austen-0890", "austen-0920", "austen-0930")
RATE = 16_000
GAP_SECONDS = 0.6


def speech(seconds: float) -> tuple[np.ndarray, str]:
    """The fixtures joined in turn until the audio lasts ``seconds``; and the joined reference."""
    clips = [
        (decode_audio(SPEECH / f"{name}.flac"), (SPEECH / f"{name}.txt").read_text().strip())
        for name in NAMES
    ]
    gap = np.zeros(int(GAP_SECONDS * RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    texts: list[str] = []
    length = 0
    index = 0
    while length < seconds * RATE:
        audio, text = clips[index % len(clips)]
        parts += [audio, gap]
        texts.append(text)
        length += audio.shape[0] + gap.shape[0]
        index += 1
    return np.concatenate(parts), " ".join(texts)


def timed(action: object) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the speech (default 60)")
    parser.add_argument("--repeat", type=int, default=3, help="transcription runs, best counts (default 3)")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's own)")
    args = parser.parse_args()

    try:
        import whisper
    except ImportError:
        print("openai-whisper is not installed: run `make openai-whisper`", file=sys.stderr)
        return 1

    audio, reference = speech(args.seconds)
    duration = audio.shape[0] / RATE
    with tempfile.TemporaryDirectory(prefix="bench-openai-whisper-") as folder:
        cache = Path(folder)
        convert_wall, convert_cpu, built = timed(lambda: ensure_checkpoint(bundled_model_path(), cache))
        size_mb = built.path.stat().st_size / 1e6  # type: ignore[attr-defined]
        engine = OpenAIWhisperEngine(EngineOptions(threads=args.threads, extra={"cache_dir": str(cache)}))
        load_wall, load_cpu, _ = timed(engine.load)

        import torch

        runs: list[tuple[float, float]] = []
        native_runs: list[tuple[float, float]] = []
        text = native_text = ""
        for _ in range(max(1, args.repeat)):
            wall, cpu, segments = timed(lambda: engine.transcribe(audio))
            runs.append((wall, cpu))
            text = " ".join(s.text for s in segments)  # type: ignore[attr-defined]
            wall, cpu, result = timed(
                lambda: whisper.transcribe(
                    engine._model, audio, temperature=0.0, fp16=False, language="en", word_timestamps=True
                )
            )
            native_runs.append((wall, cpu))
            native_text = str(result["text"])  # type: ignore[index]

    best_wall, best_cpu = min(runs)
    native_wall = min(wall for wall, _ in native_runs)
    print(f"openai-whisper engine, bundled tiny.en fp32 greedy, torch threads {torch.get_num_threads()}")
    print(f"audio: {duration:.1f} s of real speech")
    print(
        f"conversion (one-off): {convert_wall:.2f} s wall, {convert_cpu:.2f} s CPU, "
        f"checkpoint {size_mb:.0f} MB"
    )
    print(f"load (checkpoint cached, DTW compiled): {load_wall:.2f} s wall, {load_cpu:.2f} s CPU")
    print(
        f"transcribe: {best_wall:.2f} s wall = {best_wall / duration:.3f} x real time "
        f"(CPU {best_cpu / duration:.3f}); runs {', '.join(f'{w:.2f}' for w, _ in runs)} s; "
        f"median {statistics.median(w for w, _ in runs) / duration:.3f} x"
    )
    print(f"  target 0.12 x real time: {'met' if best_wall / duration <= 0.12 else 'NOT met'}")
    print(
        f"whisper.transcribe over the whole array: {native_wall:.2f} s = "
        f"{native_wall / duration:.3f} x real time; "
        f"engine / whisper = {best_wall / native_wall:.2f}"
    )
    print(
        f"word error rate: engine {word_error_rate(reference, text):.3f}, "
        f"whisper {word_error_rate(reference, native_text):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
