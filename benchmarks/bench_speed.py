"""Speed and memory: words per second on news after loading, cold start, peak RSS.

* Throughput: one core (the process is pinned to one CPU, BLAS to one
  thread), after a warm-up call has loaded every table and model; lee news
  articles 1-150 restored one article per call, words counted as the scorer
  counts them.
* Cold start: a fresh ``python -c "import garble_fix; garble_fix.restore(...)"``
  subprocess, wall clock, median of several runs; the child also reports its
  own peak RSS.
* Peak RSS of this process after the throughput run (``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

from bench_common import (
    ROOT,
    add_config_flags,
    make_restorer,
    options_from,
    single_core,
    start,
    table,
    timed,
    write_result,
)
from clean_text import lee_articles

from garble_fix.evaluate import count_words

SHORT_TEXT = "He met reporters at the White Home on Monday."

# The child measures itself so that interpreter start-up is included in the
# wall time but the parent's memory is not in its RSS.
COLD_START = (
    "import time, resource; t = time.perf_counter(); import garble_fix; "
    "t_import = time.perf_counter() - t; garble_fix.restore({text!r}, **{options!r}); "
    "print(t_import, time.perf_counter() - t, "
    "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def cold_start(runs: int, options: dict[str, object]) -> dict[str, float]:
    """Median wall time of a fresh interpreter doing one restore; its import time and RSS."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    walls, imports, inside, rss = [], [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", COLD_START.format(text=SHORT_TEXT, options=options)],
            env=env, capture_output=True, text=True, cwd=str(ROOT / "benchmarks"))
        if child.returncode != 0:
            raise RuntimeError(f"cold-start child failed: {child.stderr.strip()[-2000:]}")
        out = child.stdout.split()
        walls.append(time.perf_counter() - t0)
        imports.append(float(out[0]))
        inside.append(float(out[1]))
        rss.append(int(out[2]) / 1024)  # ru_maxrss is in KiB on Linux
    return {"wall_s": statistics.median(walls), "import_s": statistics.median(imports),
            "import_plus_first_restore_s": statistics.median(inside),
            "peak_rss_mib": max(rss), "runs": runs}


def main(argv: Sequence[str] | None = None) -> int:
    """Measure; write ``results/bench_speed.json``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=150, help="lee articles (at most 150)")
    parser.add_argument("--cold-runs", type=int, default=3)
    add_config_flags(parser)
    args = parser.parse_args(argv)
    started = start("bench_speed")
    options = options_from(args)
    cold = cold_start(args.cold_runs, options)
    single_core()
    restorer = make_restorer(**options)
    _, warmup = timed(lambda: restorer(SHORT_TEXT))
    articles = lee_articles(args.articles)
    words = sum(count_words(a) for a in articles)
    per_article = []
    t0 = time.perf_counter()
    for article in articles:
        _, seconds = timed(lambda a=article: restorer(a))
        per_article.append(seconds)
    elapsed = time.perf_counter() - t0
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "throughput": {"articles": len(articles), "words": words, "seconds": elapsed,
                       "words_per_second": words / elapsed,
                       "median_article_seconds": statistics.median(per_article),
                       "max_article_seconds": max(per_article),
                       "warmup_seconds": warmup, "cpus": len(os.sched_getaffinity(0))},
        "cold_start": cold,
        "peak_rss_mib_after_throughput": rss_mib,
        "options": options,
    }
    print(table(("measure", "value"), [
        ("words/s (1 core, loaded)", result["throughput"]["words_per_second"]),
        ("words restored", words),
        ("median s per article", result["throughput"]["median_article_seconds"]),
        ("max s per article", result["throughput"]["max_article_seconds"]),
        ("warm-up call s (loads tables/LM)", warmup),
        ("cold start s (fresh python, import + 1 restore)", cold["wall_s"]),
        ("  of which import garble_fix s", cold["import_s"]),
        ("  cold child peak RSS MiB", cold["peak_rss_mib"]),
        ("peak RSS MiB after throughput run", rss_mib),
    ]))
    write_result("bench_speed", result, started, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
