"""Make the speech-model half of the redaction corpus (issue 13): what the bundled model writes.

Every spoken-form sentence (kind ``s``) of ``tests/minutes/redact_corpus.txt`` is spoken by
espeak-ng, saved as a telephone-quality 8 kHz WAV and as a 16 kHz WAV, decoded by listen's own
decoder and transcribed by listen's own faster-whisper engine with the bundled model and the
default settings, exactly as ``listen transcribe`` would. The texts go to
``tests/minutes/redact_corpus_whisper.tsv`` with the categories and secrets of the sentence they
came from; the redaction tests read that file (they never run Whisper themselves).

Run once, commit the output: ``.venv/bin/python tools/make_redact_corpus.py``. Needs espeak-ng.
``--lines 236 237`` transcribes only those corpus lines and keeps every other row of the file as
it is (sentences added later, without making the others again).
The model is loaded once and the clips are transcribed one after the other (about a second each
on two cores).
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from listen.audio.decode import decode_audio  # noqa: E402
from listen.settings import Settings  # noqa: E402
from listen.store.atomic import atomic_write_text  # noqa: E402
from listen.transcribe.engines import make_engine, model_label  # noqa: E402
from listen.transcribe.runner import engine_options  # noqa: E402

CORPUS = REPO / "tests" / "minutes" / "redact_corpus.txt"
OUTPUT = REPO / "tests" / "minutes" / "redact_corpus_whisper.tsv"
RATES = (8000, 16000)
VOICES = {"GB": "en-gb", "US": "en-us"}
WORDS_PER_MINUTE = 130  # a caller reading out a number or an address slows down
WORD_GAP = 5  # espeak-ng -g: 50 ms between words
_MARK = re.compile(r"\{(\w+):((?:[^{}]|\{[^{}]*\})*)\}")


def spoken_sentences(path: Path) -> list[tuple[int, str, str]]:
    """(line number, region, text with its marks) of every spoken-form sentence."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        region, kind, text = line.split("\t", 2)
        if kind == "s":
            found.append((number, region, text))
    return found


def plain(marked: str) -> str:
    return _MARK.sub(lambda m: m.group(2), marked)


def speak(text: str, voice: str, rate: int) -> bytes:
    """espeak-ng's speech of ``text`` as a 16-bit mono WAV at ``rate`` Hz."""
    result = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(WORDS_PER_MINUTE), "-g", str(WORD_GAP), "--stdout", text],
        capture_output=True,
        check=True,
    )
    with wave.open(io.BytesIO(result.stdout)) as reader:
        source_rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32)
    positions = np.arange(0, samples.shape[0] * rate / source_rate) * source_rate / rate
    resampled = np.interp(positions, np.arange(samples.shape[0]), samples)
    quiet = np.zeros(rate // 4, dtype=np.float32)  # a quarter second either side, as in a real clip
    pcm = np.concatenate([quiet, resampled, quiet]).clip(-32768, 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(pcm.tobytes())
    return out.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--lines", type=int, nargs="+", help="only these corpus lines; keep the other rows")
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        raise SystemExit("make_redact_corpus: espeak-ng is missing (apt-get install espeak-ng)")
    sentences = spoken_sentences(CORPUS)
    kept: list[str] = []
    if args.lines:
        chosen = set(args.lines)
        missing = chosen - {number for number, _, _ in sentences}
        if missing:
            raise SystemExit(
                f"make_redact_corpus: {CORPUS.name}: no spoken sentence on line(s) {sorted(missing)}"
            )
        sentences = [s for s in sentences if s[0] in chosen]
        if args.output.exists():
            kept = [
                row
                for row in args.output.read_text(encoding="utf-8").splitlines()
                if row.strip() and not row.startswith("#") and int(row.split("\t", 1)[0]) not in chosen
            ]
    options = engine_options(Settings())
    engine = make_engine("faster-whisper", options)
    engine.load()
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout.split()
    rows = [
        "# What the bundled model writes for espeak-ng speech of the spoken-form sentences of",
        "# redact_corpus.txt. Made by tools/make_redact_corpus.py; do not edit by hand.",
        f"# model: {model_label(engine, options)}; espeak-ng {version[3] if len(version) > 3 else '?'};"
        f" voices {VOICES}; {WORDS_PER_MINUTE} words a minute, -g {WORD_GAP}",
        "# line\tregion\trate\tmarked source sentence\ttranscript",
    ]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for number, region, marked in sentences:
            for rate in RATES:
                path = Path(tmp) / f"line{number}-{rate}.wav"
                path.write_bytes(speak(plain(marked), VOICES.get(region, "en-us"), rate))
                segments = engine.transcribe(decode_audio(path))
                text = " ".join(segment.text.strip() for segment in segments).strip()
                text = " ".join(text.split())  # one line, tabs and newlines cannot break the file
                rows.append(f"{number}\t{region}\t{rate}\t{marked}\t{text}")
                print(f"{number:4} {rate:5} {text}", flush=True)
    header, made = rows[:4], rows[4:]
    rows = header + sorted(kept + made, key=lambda row: (int(row.split("\t")[0]), int(row.split("\t")[2])))
    atomic_write_text(args.output, "\n".join(rows) + "\n")
    print(f"{len(made)} transcripts in {time.perf_counter() - started:.0f} s -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
