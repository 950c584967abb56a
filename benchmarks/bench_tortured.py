"""Tortured phrases of science: how many the lexicon knows and how many the restorer repairs.

Scientific papers run through paraphrasing tools carry "tortured phrases"
("counterfeit consciousness" for "artificial intelligence"), which is what
researchers screening papers look for. ``benchmarks/data/tortured_probe.tsv``
lists such phrases (see its header for where they come from). Three figures:

- **lexicon**: the share whose spun form is a lexicon entry listing the
  original among its alternatives;
- **alone**: the share restored when the phrase stands in one sentence of
  its own: no document evidence, so only strong entries can fire;
- **in a paper**: the share restored when all of them stand in one
  document, a sentence each, as a heavily tortured paper would have them;
  there the document evidence lets weak entries fire too.

A phrase counts as restored when the output has the original wording where
the spun form stood (case ignored).

    python benchmarks/bench_tortured.py
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from bench_common import BENCH_DIR, start, table, write_result

from garble_fix import restore
from garble_fix.signatures import load_signatures
from garble_fix.tokens import tokenize

PROBE = BENCH_DIR / "data" / "tortured_probe.tsv"
# The sentence each phrase stands in: neutral scientific prose around it, so
# that the phrase is the only spun wording.
TEMPLATE = "In this study, the {} is examined on two public data sets."


def load_probe(path: Path) -> list[tuple[str, str]]:
    """(spun, original) pairs of the probe file (comments skipped)."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            spun, original = line.split("\t")[:2]
            pairs.append((spun, original))
    return pairs


def in_lexicon(spun: str, original: str) -> bool:
    """True when a lexicon entry matches the whole spun form and lists the original."""
    text = TEMPLATE.format(spun)
    tokens = tokenize(text)
    first = len(tokenize(TEMPLATE.split("{}")[0]))
    last = first + len(tokenize(spun))
    return any(m.first <= first and m.last >= last
               and any(original.lower() in r.lower() for r in m.replacements)
               for m in load_signatures().find(tokens, text))


def restored(output: str, original: str) -> bool:
    """True when the output sentence has the original wording."""
    return TEMPLATE.format(original).lower() == output.lower()


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the three shares and list the phrases not restored in a paper."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe", type=Path, default=PROBE)
    args = parser.parse_args(argv)
    started = start("bench_tortured")
    pairs = load_probe(args.probe)
    lexicon = [in_lexicon(s, o) for s, o in pairs]
    alone = [restored(restore(TEMPLATE.format(s)), o) for s, o in pairs]
    paper = restore("\n".join(TEMPLATE.format(s) for s, _ in pairs)).split("\n")
    in_paper = [restored(line, o) for line, (_, o) in zip(paper, pairs)]
    n = len(pairs)
    rows = [[name, sum(flags), n, round(sum(flags) / n, 3)]
            for name, flags in (("lexicon", lexicon), ("alone", alone), ("in a paper", in_paper))]
    print(f"\n{args.probe.name}: {n} tortured phrases")
    print(table(("measure", "phrases", "of", "share"), rows))
    missed = [f"{s!r} -> {o!r}" for (s, o), ok in zip(pairs, in_paper) if not ok]
    print(f"\nnot restored in a paper ({len(missed)}):")
    for item in missed:
        print(f"  {item}")
    write_result("bench_tortured", {"probe": str(args.probe.name), "phrases": n,
                                    "lexicon": sum(lexicon), "alone": sum(alone),
                                    "in_paper": sum(in_paper), "not_restored": missed}, started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
