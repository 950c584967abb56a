"""Dev-set benchmark: the seed article's 30 pairs, by document and by line, plus ablations.

The dev set is small (about 135 gold edits): read its figures as a smoke
signal and its error list as a to-do list, not as a score to tune to.
Every row also counts false edits on the dev set's original side.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from bench_common import (
    ROOT,
    add_config_flags,
    error_counts,
    make_restorer,
    options_from,
    print_top,
    start,
    summary_row,
    table,
    write_result,
)

from garble_fix.evaluate import evaluate_pairs, load_pairs

# One switch off at a time, against the full default configuration.
ABLATIONS: list[tuple[str, dict[str, Any]]] = [
    ("full", {}),
    ("no signatures", {"use_signatures": False}),
    ("no thesaurus", {"use_thesaurus": False}),
    ("no joint", {"joint": False}),
    ("no document evidence", {"document_evidence": False}),
    ("no numbers", {"use_numbers": False}),
]

COLUMNS = ("run", "P", "R", "F0.5", "WER spun", "WER rest.", "reduction", "clean/1000")


def row(name: str, summary: dict[str, Any]) -> list[Any]:
    """A table row from :func:`bench_common.summary_row` output."""
    return [name, summary["precision"], summary["recall"], summary["f05"], summary["wer_spun"],
            summary["wer_restored"], summary["wer_reduction"], summary.get("clean_per_1000")]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the dev benchmark; print the tables and write ``results/bench_dev.json``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", default=str(ROOT / "seeds" / "seed_pairs.jsonl"))
    parser.add_argument("--top", type=int, default=40, help="errors to list per kind")
    add_config_flags(parser)  # base options, applied to every row
    args = parser.parse_args(argv)
    base = options_from(args)
    started = start("bench_dev")
    pairs = load_pairs(args.pairs)
    results: dict[str, Any] = {"pairs_file": args.pairs, "pairs": len(pairs),
                               "base_options": base, "runs": {}}
    reports = {}
    for name, options in [("by-doc", {}), ("by-line", {})] + [
            (f"by-doc, {n}", o) for n, o in ABLATIONS[1:]]:
        try:
            report = evaluate_pairs(pairs, make_restorer(**{**base, **options}),
                                    by_doc=name.startswith("by-doc"))
        except Exception as error:  # a broken switch must not hide the other rows
            print(f"{name}: FAILED: {type(error).__name__}: {error}", file=sys.stderr)
            results["runs"][name] = {"options": options, "error": str(error)}
            continue
        reports[name] = report
        results["runs"][name] = {"options": options, **summary_row(report)}
    print(table(COLUMNS, [row(n, s) for n, s in results["runs"].items() if "error" not in s]))
    full = reports.get("by-doc")
    if full is not None:
        tallies = error_counts(pairs, full)
        results["errors_by_doc_full"] = {
            kind: print_top(f"{kind} edits, by-doc full", tallies[kind], args.top)
            for kind in ("missed", "wrong", "false")}
    write_result("bench_dev", results, started, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
