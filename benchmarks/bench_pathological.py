"""Pathological inputs: time per input for shapes that once went quadratic.

Prints seconds per case and words per second, so that a change that makes
any of them superlinear shows up (a 500,000-character token once took 61 s,
a 36,000-word sentence over 300 s). Measures and prints only.

    python benchmarks/bench_pathological.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from garble_fix import restore_and_explain  # noqa: E402

CASES = {
    "one 500,000-character token": "x" * 500_000,
    "100,000 full stops": "." * 100_000,
    "36,000-word sentence, heavily spun": "officials on the White Home instructed reporters "
                                          "earlier than the vote " * 3_000,
    "50,000 one-word lines": "word\n" * 50_000,
    "50,000 quotation marks": '"' * 50_000 + " said",
    "50,000 emoji": "\U0001F600 " * 50_000,
}


def main() -> int:
    """Time each case once after a warm-up call."""
    restore_and_explain("warm up the White Home")
    print(f"{'case':40s} {'chars':>9s} {'seconds':>8s} {'edits':>6s}")
    for name, text in CASES.items():
        started = time.perf_counter()
        result = restore_and_explain(text)
        seconds = time.perf_counter() - started
        print(f"{name:40s} {len(text):9d} {seconds:8.2f} {len(result.edits):6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
