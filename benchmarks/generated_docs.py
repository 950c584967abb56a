"""Generated spun documents: clean Brown paragraphs spun by the lexicon run backwards and the simulator.

Used to fit the calibrated models (``corpora/build_calibration.py``, Brown
paragraphs 3000-6199) and to check the default boldness against held-out
generated text (``benchmarks/choose_offset.py``, paragraphs from 6200 on),
never the dev set. A spun document first gets some of the signature
lexicon's originals replaced by their spun forms (as the lexicon's spinner
would write them), then a share of its content words replaced by thesaurus
synonyms (:mod:`spinner_sim`). The lexicon part is circular by design (it
inverts the very table the restorer uses): it shows how well the ranker
decides among the candidates, not how complete the lexicon is.
"""

from __future__ import annotations

import random
from functools import lru_cache
from typing import NamedTuple

from spinner_sim import spin_text, thesaurus_synonyms

from garble_fix.signatures import Lexicon, lexicon_from_rows, load_signatures
from garble_fix.tokens import tokenize

# Paragraphs per generated document, drawn per document: from a short item
# of about 70 words (one Brown paragraph) to a long article of about 1,100,
# so that the document model learns how rates look in short texts too (a
# model fitted on one length extrapolates blindly to the others).
DOCUMENT_PARAGRAPHS = (1, 2, 4, 8, 16)
# Share of content words the simulator replaces in a typical spun document:
# real spun news replaces roughly one word in five to seven.
SPIN_RATE = 0.2
# Spun documents are spun at one of these shares (and the lexicon at the same
# multiple of its rate), so that the document model sees light and heavy
# spinning, not just two clusters.
SPIN_LEVELS = (0.05, 0.1, 0.2, 0.3)
# Share of the lexicon's originals the simulated spinner replaces: spinners of
# this kind apply their dictionary to most but not all of its words.
SIGNATURE_SPIN_RATE = 0.6


@lru_cache(maxsize=1)
def reverse_lexicon() -> Lexicon:
    """The signature lexicon turned around (original -> spun), to simulate its spinner.

    Tortured phrases of science are left out: they are other tools' output,
    not the news spinner's, and the rare technical term of a Brown paragraph
    spun into one would make simulated spun news look more strongly spun
    than real spun news ever does.
    """
    rows = []
    for entry in load_signatures():
        if entry.family == "tortured":
            continue
        for original in entry.originals:
            if not any(ch.isdigit() for ch in original):
                rows.append((original, " ".join(entry.spun), entry.family, entry.strength))
    return lexicon_from_rows(rows)


def spin_with_lexicon(text: str, rng: random.Random, rate: float = 0.6) -> str:
    """Replace the lexicon originals in ``text`` by their spun forms, one fixed dictionary.

    A spinner applies one word dictionary to the whole article: a word it
    replaces once, it replaces every time, in every phrase. So each word swap
    ("security" -> "safety") is in this document's dictionary with
    probability ``rate``, and an entry is applied wherever all of its swaps
    are ("National Security" -> "Nationwide Safety" needs both).
    """
    tokens = tokenize(text)
    in_dictionary: dict[tuple[str, ...], bool] = {}
    out, last_char, taken_until = [], 0, 0
    for match in sorted(reverse_lexicon().find(tokens, text), key=lambda m: (m.first, -m.last)):
        if match.first < taken_until:
            continue
        found = [t.text.lower() for t in tokens[match.first:match.last]]
        swaps = word_swaps(found, match.replacements[0].lower().split())
        if all(in_dictionary.setdefault(swap, rng.random() < rate) for swap in swaps):
            start, end = tokens[match.first].start, tokens[match.last - 1].end
            out += [text[last_char:start], match.replacements[0]]
            last_char, taken_until = end, match.last
    return "".join(out) + text[last_char:]


def word_swaps(original: list[str], spun: list[str]) -> list[tuple[str, ...]]:
    """The word swaps an entry makes: word pairs when both sides have as many
    words, else the whole phrase pair.

    >>> word_swaps(["national", "security"], ["nationwide", "safety"])
    [('national', 'nationwide'), ('security', 'safety')]
    >>> word_swaps(["deal", "with"], ["take", "care", "of"])
    [('deal with', 'take care of')]
    """
    if len(original) != len(spun):
        return [(" ".join(original), " ".join(spun))]
    return [(a, b) for a, b in zip(original, spun) if a != b] or [(" ".join(original), "")]


class Document(NamedTuple):
    """One generated document: its text, its original, and whether it was spun."""

    text: str
    original: str
    spun: bool


def make_documents(texts: list[str], seed: int) -> list[Document]:
    """Group paragraphs into documents of 1 to 16 paragraphs; every other one is spun.

    Spun documents get some of the signature lexicon's originals replaced by
    their spun forms, then thesaurus synonyms (the simulator).
    """
    synonyms = thesaurus_synonyms(("wordnet", "moby"))
    documents = []
    start, number = 0, 0
    while start < len(texts):
        length = random.Random(f"{seed}:length:{number}").choice(DOCUMENT_PARAGRAPHS)
        original = "\n".join(texts[start:start + length])
        start += length
        spun = number % 2 == 0
        text = original
        if spun:
            rng = random.Random(f"{seed}:{number}")
            share = rng.choice(SPIN_LEVELS)  # lightly to heavily spun documents
            text = spin_with_lexicon(original, rng, share * SIGNATURE_SPIN_RATE / SPIN_RATE)
            text = spin_text(text, rate=share, seed=f"{seed}:{number}", synonyms=synonyms)
        documents.append(Document(text, original, spun))
        number += 1
    return documents

