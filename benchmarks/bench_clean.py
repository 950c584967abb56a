"""False edits on clean English: every edit the restorer makes here is a false alarm.

Corpora (fetched at benchmark time, see ``clean_text.py``): ABC news articles
1-150 from gensim's ``lee_background.cor`` (151-300 are held out and never
read), Brown corpus paragraphs (news, editorials, reviews first) and
``nlp-corpus`` sentences. The official figure is the scorer's: token-level
edits (``garble_fix.evaluate.token_edits``) per 1000 words. The list of false
edits, most frequent first, comes from ``restore_and_explain`` so that each
shows the reason code of the rule or source that made it.

Calibration scripts should take Brown / nlp-corpus text after the part
measured here (``brown_texts(n, skip=...)``), so this figure stays honest.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from typing import Any

from bench_common import (
    add_config_flags,
    options_from,
    print_top,
    start,
    table,
    write_result,
)
from clean_text import brown_texts, lee_articles, nlp_corpus_texts

from garble_fix import RestoreConfig, restore_and_explain
from garble_fix.config import config_from_kwargs
from garble_fix.evaluate import count_words, token_edits

# Characters of context shown on each side of an example false edit.
CONTEXT_CHARS = 40


def example(text: str, start: int, end: int) -> str:
    """The edited span in its context, marked with brackets."""
    left = text[max(0, start - CONTEXT_CHARS):start].replace("\n", " ")
    right = text[end:end + CONTEXT_CHARS].replace("\n", " ")
    return f"...{left}[{text[start:end]}]{right}..."


def measure(texts: Sequence[str], config: RestoreConfig) -> dict[str, Any]:
    """Restore clean texts; count token-level false edits and tally the explained edits."""
    words = false_edits = 0
    tally: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for text in texts:
        result = restore_and_explain(text, config)
        words += count_words(text)
        false_edits += len(token_edits(text, result.text))
        for edit in result.edits:
            key = f"{edit.original.lower()!r} -> {edit.replacement.lower()!r} ({edit.reason})"
            tally[key] += 1
            examples.setdefault(key, example(text, edit.start, edit.end))
    return {"texts": len(texts), "words": words, "false_edits": false_edits,
            "per_1000": 1000.0 * false_edits / words if words else 0.0,
            "tally": tally, "examples": examples}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the clean-text benchmark; write ``results/bench_clean.json``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lee", type=int, default=150, help="lee articles (at most 150)")
    parser.add_argument("--brown", type=int, default=600, help="Brown paragraphs")
    parser.add_argument("--nlp", type=int, default=600, help="nlp-corpus sentences")
    add_config_flags(parser)
    parser.add_argument("--top", type=int, default=40, help="false edits to list")
    args = parser.parse_args(argv)
    started = start("bench_clean")
    options = options_from(args)
    config = config_from_kwargs(None, **options)
    corpora = {"lee 1-150 (ABC news)": lee_articles(args.lee),
               "brown (news first)": brown_texts(args.brown),
               "nlp-corpus": nlp_corpus_texts(args.nlp)}
    measured = {name: measure(texts, config) for name, texts in corpora.items()}
    print(table(("corpus", "texts", "words", "false edits", "per 1000 words"),
                [(n, m["texts"], m["words"], m["false_edits"], m["per_1000"])
                 for n, m in measured.items()]))
    overall: Counter[str] = sum((m["tally"] for m in measured.values()), Counter())
    examples = {k: v for m in measured.values() for k, v in m["examples"].items()}
    top = print_top("false edits on clean text, all corpora", overall, args.top)
    print("\nexamples:")
    for key, _n in top[:args.top]:
        print(f"  {key}: {examples[key]}")
    reasons: Counter[str] = Counter()
    for key, n in overall.items():
        reasons[key.rsplit("(", 1)[1].rstrip(")")] += n
    print_top("false edits by reason", reasons, 20)
    write_result("bench_clean", {
        "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()},
        "corpora": {n: {k: v for k, v in m.items() if k not in ("tally", "examples")}
                    for n, m in measured.items()},
        "top_false_edits": [[k, n, examples[k]] for k, n in top],
        "by_reason": reasons.most_common(),
    }, started, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
