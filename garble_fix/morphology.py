"""Lemmatise a spun word and re-inflect a restored lemma to the same form.

A spinner replaces inflected words ("desires", "despatched"); thesauri list
base forms ("desire" -> "want"). So candidates are found on the lemma and put
back into the spun word's form: desires -> want -> wants, despatched -> send
-> sent. lemminflect works offline and needs no tagger; when a word has
several readings (noun or verb "desires"), every reading is kept and the
language model picks in context.
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import getAllInflections, getAllLemmas, getInflection

# Penn tags whose inflection sits on the first word of a phrase ("dealing
# with") rather than the last ("trade deals").
VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"})

# Suffix guesses for forms lemminflect lemmatises but does not generate back
# (irregular participles such as "proven" for "prove"): checked in order.
SUFFIX_TAGS = (("ing", "VBG"), ("en", "VBN"), ("ed", "VBD"), ("s", "VBZ"))


@lru_cache(maxsize=100_000)
def analyses(word: str) -> tuple[tuple[str, str], ...]:
    """All (lemma, Penn tag) readings of a lower-case word.

    >>> analyses("despatched")
    (('despatch', 'VBD'),)
    >>> ('desire', 'VBZ') in analyses("desires") and ('desire', 'NNS') in analyses("desires")
    True
    >>> analyses("safety"), ('sheep', 'NNS') in analyses("sheep")
    ((('safety', 'NN'),), True)
    """
    readings: list[tuple[str, str]] = []
    for upos, lemmas in getAllLemmas(word).items():
        for lemma in lemmas:
            tags = [tag for tag, forms in getAllInflections(lemma, upos).items()
                    if word in forms and not _secondary_bare_plural(word, lemma, tag, forms)]
            if not tags:
                tags = [_guess_tag(word, lemma, upos)]
            readings.extend((lemma, tag) for tag in tags if (lemma, tag) not in readings)
    return tuple(readings)


def _secondary_bare_plural(word: str, lemma: str, tag: str, forms: tuple[str, ...]) -> bool:
    """True for a mass noun's bare form listed as a second plural ("safety" beside "safeties").

    lemminflect lists uncountable uses as plurals identical to the singular.
    Read as plurals, they make the candidates plural too ("safety" -> "countries"),
    and a spun mass noun is far more often singular. Nouns whose bare form is
    the usual plural ("sheep", "series", "police") list it first and keep it.
    """
    return tag == "NNS" and word == lemma and forms[0] != word


def _guess_tag(word: str, lemma: str, upos: str) -> str:
    """Tag for a form lemminflect does not generate itself (proven, learnt)."""
    if word == lemma:
        return {"VERB": "VB", "NOUN": "NN", "ADJ": "JJ", "ADV": "RB"}.get(upos, "NN")
    if upos == "VERB":
        for suffix, tag in SUFFIX_TAGS:
            if word.endswith(suffix):
                return tag
    return "NNS" if upos == "NOUN" else "JJ"


@lru_cache(maxsize=100_000)
def inflect(phrase: str, tag: str) -> str | None:
    """Put a base-form word or phrase into the form ``tag``; None if impossible.

    Verbs inflect their first word ("deal with" -> "dealing with"), nouns
    their last ("trade deal" -> "trade deals").

    >>> inflect("tell", "VBD"), inflect("deal with", "VBG"), inflect("country", "NNS")
    ('told', 'dealing with', 'countries')
    """
    words = phrase.split()
    if not words:
        return None
    position = 0 if tag in VERB_TAGS else len(words) - 1
    if tag in {"VB", "NN", "JJ", "RB", "NNP"}:
        return phrase
    forms = getInflection(words[position], tag)
    if not forms:
        return None
    words[position] = forms[0]
    return " ".join(words)


# Words spelled with a vowel letter but said with a consonant sound ("a
# university", "a one-off", "a European") and with a silent h ("an hour").
CONSONANT_SOUND_PREFIXES = ("uni", "use", "usu", "uti", "ure", "eu", "one", "once", "ewe")
VOWEL_SOUND_PREFIXES = ("hour", "honest", "honou", "honor", "heir")


def indefinite_article(word: str) -> str | None:
    """'a' or 'an' for the word that follows it, by its first sound (spelling heuristic).

    A restored word needs the article the original had: the spinner wrote
    "an arbitrary woodland" for "a random forest". None when the word does not
    start with a letter (figures are read aloud in too many ways to guess).

    >>> [indefinite_article(w) for w in ("random", "example", "university", "hour", "8")]
    ['a', 'an', 'a', 'an', None]
    """
    lower = word.lower()
    if not lower[:1].isalpha():
        return None
    if lower.startswith(VOWEL_SOUND_PREFIXES):
        return "an"
    if lower.startswith(CONSONANT_SOUND_PREFIXES):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"
