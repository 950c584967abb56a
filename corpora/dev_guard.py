"""Keep the dev set out of the shipped lexicon.

The dev set (``seeds/seed_pairs.jsonl``) is for measuring. While the
signature lexicon was written, some entries may have echoed its pairs; this
guard finds every entry that would restore any gold edit of the dev set and
drops it from the compiled table, so the dev figures measure generalisation.

The only exceptions are the spinner outputs that the project's brief itself
names as examples of each family (the developers' guide and issue #2): they
are the specification, not a lookup of dev sentences.

    python corpora/dev_guard.py          # list the entries the guard drops
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from garble_fix.evaluate import score_tokens  # noqa: E402

DEV_PAIRS = ROOT / "seeds" / "seed_pairs.jsonl"

# (spun, original) pairs quoted as examples in the project brief (developers'
# guide and issue #2). Compared lower-cased.
BRIEF_EXAMPLES = frozenset(
    (spun.lower(), original.lower())
    for spun, original in [
        ("disguise caption", "hide caption"), ("commerce deal", "trade deal"),
        ("instructed reporters", "told reporters"), ("White Home", "White House"),
        ("international locations", "countries"), ("take care of", "deal with"),
        ("fifteen%", "15%"), ("instructed", "told"), ("throughout", "during"),
        ("commerce", "trade"), ("earlier than", "before"), ("not too long ago", "recently"),
        ("moderately than", "rather than"), ("the best way to", "how to"),
        ("within the", "in the"), ("right into a", "into a"), ("on the", "at the"),
        ("the 2 neighbors", "the two neighbors"), ("Korean Struggle", "Korean War"),
        ("Nationwide Safety", "National Security"), ("right into", "into"),
        ("will likely be", "will be"), ("had been", "were"), ("go to", "visit"),
        ("desires", "wants"), ("despatched", "sent"), ("again", "back"),
        ("towards", "against"), ("stress", "pressure"),
    ]
)


def dev_lines(path: Path = DEV_PAIRS) -> list[tuple[list[str], list[str]]]:
    """Scoring tokens of every dev line: (spun, original)."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            record = json.loads(raw)
            lines.append((score_tokens(record["spun"]), score_tokens(record["original"])))
    return lines


def fixes_dev_edit(spun: str, originals: Sequence[str],
                   lines: Iterable[tuple[list[str], list[str]]]) -> bool:
    """True when replacing ``spun`` by one of ``originals`` brings some dev line closer to its original."""
    pattern = score_tokens(spun)
    width = len(pattern)
    for spun_tokens, original_tokens in lines:
        before = None
        for start in range(len(spun_tokens) - width + 1):
            if spun_tokens[start:start + width] != pattern:
                continue
            if before is None:
                before = Levenshtein.distance(spun_tokens, original_tokens)
            for original in originals:
                changed = spun_tokens[:start] + score_tokens(original) + spun_tokens[start + width:]
                if Levenshtein.distance(changed, original_tokens) < before:
                    return True
    return False


def dropped_by_guard(entries: Iterable[tuple[str, Sequence[str]]]) -> set[tuple[str, str]]:
    """(spun, "|".join(originals)) of entries to drop: they fix a dev edit and the brief does not name them."""
    if not DEV_PAIRS.exists():
        return set()
    lines = dev_lines()
    dropped = set()
    for spun, originals in entries:
        allowed = [o for o in originals if (spun.lower(), o.lower()) in BRIEF_EXAMPLES]
        if allowed:
            continue
        if fixes_dev_edit(spun, originals, lines):
            dropped.add((spun, "|".join(originals)))
    return dropped


if __name__ == "__main__":
    from build_signatures import SOURCE_DIR, read_sources

    entries, _errors = read_sources(SOURCE_DIR)
    dropped = dropped_by_guard((e.spun, e.originals) for e in entries)
    for spun, originals in sorted(dropped):
        print(f"{spun}\t{originals}")
    print(f"{len(dropped)} of {len(entries)} entries would restore a dev-set edit; dropped")
