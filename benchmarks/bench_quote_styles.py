"""Does the quotation style change the restoration? Dev and blind sets with double quotes and with ‘…’.

British outlets quote speech in curly single quotes, where ``’`` is also the
apostrophe. The restorer should treat a quotation the same whichever marks
it wears: protect it when the spinner left quotes alone (the dev article),
restore it when the document shows the spinner rewrote quotes (the blind
set). This benchmark rewrites every double quote of both sides of each
pairs file to a curly single one (straight quotes alternate open/close
within a line) and compares the figures, each document restored in one call.

    python benchmarks/bench_quote_styles.py
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from bench_common import ROOT, make_restorer, start, summary_row, table, write_result

from garble_fix.evaluate import Pair, evaluate_pairs, load_pairs

PAIRS = {"dev": ROOT / "seeds" / "seed_pairs.jsonl",
         "blind": ROOT / "benchmarks" / "data" / "blind_spun.jsonl"}


def single_quoted(line: str) -> str:
    """``line`` with its double quotes turned into curly single quotes.

    >>> single_quoted('He said "we won" and “they lost”.')
    'He said ‘we won’ and ‘they lost’.'
    """
    out, opening = [], True
    for char in line:
        if char == '"':
            out.append("‘" if opening else "’")
            opening = not opening
        else:
            out.append({"“": "‘", "”": "’"}.get(char, char))
    return "".join(out)


def restyled(pairs: Sequence[Pair]) -> list[Pair]:
    """The pairs with both sides in single quotes."""
    return [pair._replace(spun=single_quoted(pair.spun), original=single_quoted(pair.original))
            for pair in pairs]


def main(argv: Sequence[str] | None = None) -> int:
    """Score each pairs file in both quote styles; write ``results/bench_quote_styles.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tag", default="", help="suffix for the result file")
    args = parser.parse_args(argv)
    started = start("bench_quote_styles")
    restorer = make_restorer()
    results = {}
    for name, path in PAIRS.items():
        pairs = load_pairs(path)
        for style, rows in (("double quotes", pairs), ("single quotes", restyled(pairs))):
            results[f"{name}, {style}"] = summary_row(evaluate_pairs(rows, restorer, by_doc=True))
    print(table(("pairs, quote style", "P", "R", "F0.5", "WER reduction", "clean /1000"),
                [(k, r["precision"], r["recall"], r["f05"], r["wer_reduction"], r["clean_per_1000"])
                 for k, r in results.items()]))
    write_result("bench_quote_styles", {"runs": results}, started, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
