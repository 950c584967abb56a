"""Scoring of restorations against spun/original pairs, and the loading of pairs files.

The scoring convention is the one the project is judged by, so it is spelled
out here in one place rather than borrowed from the restorer's own tokenizer
(a change to :mod:`garble_fix.tokens` must never move the yardstick):

* tokens are ``\\w+(?:['’]\\w+)*|[^\\w\\s]``, lower-cased, with typographic
  quotes and dashes folded (“ ” „ → ``"``, ‘ ’ → ``'``, – — → ``-``);
* gold edits are the non-equal opcodes of ``difflib.SequenceMatcher`` (with
  ``autojunk=False``) from spun tokens to original tokens, system edits the
  same from spun to restored tokens; a system edit is correct when its span
  and its replacement both equal those of a gold edit;
* precision, recall and F0.5 are computed over edit counts summed across
  pairs (micro-averaged);
* WER is token edit distance over the original's token count, and its
  reduction is ``1 - WER(restored) / WER(spun)``;
* false edits on clean text are the system edits made when the *original*
  side is the input, per 1000 words (word = a token with a letter or digit).

>>> result = score_pairs(["He instructed reporters at the White Home."],
...                      ["He told reporters at the White House."],
...                      ["He told reporters at the White Home."])
>>> result.correct, result.system_edits, result.gold_edits
(1, 1, 2)
>>> round(result.f05, 3), round(result.wer_reduction, 3)
(0.833, 0.5)

The ``garble-fix eval`` command that prints these figures is in
:mod:`garble_fix.eval_cli`.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple

from rapidfuzz.distance import Levenshtein

from garble_fix.errors import GarbleFixError

# Same pattern as the judging convention; kept local on purpose (see above).
SCORE_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")

# Typographic variants folded before tokenizing, so that a restorer that
# writes a straight quote where the original had a curly one is not charged.
FOLD_TABLE = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'",
                            "–": "-", "—": "-"})

# F-beta weight: precision counts double, because a wrong "restoration" of
# clean text is worse for readers than a spun word left in place.
BETA = 0.5

Restorer = Callable[[str], str]


class PairsFormatError(GarbleFixError, ValueError):
    """A pairs file has a line that is not a valid pair record."""


class Pair(NamedTuple):
    """One evaluation line: the spun text and the original it came from."""

    doc: str
    line: int
    spun: str
    original: str


class TokenEdit(NamedTuple):
    """A token-level edit: replace tokens ``[start, end)`` of the source by ``replacement``.

    ``found`` keeps the replaced source tokens, for error listings only; it
    does not take part in matching (the span already determines it).
    """

    start: int
    end: int
    replacement: tuple[str, ...]
    found: tuple[str, ...]

    @property
    def key(self) -> tuple[int, int, tuple[str, ...]]:
        """What two edits must share to count as the same edit."""
        return (self.start, self.end, self.replacement)

    def __str__(self) -> str:
        """Show the edit as ``'found' -> 'replacement'``."""
        return f"{' '.join(self.found)!r} -> {' '.join(self.replacement)!r}"


def score_tokens(text: str) -> list[str]:
    """Tokenize text the way the scorer does: fold, split, lower-case.

    >>> score_tokens("South Korea’s “deal” — Done.")
    ['south', "korea's", '"', 'deal', '"', '-', 'done', '.']
    """
    return [m.group().lower() for m in SCORE_TOKEN_RE.finditer(text.translate(FOLD_TABLE))]


def token_edits(source: str, target: str) -> list[TokenEdit]:
    """The edits that turn ``source`` into ``target`` (non-equal opcodes).

    >>> [str(e) for e in token_edits("he went to to Washington", "he visited Washington")]
    ["'went to to' -> 'visited'"]
    """
    a, b = score_tokens(source), score_tokens(target)
    return _edits_between(a, b)


def _edits_between(a: list[str], b: list[str]) -> list[TokenEdit]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        TokenEdit(i1, i2, tuple(b[j1:j2]), tuple(a[i1:i2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


@dataclass(frozen=True)
class EvalResult:
    """Summed counts over a set of pairs; the rates are derived properties.

    Counts rather than rates are stored so that results for several
    documents or runs add up exactly (``a + b``).
    """

    pairs: int = 0
    gold_edits: int = 0
    system_edits: int = 0
    correct: int = 0
    original_tokens: int = 0
    spun_distance: int = 0
    restored_distance: int = 0

    def __add__(self, other: EvalResult) -> EvalResult:
        """Pool two results (micro-average)."""
        return EvalResult(*(x + y for x, y in zip(_counts(self), _counts(other))))

    @property
    def precision(self) -> float:
        """Correct / system edits; 1.0 when the system made no edit (ERRANT's convention)."""
        return self.correct / self.system_edits if self.system_edits else 1.0

    @property
    def recall(self) -> float:
        """Correct / gold edits; 1.0 when there was nothing to restore."""
        return self.correct / self.gold_edits if self.gold_edits else 1.0

    @property
    def f05(self) -> float:
        """F-beta with beta = 0.5 (precision weighted more)."""
        p, r = self.precision, self.recall
        denominator = BETA * BETA * p + r
        return (1 + BETA * BETA) * p * r / denominator if denominator else 0.0

    @property
    def wer_spun(self) -> float:
        """Token edit distance of the spun text from the original, over original length."""
        return self.spun_distance / self.original_tokens if self.original_tokens else 0.0

    @property
    def wer_restored(self) -> float:
        """Token edit distance of the restored text from the original, over original length."""
        return self.restored_distance / self.original_tokens if self.original_tokens else 0.0

    @property
    def wer_reduction(self) -> float | None:
        """``1 - WER(restored) / WER(spun)``; ``None`` when the spun side was already exact."""
        return 1.0 - self.restored_distance / self.spun_distance if self.spun_distance else None

    def as_dict(self) -> dict[str, Any]:
        """Counts and rates, for ``--json`` output and benchmark files."""
        data = asdict(self)
        for name in ("precision", "recall", "f05", "wer_spun", "wer_restored", "wer_reduction"):
            data[name] = getattr(self, name)
        return data


def _counts(result: EvalResult) -> tuple[int, ...]:
    return tuple(asdict(result).values())


def score_pair(spun: str, original: str, restored: str) -> EvalResult:
    """Score one line.

    >>> r = score_pair("a big dog", "a large dog", "a large dog")
    >>> (r.correct, r.gold_edits, r.system_edits, r.wer_restored)
    (1, 1, 1, 0.0)
    """
    s, o, r = score_tokens(spun), score_tokens(original), score_tokens(restored)
    gold = {e.key for e in _edits_between(s, o)}
    system = {e.key for e in _edits_between(s, r)}
    return EvalResult(
        pairs=1,
        gold_edits=len(gold),
        system_edits=len(system),
        correct=len(gold & system),
        original_tokens=len(o),
        spun_distance=Levenshtein.distance(s, o),
        restored_distance=Levenshtein.distance(r, o),
    )


def score_pairs(spun: Sequence[str], original: Sequence[str], restored: Sequence[str]) -> EvalResult:
    """Score parallel lists of lines, pooling the counts.

    >>> r = score_pairs(["the White Home", "instructed reporters"],
    ...                 ["the White House", "told reporters"],
    ...                 ["the White House", "said reporters"])
    >>> (r.correct, r.system_edits, r.gold_edits, r.precision, r.recall)
    (1, 2, 2, 0.5, 0.5)
    """
    if not len(spun) == len(original) == len(restored):
        raise ValueError(
            f"need as many restored lines as pairs: {len(spun)} spun, "
            f"{len(original)} original, {len(restored)} restored"
        )
    total = EvalResult()
    for s, o, r in zip(spun, original, restored):
        total = total + score_pair(s, o, r)
    return total


class PairErrors(NamedTuple):
    """What went wrong on one line: gold edits not made, and edits not in the gold."""

    missed: list[TokenEdit]
    wrong: list[TokenEdit]


def pair_errors(spun: str, original: str, restored: str) -> PairErrors:
    """List the missed gold edits and the wrong system edits of one line.

    >>> e = pair_errors("a big dog barked", "a large dog barked", "a big hound barked")
    >>> [str(x) for x in e.missed], [str(x) for x in e.wrong]
    (["'big' -> 'large'"], ["'dog' -> 'hound'"])
    """
    s, o, r = score_tokens(spun), score_tokens(original), score_tokens(restored)
    gold, system = _edits_between(s, o), _edits_between(s, r)
    gold_keys, system_keys = {e.key for e in gold}, {e.key for e in system}
    return PairErrors(
        missed=[e for e in gold if e.key not in system_keys],
        wrong=[e for e in system if e.key not in gold_keys],
    )


class CleanResult(NamedTuple):
    """False edits made on clean text, and the number of words they were made in."""

    false_edits: int
    words: int

    @property
    def per_1000(self) -> float:
        """False edits per 1000 words (0.0 for empty input)."""
        return 1000.0 * self.false_edits / self.words if self.words else 0.0


def count_words(text: str) -> int:
    """Words under the scoring tokenizer: tokens holding a letter or digit (punctuation excluded).

    >>> count_words("Hello, world — it’s 2025.")
    4
    """
    return sum(1 for t in score_tokens(text) if any(ch.isalnum() for ch in t))


def clean_side(original: Sequence[str], restored_from_original: Sequence[str]) -> CleanResult:
    """Count the edits a restorer made to clean lines (every one is false).

    >>> clean_side(["He told reporters."], ["He instructed reporters."])
    CleanResult(false_edits=1, words=3)
    """
    if len(original) != len(restored_from_original):
        raise ValueError("need one restored line per original line")
    false_edits = sum(len(token_edits(o, r)) for o, r in zip(original, restored_from_original))
    words = sum(count_words(o) for o in original)
    return CleanResult(false_edits, words)


def false_edits_per_1000(original: Sequence[str], restored_from_original: Sequence[str]) -> float:
    """False edits per 1000 words when clean (original) lines are fed to the restorer.

    >>> false_edits_per_1000(["one two three four"], ["one 2 three four"])
    250.0
    """
    return clean_side(original, restored_from_original).per_1000


# --------------------------------------------------------------------------
# Pairs files

REQUIRED_TEXT_FIELDS = ("spun", "original")


def parse_pair(record: Any, number: int) -> Pair:
    """Check one decoded JSONL record and make a :class:`Pair` of it.

    ``doc`` defaults to the record number (a document of its own: joining
    unrelated lines would invent context) and ``line`` to 1; extra fields
    (``confidence`` ...) are ignored.

    >>> parse_pair({"doc": "d", "line": 2, "spun": "a", "original": "b", "x": 1}, 1)
    Pair(doc='d', line=2, spun='a', original='b')
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    for field in REQUIRED_TEXT_FIELDS:
        if not isinstance(record.get(field), str):
            raise ValueError(f"field {field!r} must be a string")
    line = record.get("line", 1)
    if isinstance(line, bool) or not isinstance(line, int):
        raise ValueError("field 'line' must be an integer")
    doc = record.get("doc", f"#{number}")
    return Pair(str(doc), line, record["spun"], record["original"])


def load_pairs(path: str | Path) -> list[Pair]:
    """Read a JSONL pairs file (blank lines skipped).

    Raises:
        PairsFormatError: naming the file and line of the first bad record.
        OSError: when the file cannot be read.
    """
    pairs = []
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                pairs.append(parse_pair(json.loads(text), number))
            except ValueError as error:  # JSONDecodeError is a ValueError
                raise PairsFormatError(f"{path}:{number}: bad pair record: {error}") from None
    return pairs


# --------------------------------------------------------------------------
# Running a restorer over pairs


class Restoration(NamedTuple):
    """Restored lines in pair order, and the documents restored line by line instead."""

    lines: list[str]
    fallback_docs: list[str]


def group_by_doc(pairs: Sequence[Pair]) -> dict[str, list[int]]:
    """Indices of the pairs of each document, in line order (documents in first-seen order).

    >>> group_by_doc([Pair("a", 2, "", ""), Pair("b", 1, "", ""), Pair("a", 1, "", "")])
    {'a': [2, 0], 'b': [1]}
    """
    groups: dict[str, list[int]] = {}
    for index, pair in enumerate(pairs):
        groups.setdefault(pair.doc, []).append(index)
    for indices in groups.values():
        indices.sort(key=lambda i: pairs[i].line)
    return groups


def run_restorer(
    pairs: Sequence[Pair], restorer: Restorer, *, by_doc: bool = False, side: str = "spun"
) -> Restoration:
    """Restore the ``side`` ("spun" or "original") of every pair.

    With ``by_doc``, each document's lines are joined with ``"\\n"`` in line
    order and restored in one call, so that document-level evidence works as
    in real use; the result is split back on ``"\\n"``. When that does not
    give back as many lines, the document is restored line by line instead
    and named in ``fallback_docs``.

    >>> pairs = [Pair("d", 2, "B", ""), Pair("d", 1, "A", "")]
    >>> run_restorer(pairs, str.lower, by_doc=True)
    Restoration(lines=['b', 'a'], fallback_docs=[])
    """
    texts = [getattr(pair, side) for pair in pairs]
    if not by_doc:
        return Restoration([restorer(text) for text in texts], [])
    lines: list[str] = list(texts)
    fallback_docs = []
    for doc, indices in group_by_doc(pairs).items():
        restored = restorer("\n".join(texts[i] for i in indices)).split("\n")
        if len(restored) != len(indices):
            fallback_docs.append(doc)
            restored = [restorer(texts[i]) for i in indices]
        for i, line in zip(indices, restored):
            lines[i] = line
    return Restoration(lines, fallback_docs)


class Report(NamedTuple):
    """Everything ``eval`` measures on a pairs file."""

    result: EvalResult
    clean: CleanResult | None
    restored: list[str]
    restored_clean: list[str] | None
    fallback_docs: list[str]


def evaluate_pairs(
    pairs: Sequence[Pair], restorer: Restorer, *, by_doc: bool = False, clean: bool = True
) -> Report:
    """Restore and score the spun side and, with ``clean``, count false edits on the original side.

    >>> report = evaluate_pairs([Pair("d", 1, "a big dog", "a large dog")],
    ...                         lambda t: t.replace("big", "large"))
    >>> report.result.f05, report.clean.false_edits
    (1.0, 0)
    """
    spun = run_restorer(pairs, restorer, by_doc=by_doc, side="spun")
    result = score_pairs([p.spun for p in pairs], [p.original for p in pairs], spun.lines)
    clean_result, clean_lines, fallback = None, None, list(spun.fallback_docs)
    if clean:
        restored_clean = run_restorer(pairs, restorer, by_doc=by_doc, side="original")
        clean_lines = restored_clean.lines
        clean_result = clean_side([p.original for p in pairs], clean_lines)
        fallback += [d for d in restored_clean.fallback_docs if d not in fallback]
    return Report(result, clean_result, spun.lines, clean_lines, fallback)
