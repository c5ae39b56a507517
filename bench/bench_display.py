"""Display sanitiser benchmark: one_line / multi_line / json_text on 1 MB lines of each kind.

Run: .venv/bin/python bench/bench_display.py
Target (issue 10): linear in the text; one_line and multi_line take under a second on a 1 MB line of
anything, and clean text (every title on every listing) costs one scan. json_text (--json only) is
reported without a target: it is linear too, at about 0.4 us per character once escaping is needed.
"""

from __future__ import annotations

import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from listen.display import json_text, multi_line, one_line

SIZE = 1_000_000
KINDS = {
    "clean ASCII": "a",
    "clean CJK": "払",
    "no-break spaces": "\xa0",
    "all ESC": "\x1b",
    "escape soup": "abc\x1b[2J\u202e\r\n\x9b",
    "CRLF": "\r\n",
    "tag characters": "\U000e0041",
}


def timed(function, text: str) -> float:
    """Median of five runs, in seconds."""
    return statistics.median(timeit.repeat(lambda: function(text), number=1, repeat=5))


def main() -> int:
    print(f"{'1 MB of':<18} {'one_line':>9} {'multi_line':>11} {'json_text':>10}   (median of 5, ms)")
    worst = 0.0
    for name, unit in KINDS.items():
        text = unit * (SIZE // len(unit))
        figures = [timed(f, text) for f in (one_line, multi_line, json_text)]
        worst = max(worst, *figures[:2])
        print(f"{name:<18} " + " ".join(f"{t * 1000:>9.1f}  " for t in figures))
    print(f"worst one_line/multi_line: {worst * 1000:.0f} ms (target: under 1000 ms)")
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
