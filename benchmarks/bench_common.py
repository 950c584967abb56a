"""Shared plumbing of the benchmark scripts: paths, restorers, tables, result files.

The benchmarks measure the working tree: the repository root is put first on
``sys.path`` so that ``python benchmarks/bench_X.py`` scores the code you are
editing, not an older installed copy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
CACHE = BENCH_DIR / ".cache"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from garble_fix.eval_cli import config_options, iter_errors  # noqa: E402  (after the sys.path line)
from garble_fix.evaluate import Pair, Report, Restorer  # noqa: E402


def add_config_flags(parser: argparse.ArgumentParser) -> None:
    """The restore-option flags of ``garble-fix eval`` (so a benchmark can run a variant)."""
    parser.add_argument("--tag", default="",
                        help="suffix of the result file (results/NAME-TAG.json) for variants")
    parser.add_argument("--aggressiveness", type=float, default=None)
    parser.add_argument("--sources", default=None, help="e.g. wordnet,moby")
    for flag in ("signatures", "thesaurus", "numbers", "joint", "document-evidence"):
        parser.add_argument(f"--no-{flag}", action="store_true")


def options_from(args: argparse.Namespace) -> dict[str, Any]:
    """RestoreConfig keyword options from :func:`add_config_flags` flags."""
    return config_options(args)


def make_restorer(**options: Any) -> Restorer:
    """``garble_fix.restore`` with fixed options, as a one-argument function."""
    from garble_fix import RestoreConfig, restore
    from garble_fix.config import config_from_kwargs

    config: RestoreConfig = config_from_kwargs(None, **options)
    return lambda text: restore(text, config)


def reproduce_line() -> str:
    """The command line that re-runs this benchmark (printed first, stored in the JSON)."""
    script = Path(sys.argv[0]).resolve()
    try:
        shown = str(script.relative_to(ROOT))
    except ValueError:
        shown = str(script)
    return "python " + " ".join(shlex.quote(a) for a in [shown, *sys.argv[1:]])


def git_commit() -> str:
    """The commit measured (``+dirty`` when the tree has uncommitted changes to tracked files)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def start(name: str) -> float:
    """Print the benchmark's header and reproduce line; return the start time."""
    print(f"# {name}  (commit {git_commit()})")
    print(f"# reproduce: {reproduce_line()}")
    return time.perf_counter()


def write_result(name: str, data: dict[str, Any], started: float, tag: str = "") -> Path:
    """Write ``benchmarks/results/NAME.json`` (``NAME-TAG.json``) with provenance fields added."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / (f"{name}-{tag}.json" if tag else f"{name}.json")
    record = {
        "benchmark": name,
        "command": reproduce_line(),
        "commit": git_commit(),
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "seconds": round(time.perf_counter() - started, 1),
        **data,
    }
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"# wrote {path.relative_to(ROOT)} ({record['seconds']} s)")
    return path


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain fixed-width table (floats to 3 decimals, None as n/a)."""
    def cell(value: Any) -> str:
        if value is None:
            return "n/a"
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    body = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h)
              for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in body]
    return "\n".join(lines)


def summary_row(report: Report) -> dict[str, Any]:
    """The figures of one evaluated run, for tables and JSON."""
    r = report.result
    row = {"precision": r.precision, "recall": r.recall, "f05": r.f05,
           "wer_spun": r.wer_spun, "wer_restored": r.wer_restored,
           "wer_reduction": r.wer_reduction, "gold_edits": r.gold_edits,
           "system_edits": r.system_edits, "correct": r.correct}
    if report.clean is not None:
        row["clean_false_edits"] = report.clean.false_edits
        row["clean_words"] = report.clean.words
        row["clean_per_1000"] = report.clean.per_1000
    row["fallback_docs"] = len(report.fallback_docs)
    return row


def error_counts(pairs: Sequence[Pair], report: Report) -> dict[str, Counter[str]]:
    """Missed / wrong / false edits of a run, tallied as ``'found' -> 'replacement'``."""
    tallies: dict[str, Counter[str]] = {"missed": Counter(), "wrong": Counter(), "false": Counter()}
    for kind, _doc, _line, edit in iter_errors(pairs, report):
        tallies[kind][str(edit)] += 1
    return tallies


def print_top(title: str, counts: Counter[str], limit: int) -> list[list[Any]]:
    """Print the most frequent entries of a tally; return them for the JSON file."""
    top = counts.most_common(limit)
    print(f"\n{title} ({sum(counts.values())} in all, {len(counts)} distinct; top {len(top)}):")
    for text, n in top:
        print(f"  {n:4d}  {text}")
    return [[text, n] for text, n in top]


def single_core() -> None:
    """Pin this process to one CPU and one BLAS thread, for per-core figures."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``function``; return its value and the wall-clock seconds it took."""
    t0 = time.perf_counter()
    value = function()
    return value, time.perf_counter() - t0
