"""What the aggressiveness setting trades: restorations on spun text against false edits on clean text.

A user cleaning a dump chooses how bold the restorer is
(``restore(text, aggressiveness=...)``, ``garble-fix restore --aggressiveness``).
This benchmark shows what each setting does on the data the project has:
precision, recall and WER reduction on the dev set and on the blind spun
test set (each document restored in one call), and false edits per 1000
words on the clean corpora of ``bench_clean.py``.

It measures only. The default (0.5) is not chosen here: ``choose_offset.py``
chooses it without the dev set, from clean text and held-out generated spun
text, and reading this table to move the default would tune it to the dev
and blind sets.

    python benchmarks/bench_aggressiveness.py
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from bench_common import ROOT, make_restorer, start, summary_row, table, write_result
from choose_offset import clean_rates
from clean_text import brown_texts, lee_articles, nlp_corpus_texts

from garble_fix.config import config_from_kwargs
from garble_fix.evaluate import evaluate_pairs, load_pairs

# From cautious to bold, in the steps choose_offset.py sweeps near the
# default, plus the two ends of the scale.
SETTINGS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0)
PAIRS = {"dev": ROOT / "seeds" / "seed_pairs.jsonl",
         "blind": ROOT / "benchmarks" / "data" / "blind_spun.jsonl"}


def spun_scores(pairs: dict[str, list[Any]], setting: float) -> dict[str, dict[str, Any]]:
    """P, R, F0.5 and WER reduction of each pairs file at ``setting``, by document."""
    restorer = make_restorer(aggressiveness=setting)
    return {name: summary_row(evaluate_pairs(rows, restorer, by_doc=True, clean=False))
            for name, rows in pairs.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Sweep the settings; print one table and write ``results/bench_aggressiveness.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tag", default="", help="suffix for the result file")
    args = parser.parse_args(argv)
    started = start("bench_aggressiveness")
    pairs = {name: load_pairs(path) for name, path in PAIRS.items()}
    corpora = {"lee": lee_articles(150), "brown": brown_texts(600), "nlp": nlp_corpus_texts(600)}
    results: dict[float, dict[str, Any]] = {}
    for setting in SETTINGS:
        config = config_from_kwargs(None, aggressiveness=setting)
        results[setting] = {**spun_scores(pairs, setting), "clean": clean_rates(corpora, config)}
    rows = [(s, r["dev"]["precision"], r["dev"]["recall"], r["dev"]["wer_reduction"],
             r["blind"]["precision"], r["blind"]["recall"], r["blind"]["wer_reduction"],
             r["clean"]["lee"], r["clean"]["brown"], r["clean"]["nlp"], r["clean"]["overall"])
            for s, r in results.items()]
    print(table(("aggressiveness", "dev P", "dev R", "dev WER red.", "blind P", "blind R",
                 "blind WER red.", "clean lee", "brown", "nlp", "all /1000"), rows))
    write_result("bench_aggressiveness", {"settings": results}, started, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
