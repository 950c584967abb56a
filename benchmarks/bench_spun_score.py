"""How well ``spun_score`` separates spun documents from clean ones (for filtering dumps).

Documents scored, one call each:

* the seed article (spun, real) and its original wording (the dev pairs'
  two sides, joined by line): one real positive, one real negative;
* lee articles 1-150 (clean ABC news): the false-positive side;
* the blind spun test set (``data/blind_spun.jsonl``: lee articles 101-140
  spun by blind authors), each article's two sides;
* the same articles spun by the thesaurus simulator (``spinner_sim``, Moby
  synonyms at ``--rate``), scored with the restorer inverting WordNet only so
  that the simulator's source is not the one inverted (not circular).

Prints the scores' distribution on each side, the share above 0.5, and the
AUC of simulated-spun against clean. The simulator spins blindly from a
thesaurus, unlike the real spinner's fixed dictionary, so its AUC is a floor
for thesaurus-only spinning, not an estimate for real spun news.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from bench_common import ROOT, start, table, write_result
from clean_text import lee_articles
from spinner_sim import spin_text, thesaurus_synonyms

from garble_fix import spun_score

# A document scoring above this is called spun when a dump is filtered.
THRESHOLD = 0.5


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def seed_documents(path: str) -> tuple[str, str]:
    """(spun, original) text of the dev pairs' document, lines joined with newlines."""
    records = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    return "\n".join(r["spun"] for r in records), "\n".join(r["original"] for r in records)


def documents_by_doc(path: str) -> list[tuple[str, str]]:
    """(spun, original) text of every document of a pairs file, lines joined with newlines."""
    by_doc: dict[str, list[dict]] = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            record = json.loads(line)
            by_doc.setdefault(record["doc"], []).append(record)
    return [("\n".join(r["spun"] for r in records), "\n".join(r["original"] for r in records))
            for records in by_doc.values()]


def describe(name: str, scores: Sequence[float]) -> tuple:
    """One table row: count, min, median, max, share above the threshold."""
    ordered = sorted(scores)
    return (name, len(ordered), ordered[0], ordered[len(ordered) // 2], ordered[-1],
            sum(s > THRESHOLD for s in ordered) / len(ordered))


def main(argv: Sequence[str] | None = None) -> int:
    """Score every document; print the table and the AUC; write the result file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", default=str(ROOT / "seeds" / "seed_pairs.jsonl"))
    parser.add_argument("--blind", default=str(ROOT / "benchmarks" / "data" / "blind_spun.jsonl"))
    parser.add_argument("--rate", type=float, default=0.25, help="simulated spin rate")
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    started = start("bench_spun_score")
    spun, original = seed_documents(args.pairs)
    articles = lee_articles(150)
    clean = [spun_score(a) for a in articles]
    clean_wordnet = [spun_score(a, thesaurus_sources=("wordnet",)) for a in articles]
    synonyms = thesaurus_synonyms(("moby",))
    simulated = [spun_score(spin_text(a, rate=args.rate, seed=f"score{i}", synonyms=synonyms),
                            thesaurus_sources=("wordnet",)) for i, a in enumerate(articles)]
    blind = documents_by_doc(args.blind)
    blind_spun = [spun_score(text) for text, _ in blind]
    blind_original = [spun_score(text) for _, text in blind]
    rows = [describe("seed article (spun)", [spun_score(spun)]),
            describe("seed article (original)", [spun_score(original)]),
            describe("blind test set (spun)", blind_spun),
            describe("blind test set (original)", blind_original),
            describe("lee 1-150 (clean)", clean),
            describe("lee 1-150 (clean), WordNet only", clean_wordnet),
            describe(f"lee 1-150 Moby-spun {args.rate}, WordNet only", simulated)]
    print(table(("documents", "n", "min", "median", "max", f"share > {THRESHOLD}"), rows))
    separation = auc(simulated, clean_wordnet)
    blind_separation = auc(blind_spun, blind_original)
    print(f"\nAUC simulated-spun vs clean lee: {separation:.3f}")
    print(f"AUC blind test set, spun vs original side: {blind_separation:.3f}")
    write_result("bench_spun_score", {
        "rows": [dict(zip(("documents", "n", "min", "median", "max", "share_above"), r)) for r in rows],
        "auc_simulated_vs_clean": separation, "auc_blind_spun_vs_original": blind_separation,
        "rate": args.rate,
    }, started, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
