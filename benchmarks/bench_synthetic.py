"""Synthetic spun news: lee articles 1-150 spun by the simulator, then restored.

Two directions, each with the simulator's substitution source different from
the thesaurus the restorer inverts (otherwise the figure would be circular):

* simulate with Moby, restore with ``thesaurus_sources=("wordnet",)``;
* simulate with WordNet, restore with ``thesaurus_sources=("moby",)``.

Articles are split into sentences (one pair per sentence, article = document)
and restored by document. The generated pairs are written to
``benchmarks/.cache/synthetic_<source>.jsonl`` so that a figure can be
re-checked with ``garble-fix eval ... --by-doc --sources <other>``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from bench_common import (
    CACHE,
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
from clean_text import lee_articles, split_sentences
from spinner_sim import spin_pairs, thesaurus_synonyms

from garble_fix.evaluate import Pair, evaluate_pairs

# (simulator source, restorer source): never the same.
DIRECTIONS = (("moby", "wordnet"), ("wordnet", "moby"))


def synthetic_pairs(articles: Sequence[str], source: str, rate: float, seed: str) -> list[Pair]:
    """Spin each article sentence by sentence with the ``source`` thesaurus."""
    documents = [(f"lee{i}", split_sentences(text)) for i, text in enumerate(articles, start=1)]
    spun = spin_pairs(documents, rate=rate, seed=seed, synonyms=thesaurus_synonyms((source,)))
    return [Pair(*p) for p in spun]


def save_pairs(pairs: Sequence[Pair], source: str) -> str:
    """Write the pairs as JSONL in the cache; return the path relative to the repo."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"synthetic_{source}.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for pair in pairs:
            handle.write(json.dumps(pair._asdict(), ensure_ascii=False) + "\n")
    return str(path.relative_to(ROOT))


def main(argv: Sequence[str] | None = None) -> int:
    """Run both directions; write ``results/bench_synthetic.json``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=150, help="lee articles (at most 150)")
    # 0.25: middle of the 0.15-0.3 range; gives about 9 gold edits per 100
    # words (the seed article, spun by a real spinner, has about 16).
    parser.add_argument("--rate", type=float, default=0.25, help="share of content words spun")
    parser.add_argument("--seed", default="0")
    parser.add_argument("--top", type=int, default=30, help="errors to list per kind")
    parser.add_argument("--by-line", action="store_true", help="restore line by line")
    parser.add_argument("--circular", action="store_true",
                        help="also run the same-source directions (an upper bound for "
                             "diagnosis only: never quote it as the synthetic figure)")
    add_config_flags(parser)
    args = parser.parse_args(argv)
    if args.sources:
        parser.error("--sources is fixed per direction by this benchmark")
    started = start("bench_synthetic")
    options = options_from(args)
    articles = lee_articles(args.articles)
    runs: dict[str, Any] = {}
    rows = []
    directions = DIRECTIONS + ((("moby", "moby"), ("wordnet", "wordnet")) if args.circular else ())
    for simulated, restored in directions:
        pairs = synthetic_pairs(articles, simulated, args.rate, args.seed)
        saved = save_pairs(pairs, simulated)
        restorer = make_restorer(**options, thesaurus_sources=(restored,))
        report = evaluate_pairs(pairs, restorer, by_doc=not args.by_line, clean=False)
        name = f"spun with {simulated}, restored with {restored}" + (
            " (CIRCULAR)" if simulated == restored else "")
        summary = summary_row(report)
        words = sum(len(p.original.split()) for p in pairs)
        tallies = error_counts(pairs, report)
        runs[name] = {**summary, "pairs": len(pairs), "pairs_file": saved, "words": words,
                      "gold_edits_per_100_words": 100.0 * report.result.gold_edits / words,
                      "check": f"garble-fix eval {saved} {'' if args.by_line else '--by-doc '}"
                               f"--no-clean --sources {restored}"}
        rows.append([name, summary["precision"], summary["recall"], summary["f05"],
                     summary["wer_spun"], summary["wer_restored"], summary["wer_reduction"],
                     runs[name]["gold_edits_per_100_words"]])
        runs[name]["top_missed"] = print_top(f"missed, {name}", tallies["missed"], args.top)
        runs[name]["top_wrong"] = print_top(f"wrong, {name}", tallies["wrong"], args.top)
    print()
    print(table(("direction", "P", "R", "F0.5", "WER spun", "WER rest.", "reduction",
                 "gold/100 words"), rows))
    write_result("bench_synthetic", {"rate": args.rate, "seed": args.seed,
                                     "articles": len(articles), "mode":
                                     "by-line" if args.by_line else "by-doc",
                                     "options": options, "runs": runs}, started, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
