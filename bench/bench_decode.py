"""Decode benchmark: a 1-hour MP3 and a 1-hour 8 kHz mu-law WAV, checked and decoded to 16 kHz.

Run: .venv/bin/python bench/bench_decode.py [--minutes 60] [--keep DIR]
Prints, per file and operation, times faster than real time, peak RSS growth (getrusage and a
5 ms /proc sampler, whichever is higher) and the tracemalloc peak (numpy arrays and Python
objects; FFmpeg's own buffers are not traced, RSS covers them).
Each measurement runs in a fresh subprocess so peaks do not mix. On a shared machine the wall
clock also counts time waiting for a core; "per CPU second" is audio time / process CPU time.
Target (issue 3): decoding a 1-hour MP3 well over 100x real time; inspect_audio in bounded memory.

The MP3 is 44.1 kHz stereo 128 kbit/s (a typical export); it is made by encoding one minute of
speech-like noise (no Xing header) and repeating it, which is a valid CBR stream.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent

MEASURE = textwrap.dedent(
    """
    import json, os, resource, sys, threading, time, tracemalloc
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    import av, numpy  # imported before the baseline
    from listen.audio.decode import decode_audio, inspect_audio, iter_audio_chunks
    path, operation, traced = Path({path!r}), {operation!r}, {traced!r}
    page = os.sysconf("SC_PAGE_SIZE")
    def rss():
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * page
    def run():
        if operation == "inspect_audio":
            return inspect_audio(path).duration, None
        if operation == "decode_audio":
            result = decode_audio(path)
            return len(result) / 16000, result  # kept alive until RSS is read
        if operation == "iter_audio_chunks":
            return sum(len(chunk) for chunk in iter_audio_chunks(path)) / 16000, None
        raise SystemExit(operation)
    peak = [rss()]
    base = peak[0]
    done = threading.Event()
    def sample():
        while not done.wait(0.005):
            peak[0] = max(peak[0], rss())
    if traced:
        tracemalloc.start()
        threading.Thread(target=sample, daemon=True).start()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    before, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    seconds, result = run()
    elapsed = time.perf_counter() - start
    traced_peak = tracemalloc.get_traced_memory()[1] if traced else 0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    done.set()
    peak[0] = max(peak[0], rss())
    grown = max((usage.ru_maxrss - before) * 1024, peak[0] - base)
    cpu = usage.ru_utime + usage.ru_stime - cpu
    print(json.dumps({{"audio": seconds, "elapsed": elapsed, "cpu": cpu,
                      "rss": grown, "traced": traced_peak}}))
    """
)


def make_mp3(path: Path, minutes: int) -> None:
    import av

    rate = 44100
    rng = np.random.default_rng(3)
    n = 60 * rate
    t = np.arange(n) / rate
    voice = np.convolve(rng.standard_normal(n), np.hanning(9) / 4.5, mode="same")
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 2.5 * t)
    left = (0.3 * voice * envelope + 0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    right = (0.3 * np.roll(voice, 4000) * envelope).astype(np.float32)
    one_minute = path.with_suffix(".minute.mp3")
    with av.open(str(one_minute), "w", format="mp3", options={"write_xing": "0"}) as out:
        stream = out.add_stream("libmp3lame", rate=rate)
        stream.layout = "stereo"
        stream.bit_rate = 128_000
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(np.stack([left, right])), format="fltp", layout="stereo"
        )
        frame.sample_rate = rate
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=rate, frame_size=1152)
        pts = 0
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            chunk.pts, chunk.time_base = pts, Fraction(1, rate)
            pts += chunk.samples
            out.mux(stream.encode(chunk))
        out.mux(stream.encode(None))
    data = one_minute.read_bytes()
    one_minute.unlink()
    with open(path, "wb") as handle:
        for _ in range(minutes):
            handle.write(data)


def make_mulaw_wav(path: Path, minutes: int) -> None:
    import struct

    rate = 8000
    rng = np.random.default_rng(5)
    n = 60 * rate
    x = np.clip(0.3 * rng.standard_normal(n) * (0.5 + 0.5 * np.sin(np.arange(n) / 800)), -1, 1)
    y = np.sign(x) * np.log1p(255 * np.abs(x)) / np.log1p(255)
    q = np.round((y + 1) / 2 * 255).astype(np.int16)
    minute = np.where(q >= 128, 255 - (q - 128), 127 - q).astype(np.uint8).tobytes()
    data_bytes = len(minute) * minutes
    header = (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 7, 1, rate, rate, 1, 8)
        + b"data"
        + struct.pack("<I", data_bytes)
    )
    with open(path, "wb") as handle:
        handle.write(header)
        for _ in range(minutes):
            handle.write(minute)


def measure(path: Path, operation: str, traced: bool) -> dict[str, float]:
    code = MEASURE.format(repo=str(REPO), path=str(path), operation=operation, traced=traced)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=int, default=60, help="length of each file (60)")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="listen-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        (folder / "hour.mp3", "MP3 44.1 kHz stereo 128 kbit/s", make_mp3),
        (folder / "hour.wav", "WAV 8 kHz mu-law mono", make_mulaw_wav),
    ]
    print(f"listen decode benchmark: {args.minutes} min files in {folder}")
    try:
        for path, label, make in files:
            if not path.exists():
                start = time.perf_counter()
                make(path, args.minutes)
                made = time.perf_counter() - start
                print(f"\n{label}: made in {made:.1f} s", end="")
            else:
                print(f"\n{label}:", end="")
            print(f", {path.stat().st_size / 1e6:.1f} MB")
            for operation in ("inspect_audio", "decode_audio", "iter_audio_chunks"):
                timing = measure(path, operation, traced=False)
                memory = measure(path, operation, traced=True)
                speed = timing["audio"] / timing["elapsed"]
                per_cpu = timing["audio"] / max(timing["cpu"], 1e-6)
                print(
                    f"  {operation:<18} {timing['elapsed']:6.2f} s  {speed:6.0f}x real time "
                    f"({per_cpu:5.0f}x per CPU second)  "
                    f"peak RSS +{memory['rss'] / 1e6:6.1f} MB  "
                    f"tracemalloc peak {memory['traced'] / 1e6:6.1f} MB  "
                    f"(audio {timing['audio'] / 60:.1f} min)"
                )
    finally:
        if args.keep is None:
            for path, _, _ in files:
                path.unlink(missing_ok=True)
            folder.rmdir()
    print(
        "\ndecode_audio holds the whole 16 kHz result (230 MB per hour); iter_audio_chunks holds "
        "one 30 s chunk."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
