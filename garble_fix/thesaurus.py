"""Inverse thesaurus: which original words could a spinner have replaced?

An article spinner swaps a word ``o`` for one of its thesaurus synonyms
``s``. Restoring needs the inverse: given the spun ``s``, the originals ``o``
that list ``s`` as a synonym. That inversion is precomputed by
``corpora/build_thesaurus.py`` from WordNet 3.0, WordNet 3.1 and Moby, and
shipped as ``garble_fix/data/thesaurus.tsv.gz`` (format described there).

Loading is built for cold start: the file is read once into a dict
``head -> raw string`` (about 0.3 s), and a head's list is only parsed when it
is looked up, with a small cache. The forward direction (for the benchmark's
spinner simulator) is derived from the same file on first use only.

Heads are lower-case lemmas or multiword base forms ("instruct",
"take care of"); callers lemmatise first and re-inflect the result.

>>> ("hide", 10) in inverse_candidates("disguise")
True
"""

from __future__ import annotations

import gzip
import threading
import zlib
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from garble_fix.errors import DataError

#: Edge bits of each source. WordNet: 1 = WordNet 3.0 same synset or
#: similar_to/also_see/verb_group, 2 = WordNet 3.0 one-hop hypernym/hyponym,
#: 4 = WordNet 3.1 same synset. Moby: 8.
SOURCE_BITS: dict[str, int] = {"wordnet": 1 | 2 | 4, "moby": 8}

BIT_WN30 = 1
BIT_WN30_HYPER = 2
BIT_WN31 = 4
BIT_MOBY = 8

DATA_FILE = "thesaurus.tsv.gz"
_MAGIC = "#garble_fix-thesaurus"
#: Must match ``FORMAT_VERSION`` in ``corpora/build_thesaurus.py``.
_FORMAT_VERSION = "1"

#: Weight of each bit in an edge's strength; strength is the sum over the
#: edge's bits. Independent sources agreeing make a likelier spin, so WordNet
#: 3.0 synonymy and Moby (independent thesauri) weigh 2 each; WordNet 3.1
#: mostly repeats 3.0 (same lexicographers), so it only adds 1; a hypernym or
#: hyponym is a loose substitute, weight 1.
_BIT_WEIGHTS: dict[int, int] = {BIT_WN30: 2, BIT_WN30_HYPER: 1, BIT_WN31: 1, BIT_MOBY: 2}
_STRENGTH: tuple[int, ...] = tuple(
    sum(w for bit, w in _BIT_WEIGHTS.items() if bits & bit) for bits in range(16)
)

#: Parsed lists kept per (phrase, source mask). A restore call looks up each
#: content word of a text once or twice; 8192 covers a long article's
#: vocabulary while staying around a few MB.
_CACHE_SIZE = 8192

_lock = threading.Lock()
_table: dict[str, str] | None = None
_max_tokens: int = 0
_forward: dict[str, str] | None = None


def _data_path() -> Traversable | Path:
    """Location of the shipped table (a function so tests can swap it)."""
    return files("garble_fix") / "data" / DATA_FILE


def _read_text(path: Traversable | Path) -> str:
    """Decompressed file contents, or :class:`DataError` naming the cause."""
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise DataError(
            f"thesaurus table missing: {path}. Reinstall garble-fix, or rebuild it "
            "with `python corpora/build_thesaurus.py`."
        ) from exc
    try:
        return gzip.decompress(raw).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise DataError(f"thesaurus table {path} is corrupt or truncated: {exc}") from exc


def _parse_header(line: str, path: object) -> dict[str, str]:
    """Check magic and format version; return the ``key=value`` fields."""
    fields = line.split("\t")
    if not fields or fields[0] != _MAGIC:
        raise DataError(f"{path} is not a garble_fix thesaurus table (bad header)")
    meta = dict(f.split("=", 1) for f in fields[1:] if "=" in f)
    found = meta.get("format")
    if found != _FORMAT_VERSION:
        raise DataError(
            f"thesaurus table {path} has format {found!r}, this garble_fix reads "
            f"format {_FORMAT_VERSION!r}; rebuild it with `python corpora/build_thesaurus.py`"
        )
    return meta


def _parse_table(text: str, path: object) -> tuple[dict[str, str], int]:
    """Split the file into ``head -> raw inverse string``; check the counts."""
    lines = text.split("\n")
    meta = _parse_header(lines[0], path)
    if lines[-1] == "":
        lines.pop()
    try:
        table = dict(line.split("\t", 1) for line in lines[1:])
        expected = int(meta["heads"])
        max_tokens = int(meta["max_tokens"])
    except (ValueError, KeyError) as exc:
        raise DataError(f"thesaurus table {path} is malformed: {exc}") from exc
    if len(table) != expected:
        raise DataError(
            f"thesaurus table {path} has {len(table)} heads, header says {expected} "
            "(truncated or edited file)"
        )
    return table, max_tokens


def _load() -> dict[str, str]:
    """The head -> raw-string table, read on first use (thread-safe)."""
    global _table, _max_tokens
    if _table is None:
        with _lock:
            if _table is None:
                path = _data_path()
                table, max_tokens = _parse_table(_read_text(path), path)
                _max_tokens = max_tokens
                _table = table
    return _table


def _clear_cache() -> None:
    """Forget the loaded table and parsed lists (tests swap the data file)."""
    global _table, _forward, _max_tokens
    with _lock:
        _table = None
        _forward = None
        _max_tokens = 0
    _parse.cache_clear()


def _mask(sources: tuple[str, ...]) -> int:
    """Edge-bit mask of the named sources; unknown names are a caller bug."""
    mask = 0
    for name in sources:
        try:
            mask |= SOURCE_BITS[name]
        except KeyError:
            raise ValueError(
                f"unknown thesaurus source {name!r}; expected some of {sorted(SOURCE_BITS)}"
            ) from None
    return mask


def _normalize(phrase: str) -> str:
    """Lower-case and single-space a phrase, the form heads are stored in."""
    return " ".join(phrase.lower().split())


@lru_cache(maxsize=_CACHE_SIZE)
def _parse(raw: str, mask: int, by_frequency: bool = False) -> tuple[tuple[str, int], ...]:
    """Parse ``9tell|1order`` items, keep those in ``mask``, strongest first.

    The raw list is already most-frequent-first, and ``sorted`` is stable, so
    equal-strength items stay in frequency order; ``by_frequency`` keeps the
    raw order.
    """
    items = []
    for item in raw.split("|"):
        bits = int(item[0], 16) & mask
        if bits:
            items.append((item[1:], bits))
    if not by_frequency:
        items.sort(key=lambda pair: -_STRENGTH[pair[1]])
    return tuple(items)


def inverse_candidates(
    spun: str, sources: tuple[str, ...] = ("wordnet", "moby"), by_frequency: bool = False
) -> list[tuple[str, int]]:
    """Originals a spinner could have replaced by ``spun``, with edge bits.

    Only edges from ``sources`` count, and the returned bits are restricted
    to them. Order: strongest edge first (strength adds per-source weights,
    so several sources agreeing rank higher, hypernym-only edges lowest),
    then most frequent original first (wordfreq, at build time), then
    alphabetical. Unknown phrases give ``[]``.

    Args:
        spun: The spun lemma or multiword base form, e.g. "instruct".
        sources: Any of ``"wordnet"``, ``"moby"``.
        by_frequency: order most frequent original first, whatever the edge.

    Returns:
        ``(original, bits)`` pairs; a new list the caller may modify.

    Raises:
        DataError: The shipped table is missing, corrupt or of another format.
        ValueError: An unknown source name.

    >>> inverse_candidates("instruct")[:3]
    [('teach', 13), ('tell', 10), ('order', 10)]
    >>> inverse_candidates("instruct", sources=("moby",))[0]
    ('school', 8)
    """
    mask = _mask(sources)
    raw = _load().get(_normalize(spun))
    if not raw:
        return []
    return list(_parse(raw, mask, by_frequency))


def _build_forward(table: dict[str, str]) -> dict[str, str]:
    """Derive ``original -> raw forward list`` by scanning every inverse line.

    Heads are stored most-frequent-first, so appending in file order yields
    forward lists in frequency order too. Each list collects references to
    the existing head strings and the (interned) one-character bit digits,
    not new ``bits+head`` strings, and is joined back into one raw string per
    original: this keeps the peak near +150 MB instead of +300 MB.
    """
    pending: dict[str, list[str]] = {}
    for head, raw in table.items():
        for item in raw.split("|"):
            entry = pending.get(item[1:])
            if entry is None:
                entry = pending[item[1:]] = []
            entry.append(item[0])
            entry.append(head)
    forward: dict[str, str] = {}
    for original in list(pending):
        entry = pending.pop(original)
        forward[original] = "|".join(map(str.__add__, entry[0::2], entry[1::2]))
    return forward


def _load_forward() -> dict[str, str]:
    """The derived forward table, built on first use (benchmarks only)."""
    global _forward
    table = _load()
    if _forward is None:
        with _lock:
            if _forward is None:
                _forward = _build_forward(table)
    return _forward


def forward_synonyms(
    original: str, sources: tuple[str, ...] = ("wordnet", "moby")
) -> list[tuple[str, int]]:
    """What a spinner could write for ``original``, with edge bits.

    The exact mirror of :func:`inverse_candidates`: ``(s, bits)`` is here iff
    ``(original, bits)`` is in ``inverse_candidates(s)``. Meant for the
    spinner simulator in the benchmarks; the first call derives the forward
    index from the whole table (about a second), later calls are cheap.
    Order: strongest edge first, then most frequent synonym, as for
    :func:`inverse_candidates`.

    Args:
        original: A lower-case lemma or multiword base form, e.g. "tell".
        sources: Any of ``"wordnet"``, ``"moby"``.
        by_frequency: order most frequent original first, whatever the edge.

    Returns:
        ``(synonym, bits)`` pairs; a new list the caller may modify.

    >>> ("instruct", 10) in forward_synonyms("tell")
    True
    """
    mask = _mask(sources)
    raw = _load_forward().get(_normalize(original))
    if not raw:
        return []
    return list(_parse(raw, mask))


def has_head(phrase: str) -> bool:
    """Whether ``phrase`` could be a spin of something (is a table head).

    Lets the caller test phrase windows ("take care of") cheaply before
    asking for candidates.

    >>> has_head("take care of"), has_head("xqzv")
    (True, False)
    """
    return _normalize(phrase) in _load()


def max_head_tokens() -> int:
    """Tokens in the longest multiword head: the caller's phrase window.

    >>> max_head_tokens()
    4
    """
    _load()
    return _max_tokens
