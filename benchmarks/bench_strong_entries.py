"""How often the lexicon's strong entries match clean text the build never checked them against.

A ``strong`` entry promises that its spun form practically never occurs in
edited English. ``corpora/build_signatures.py`` checks that promise on lee
1-150, Brown and nlp-corpus sentences from 20,001 on, and demotes what it
finds there, so those corpora can no longer show a broken promise. This
benchmark counts strong-entry matches on the nlp-corpus sentences the build
leaves out (1-20,000: web text, reviews, UN documents, fiction), an honest
estimate of how often a strong entry meets natural text. A match is not yet
an edit (context can still veto it); it is the exposure.

    python benchmarks/bench_strong_entries.py
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bench_common import start, table, write_result
from clean_text import nlp_corpus_texts

from garble_fix.evaluate import count_words
from garble_fix.signatures import load_signatures
from garble_fix.tokens import tokenize

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpora"))
from build_signatures import NLP_FIRST  # noqa: E402


def strong_matches(texts: Sequence[str]) -> tuple[Counter[str], dict[str, str]]:
    """Matches of strong entries per "spun -> original (family)", with one example each."""
    lexicon = load_signatures()
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for text in texts:
        tokens = tokenize(text)
        for match in lexicon.find(tokens, text):
            entry = match.entry
            if entry.strength != "strong":
                continue
            start, end = tokens[match.first].start, tokens[match.last - 1].end
            key = f"{text[start:end]!r} -> {entry.originals[0]!r} ({entry.family})"
            counts[key] += 1
            examples.setdefault(key, text[max(0, start - 50):end + 30].replace("\n", " "))
    return counts, examples


def main(argv: Sequence[str] | None = None) -> int:
    """Count strong-entry matches on the held-out nlp-corpus sentences; print the top ones."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=30, help="matches to list")
    args = parser.parse_args(argv)
    started = start("bench_strong_entries")
    texts = nlp_corpus_texts(NLP_FIRST, min_words=1)
    words = sum(count_words(t) for t in texts)
    counts, examples = strong_matches(texts)
    total = sum(counts.values())
    print(table(("held-out clean text", "sentences", "words", "strong matches", "per 1000 words"),
                [(f"nlp-corpus 1-{NLP_FIRST:,}", len(texts), words, total,
                  1000.0 * total / words if words else 0.0)]))
    print(f"\nmost frequent ({len(counts)} distinct):")
    for key, n in counts.most_common(args.top):
        print(f"  {n:3}  {key}  ...{examples[key]}...")
    write_result("bench_strong_entries", {"sentences": len(texts), "words": words, "matches": total,
                                          "per_1000": 1000.0 * total / words if words else 0.0,
                                          "top": counts.most_common(args.top)}, started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
