"""Where the missed edits are: every gold edit of a pairs file, sorted into why it was not made.

The recall of ``garble-fix eval`` says how much is missed, not why. This
benchmark restores each document in one call, as ``eval --by-doc`` does, and
puts every gold edit the restorer did not make into one bucket:

- ``made``: the restorer made exactly this edit;
- ``insertion/deletion``: the original has words the spun text lacks, or the
  reverse; the restorer only replaces spans;
- ``protected``: the span touches a quotation or a capitalised word inside a
  sentence, where only strong entries, names and number rules may fire;
- ``no candidate``: no option covers exactly this span;
- ``other candidates``: options cover the span, none with the original wording;
- ``SOURCE odds > 0`` / ``(-1, 0]`` / ``<= -1``: the right option exists
  (``SOURCE`` is signature, strong signature, number or thesaurus) and had
  these log10 odds in context with the document shift. Above 0 means the
  decoder or the confidence floor turned it down; ``(-1, 0]`` are near misses.

The near misses are listed by spun form, most frequent first. It reads the
restorer's internals (``garble_fix.restore._analyse``), so it is a developer's tool, and
like every benchmark here it measures; it tunes nothing.

    python benchmarks/bench_misses.py                       # the dev set
    python benchmarks/bench_misses.py --pairs benchmarks/data/blind_spun.jsonl --tag blind
"""

from __future__ import annotations

import argparse
import difflib
from collections import Counter
from collections.abc import Sequence

from bench_common import ROOT, print_top, start, table, write_result

from garble_fix import candidates, signatures
from garble_fix.config import RestoreConfig
from garble_fix.evaluate import group_by_doc, load_pairs
from garble_fix.lm import load_model
from garble_fix.restore import _analyse, _Analysis, restore
from garble_fix.tokens import normalize, tokenize

# Odds bins of the right option, log10: past -1 (10:1 against) an option is
# not a near miss but a clear "no" from the evidence.
NEAR_MISS_FLOOR = -1.0
# Near misses listed by spun form.
TOP = 30


def gold_opcodes(spun: str, original: str) -> tuple[list[str], list[str], list[tuple]]:
    """Restorer-token words of both sides and the scorer's non-equal opcodes between them.

    The restorer's tokenizer uses the scorer's token pattern, so token
    indices coincide with the scorer's.
    """
    a = [normalize(t.text) for t in tokenize(spun)]
    b = [normalize(t.text) for t in tokenize(original)]
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
           if op[0] != "equal"]
    return a, b, ops


def made_edits(spun: str, restored: str) -> set[tuple[int, int, str]]:
    """The edits the restorer made, as (first, last, replacement words)."""
    _, restored_words, ops = gold_opcodes(spun, restored)
    return {(i1, i2, " ".join(restored_words[j1:j2])) for _, i1, i2, j1, j2 in ops}


def right_option_odds(analysis: _Analysis, first: int, last: int, want: str
                      ) -> tuple[float, str] | None:
    """Best log10 odds of an option over ``[first, last)`` with the original wording, and
    its kind; None when no option has it."""
    best: tuple[float, str] | None = None
    for item in analysis.scored:
        option = item.option
        if (option.first, option.last) != (first, last) or normalize(option.replacement) != want:
            continue
        kind = "strong signature" if option.strong and option.source == "signature" else option.source
        odds = item.odds(analysis.shift)
        if best is None or odds > best[0]:
            best = (odds, kind)
    return best


def bucket(analysis: _Analysis, protected: Sequence[bool], op: tuple, original_words:
           Sequence[str]) -> str:
    """The bucket of one gold edit the restorer did not make (see the module doc)."""
    tag, i1, i2, j1, j2 = op
    if tag != "replace":
        return "insertion/deletion"
    if any(protected[i1:i2]):
        return "protected"
    want = " ".join(original_words[j1:j2])
    found = right_option_odds(analysis, i1, i2, want)
    if found is None:
        spans = {(i.option.first, i.option.last) for i in analysis.scored}
        return "other candidates" if (i1, i2) in spans else "no candidate"
    odds, kind = found
    if odds > 0:
        return f"{kind} odds > 0"
    return f"{kind} odds ({NEAR_MISS_FLOOR:g}, 0]" if odds > NEAR_MISS_FLOOR else \
        f"{kind} odds <= {NEAR_MISS_FLOOR:g}"


def main(argv: Sequence[str] | None = None) -> int:
    """Bucket the gold edits of a pairs file; print the table and the near misses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default=str(ROOT / "seeds" / "seed_pairs.jsonl"))
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    started = start("bench_misses")
    pairs = load_pairs(args.pairs)
    config, model = RestoreConfig(), load_model()
    buckets: Counter[str] = Counter()
    near: Counter[str] = Counter()
    for indices in group_by_doc(pairs).values():
        spun = "\n".join(pairs[i].spun for i in indices)
        original = "\n".join(pairs[i].original for i in indices)
        analysis = _analyse(spun, config, model)
        matches = signatures.load_signatures().find(analysis.tokens, spun)
        protected = candidates.protected_tokens(analysis.tokens, spun, matches)
        made = made_edits(spun, restore(spun, config))
        spun_words, original_words, ops = gold_opcodes(spun, original)
        for op in ops:
            _, i1, i2, j1, j2 = op
            if (i1, i2, " ".join(original_words[j1:j2])) in made:
                buckets["made"] += 1
                continue
            name = bucket(analysis, protected, op, original_words)
            buckets[name] += 1
            if f"({NEAR_MISS_FLOOR:g}, 0]" in name:
                near[f"{' '.join(spun_words[i1:i2])!r} -> {' '.join(original_words[j1:j2])!r}"] += 1
    total = sum(buckets.values())
    rows = [[name, n, round(n / total, 3)] for name, n in buckets.most_common()]
    print(f"\n{args.pairs}: {total} gold edits in {len(group_by_doc(pairs))} document(s)")
    print(table(("bucket", "edits", "share"), rows))
    top = print_top("near misses (right option at odds in (-1, 0])", near, TOP)
    write_result("bench_misses", {"pairs": args.pairs, "gold_edits": total,
                                  "buckets": dict(buckets.most_common()), "near_misses": top},
                 started, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
