"""A spinner simulator: synthetic spun news made from clean news, for scoring.

It behaves like the cheap article spinners spam sites use: for a fraction of
the content words it picks a synonym from a thesaurus, blindly (no sense
disambiguation, so "left" may become "port"), puts it in the original's
inflection with lemminflect, and keeps the original's case.

The point of the simulator is that the substitution source DIFFERS from the
one the restorer inverts in the same run: spin with ``("moby",)`` and restore
with ``thesaurus_sources=("wordnet",)``, or the other way round. Inverting
the very dictionary that made the text would measure nothing but the
inversion.

Also importable by calibration scripts (``spin_text``, ``spin_pairs``):
generate training pairs from Brown / nlp-corpus text, never from the lee
articles the benchmark measures on.

>>> fake = {"big": ["large"], "say": ["state"]}.get
>>> spin_text("The big dog said nothing.", rate=1.0, seed=1, synonyms=lambda w: fake(w, []))
'The large dog stated nothing.'

One dictionary per document: a word is replaced at every occurrence or at none.

>>> {spin_text("He said it. She said no. They said so.", rate=0.5, seed=seed,
...            synonyms=lambda w: fake(w, [])).count("stated") for seed in range(20)}
{0, 3}
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from typing import NamedTuple

import lemminflect
from wordfreq import zipf_frequency

# A substitution source: lemma -> the words or phrases a spinner may write for it.
Synonyms = Callable[[str], Sequence[str]]

WORD_RE = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")

# Function words, auxiliaries and pronouns: spinners' dictionaries mostly lack
# them, and the restorer treats them separately (function-word signatures), so
# spinning them here would measure something the thesaurus cannot restore.
STOPWORDS = frozenset("""
a about above across after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each either
few for from further had has have having he her here hers herself him himself his how i if in
into is it its itself just me more most my myself neither no nor not now of off on once only
or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up upon
very was we were what when where which while who whom whose why will with would you your
yours yourself yourselves mr mrs ms dr st per via yet ago one two three four five six seven
eight nine ten many much may might must shall ever never also however even still
""".split())

# Words of two letters or fewer are function words or abbreviations.
MIN_WORD_LENGTH = 3

# Synonyms longer than this are definitions rather than substitutes; Moby has
# many ("be in the same boat").
MAX_SYNONYM_WORDS = 3

# Spinner dictionaries are curated for readability: their synonyms are common
# words ("nation" for "country", "stress" for "pressure"), not Moby's rarities
# ("asseverate"). So candidates rarer than this zipf frequency (about once per
# 10 million words) are dropped, and the pick is among the most frequent few.
MIN_SYNONYM_ZIPF = 3.0
TOP_SYNONYMS = 8
# Each extra word of a phrase synonym costs this much zipf in the ranking:
# wordfreq rates a phrase of common words ("as is") as common, but spinners
# write single words far more often than phrases ("because of" for "due").
PHRASE_PENALTY = 1.5

# Penn tags tried for each lemminflect part of speech, to find which form the
# original word is (VBP is spelled like VB, so VB covers it).
TAGS = {
    "VERB": ("VBD", "VBN", "VBG", "VBZ", "VB"),
    "NOUN": ("NNS", "NN"),
    "ADJ": ("JJR", "JJS", "JJ"),
    "ADV": ("RBR", "RBS", "RB"),
}


# Edge bits of a WordNet one-hop hypernym/hyponym (see garble_fix.thesaurus):
# spinners use synonym lists, not taxonomies, so an edge with no other bit
# ("animal" for "dog") is not offered to the simulator.
HYPERNYM_ONLY_BITS = 2


class SpunPair(NamedTuple):
    """One line of synthetic data, in the fields :func:`garble_fix.evaluate.load_pairs` reads."""

    doc: str
    line: int
    spun: str
    original: str


def thesaurus_synonyms(sources: tuple[str, ...]) -> Synonyms:
    """The project's forward thesaurus restricted to ``sources``, as a substitution source."""
    from garble_fix.thesaurus import forward_synonyms

    @cache
    def synonyms(lemma: str) -> tuple[str, ...]:
        edges = forward_synonyms(lemma, sources=sources)
        return tuple(word for word, bits in edges if bits & ~HYPERNYM_ONLY_BITS)

    return synonyms


# Words after which a base form is a verb ("to rush", "will watch"): the one
# bit of context the simulator uses, since lemminflect alone cannot tell the
# noun "rush" from the verb.
VERB_CUES = frozenset("to will would can could should may might must did do does not "
                      "n't cannot i we you they".split())

# The tag that is spelled like the lemma, for each part of speech.
BASE_TAG = {"VERB": "VB", "NOUN": "NN", "ADJ": "JJ", "ADV": "RB"}


def analyse(word: str, previous: str = "") -> tuple[str, str] | None:
    """(lemma, Penn tag) of a word, guessed from the form and the previous word.

    When a form has several readings, one with a lemma different from the
    word is preferred (an inflected form, "left" -> leave, says more about
    its part of speech than a base form does); a base form after "to" or a
    modal is read as a verb. A form equal to its lemma gets the base tag
    (lemminflect also lists "rush" as a plural of "rush").

    >>> analyse("homes"), analyse("left"), analyse("strongest"), analyse("rush")
    (('home', 'NNS'), ('leave', 'VBD'), ('strong', 'JJS'), ('rush', 'NN'))
    >>> analyse("rush", previous="to")
    ('rush', 'VB')
    """
    lower = word.lower()
    readings = [(upos, lemma) for upos, lemmas in lemminflect.getAllLemmas(lower).items()
                if upos in TAGS for lemma in lemmas]
    verb_context = previous.lower() in VERB_CUES
    # Stable sort: inflected readings first, then verbs when the context asks.
    readings.sort(key=lambda r: (r[1] == lower, verb_context and r[0] != "VERB"))
    for upos, lemma in readings:
        if lemma == lower:
            return lemma, BASE_TAG[upos]
        for tag in TAGS[upos]:
            if lower in lemminflect.getInflection(lemma, tag=tag):
                return lemma, tag
    return None


def inflect(phrase: str, tag: str) -> str | None:
    """Put a synonym (lemma or phrase) into the Penn ``tag`` form.

    Verbs inflect their first word ("go to" -> "went to"), nouns their last
    ("stock market" -> "stock markets"), adjectives and adverbs their only word.

    >>> inflect("go to", "VBD"), inflect("stock market", "NNS"), inflect("big", "JJ")
    ('went to', 'stock markets', 'big')
    """
    words = phrase.split()
    head = 0 if tag.startswith("VB") else len(words) - 1
    upos = next(u for u, tags in TAGS.items() if tag in tags)
    if len(words) == 1 and not lemminflect.getAllInflections(words[0], upos=upos):
        return None  # not a lemma of this part of speech: "thought" would give "thoughted"
    if tag in ("VB", "NN", "JJ", "RB"):
        return phrase
    if len(words) > 1 and not tag.startswith(("VB", "NN")):
        return None  # "more quick witted" is not a spinner's output
    forms = lemminflect.getInflection(words[head], tag=tag)
    if not forms:
        return None
    words[head] = forms[0]
    return " ".join(words)


def match_case(replacement: str, found: str) -> str:
    """Give the replacement the found word's case (UPPER, Capitalised or lower).

    >>> match_case("state", "Said"), match_case("state", "SAID"), match_case("U.S.", "said")
    ('State', 'STATE', 'U.S.')
    """
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    if found[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def usable(synonym: str, lemma: str) -> bool:
    """A synonym a spinner would write: a different, short, plain-letter phrase."""
    words = synonym.split()
    return (synonym != lemma and 0 < len(words) <= MAX_SYNONYM_WORDS
            and all(WORD_RE.fullmatch(w) for w in words))


def _synonym_in_form(word: str, analysis: tuple[str, str], synonyms: Synonyms,
                     rng: random.Random) -> str | None:
    """A synonym of the analysed ``word``, picked by ``rng``, in the word's form and case."""
    lemma, tag = analysis
    choices = [s for s in dict.fromkeys(synonyms(lemma)) if usable(s, lemma)]
    ranked = sorted(((zipf_frequency(s, "en") - PHRASE_PENALTY * s.count(" "), s)
                     for s in choices), reverse=True)
    choices = [s for zipf, s in ranked[:TOP_SYNONYMS] if zipf >= MIN_SYNONYM_ZIPF]
    rng.shuffle(choices)
    for choice in choices:
        form = inflect(choice, tag)
        if form and form.lower() != word.lower():
            return match_case(form, word)
    return None


def eligible(text: str, match: re.Match[str]) -> bool:
    """A content word the simulator may spin.

    Capitalised words inside a sentence are skipped (names: "White House"):
    the restorer protects names, and a blind name swap is not what this
    benchmark is about. Sentence-initial capitals are ordinary words.
    """
    word = match.group()
    if len(word) < MIN_WORD_LENGTH or word.lower() in STOPWORDS or "'" in word or "’" in word:
        return False
    before = text[:match.start()].rstrip(" \"“‘'(")
    return not word[0].isupper() or before == "" or before[-1] in ".!?"


def spin_text(text: str, *, rate: float, seed: int | str, synonyms: Synonyms) -> str:
    """Spin about ``rate`` of the content words of ``text``; deterministic for a seed.

    Spinners apply one fixed dictionary: a word they replace once, they
    replace every time, by the same synonym. So the choice is made per
    lemma and ``seed`` (one seed per document): each eligible lemma is in the
    dictionary with probability ``rate``, and its synonym is drawn once. A
    lemma without a usable synonym stays, so the realised rate is a little
    lower.
    """
    out, last, previous = [], 0, ""
    for match in WORD_RE.finditer(text):
        before, previous = previous, match.group()
        if not eligible(text, match):
            continue
        analysis = analyse(match.group(), before)
        if analysis is None:
            continue
        rng = random.Random(f"{seed}\x00{analysis[0]}")  # the same draws for every occurrence
        if rng.random() >= rate:
            continue
        replacement = _synonym_in_form(match.group(), analysis, synonyms, rng)
        if replacement is not None:
            out += [text[last:match.start()], replacement]
            last = match.end()
    return "".join(out) + text[last:]


def spin_pairs(
    documents: Iterable[tuple[str, Sequence[str]]], *, rate: float, seed: int | str,
    synonyms: Synonyms,
) -> list[SpunPair]:
    """Spin documents given as ``(doc id, lines)``; one pair per line, line numbers from 1."""
    return [
        SpunPair(doc, number, spin_text(line, rate=rate, seed=f"{seed}:{doc}", synonyms=synonyms),
                 line)
        for doc, lines in documents
        for number, line in enumerate(lines, start=1)
    ]


if __name__ == "__main__":
    import argparse
    import json
    import sys

    import bench_common  # noqa: F401  (puts the repository root on sys.path)
    from clean_text import brown_texts, nlp_corpus_texts, split_sentences

    parser = argparse.ArgumentParser(description="Write synthetic spun pairs as JSONL "
                                     "(from Brown or nlp-corpus text: never from lee articles).")
    parser.add_argument("--corpus", choices=("brown", "nlp-corpus"), default="brown")
    parser.add_argument("-n", type=int, default=200, help="texts to spin")
    parser.add_argument("--skip", type=int, default=0, help="texts to skip first")
    parser.add_argument("--source", choices=("moby", "wordnet"), default="moby")
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--seed", default="0")
    args = parser.parse_args()
    texts = (brown_texts(args.n, skip=args.skip) if args.corpus == "brown"
             else nlp_corpus_texts(args.n, skip=args.skip))
    docs = [(f"{args.corpus}{args.skip + i}", split_sentences(t)) for i, t in enumerate(texts)]
    for pair in spin_pairs(docs, rate=args.rate, seed=args.seed,
                           synonyms=thesaurus_synonyms((args.source,))):
        sys.stdout.write(json.dumps(pair._asdict(), ensure_ascii=False) + "\n")
