"""The transcription tests on other "machines": one core, other thread counts, another espeak voice.

What Whisper hears depends on the CPU's int8 kernels, the number of threads and espeak-ng's sound,
so the tests of model output assert bounds that must hold on any machine (issue 10). This runs
them once per configuration and prints each measured figure (word error rate) against its bound:

    make transcribe-matrix                 # default, voice, one-core, two-threads (QUICK)
    .venv/bin/python bench/transcribe_matrix.py all               # every configuration
    .venv/bin/python bench/transcribe_matrix.py one-core voice    # some of them
    LISTEN_MATRIX_FIGURES=DIR ...          # keep each configuration's figures in DIR/NAME.jsonl

A configuration is a name, an optional CPU list for ``taskset`` and environment variables:
``OMP_NUM_THREADS`` (CTranslate2's and torch's default thread count), ``LISTEN_TEST_THREADS`` (the
engines' ``cpu_threads`` in the tests) and ``LISTEN_TEST_VOICE`` (the synthetic speech's voice).
Exit status 1 when any run failed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = [
    "tests/transcribe/test_faster_engine.py",
    "tests/transcribe/test_stereo.py",
    "tests/transcribe/test_runner.py",
    "tests/transcribe/test_segments.py",
    "tests/transcribe/test_openai_engine.py::test_monologue_comes_back_sentence_by_sentence",
    "tests/transcribe/test_openai_engine.py::test_vocabulary_makes_a_product_name_heard_right",
]
SECOND_VOICE = "en-gb"
# Each knob takes each value at least once; on 2 busy cores one run takes about 15 minutes.
CONFIGS: dict[str, tuple[str | None, dict[str, str]]] = {
    "default": (None, {}),
    "voice": (None, {"LISTEN_TEST_VOICE": SECOND_VOICE}),
    "one-core": ("0", {"OMP_NUM_THREADS": "1", "LISTEN_TEST_THREADS": "1"}),
    "two-threads": (None, {"OMP_NUM_THREADS": "2", "LISTEN_TEST_THREADS": "2"}),
    "omp-1": (None, {"OMP_NUM_THREADS": "1"}),
    "omp-2": (None, {"OMP_NUM_THREADS": "2"}),
    "threads-1": (None, {"LISTEN_TEST_THREADS": "1"}),
    "threads-2": (None, {"LISTEN_TEST_THREADS": "2"}),
    "voice-one-core": ("0", {"LISTEN_TEST_VOICE": SECOND_VOICE, "LISTEN_TEST_THREADS": "1"}),
}
QUICK = ["default", "voice", "one-core", "two-threads"]


def run(name: str, figures: Path) -> bool:
    cpus, extra = CONFIGS[name]
    env = {**os.environ, **extra, "LISTEN_TEST_FIGURES": str(figures), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS]
    if cpus is not None:
        command = [shutil.which("taskset") or "taskset", "-c", cpus, *command]
    print(
        f"=== {name}: {' '.join(f'{k}={v}' for k, v in extra.items()) or '-'}"
        f"{f' taskset -c {cpus}' if cpus else ''}",
        flush=True,
    )
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    print("\n".join(result.stdout.strip().splitlines()[-6:]), flush=True)
    return result.returncode == 0


def report(seen: dict[str, list[dict[str, float]]]) -> None:
    """Per figure: its bound, then the highest value seen in each configuration."""
    names = sorted({row["name"] for rows in seen.values() for row in rows})  # type: ignore[misc]
    configs = list(seen)
    print(f"\n{'figure':40} {'bound':>6}  " + " ".join(f"{c[:10]:>10}" for c in configs))
    for figure in names:
        bound = next(row["bound"] for rows in seen.values() for row in rows if row["name"] == figure)
        cells = []
        for config in configs:
            values = [row["value"] for row in seen[config] if row["name"] == figure]
            cells.append(f"{max(values):10.3f}" if values else f"{'-':>10}")
        print(f"{figure[:40]:40} {bound:6.2f}  " + " ".join(cells))


def main(argv: list[str]) -> int:
    chosen = list(CONFIGS) if argv == ["all"] else argv or QUICK
    unknown = [name for name in chosen if name not in CONFIGS]
    if unknown:
        print(f"unknown configuration: {' '.join(unknown)} (known: {' '.join(CONFIGS)})", file=sys.stderr)
        return 2
    seen: dict[str, list[dict[str, float]]] = {}
    failed = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = os.environ.get("LISTEN_MATRIX_FIGURES") or temporary
        Path(folder).mkdir(parents=True, exist_ok=True)
        for name in chosen:
            figures = Path(folder) / f"{name}.jsonl"
            figures.unlink(missing_ok=True)
            if not run(name, figures):
                failed.append(name)
            lines = figures.read_text(encoding="utf-8").splitlines() if figures.exists() else []
            seen[name] = [json.loads(line) for line in lines]
    report(seen)
    if failed:
        print(f"\nfailed: {' '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
