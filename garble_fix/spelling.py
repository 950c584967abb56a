"""British and American spellings of the same word.

The bundled trigram model is American: it has never seen "metres",
"colour" or "organisation", and scores them as unknown words, so any known
candidate would look like a huge improvement ("100 metres" -> "100 times").
The model is asked about the American spelling instead
(:class:`garble_fix.lm.PocketsphinxLM`). The lexicon build uses the same
rules to reject entries that only respell a word (corpora/build_signatures.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from wordfreq import zipf_frequency

# British to American spelling, as regular rewrites of word endings ("centre",
# "colour", "favoured", "organisation", "travelled", "defence", "catalogue",
# "programme") and of a few Greek-derived beginnings ("paediatric",
# "anaemia", "haemorrhage", "orthopaedic", "archaeology"). The
# look-behinds keep short words out ("four", "more", "rise"); a rewrite can
# still produce a non-word ("genre" -> "gener"), so callers check the result
# against a vocabulary.
BRITISH_TO_AMERICAN = tuple((re.compile(pattern), american) for pattern, american in (
    (r"(?<=\w\w)our(s|ed|ing|ite|ites|able|er|ers)?\b", r"or\1"),
    (r"(?<=\w\w[^aeiou\W])re(s?)\b", r"er\1"),
    (r"(?<=\w\w)is(e|ed|es|ing|ation|ations)\b", r"iz\1"),
    (r"(?<=\w\w)ys(e|ed|es|ing)\b", r"yz\1"),
    (r"(?<=\w\w)ll(ed|ing|er|ers|ist|ists|or|ors)\b", r"l\1"),
    (r"(?<=\w\w)ence(s?)\b", r"ense\1"),
    (r"(?<=\w\w)ogue(s?)\b", r"og\1"),
    (r"\b(p|an|h|orthop|gyn|leuk|encyclop|arch)ae", r"\1e"),
    (r"(?<=\w\w)amme(s?)\b", r"am\1"),
))


def american_spelling(text: str) -> str:
    """``text`` with every British word ending rewritten the American way (lower-case input).

    >>> american_spelling("metres"), american_spelling("organisation"), american_spelling("travelled")
    ('meters', 'organization', 'traveled')
    >>> american_spelling("favoured"), american_spelling("paediatric"), american_spelling("programmes")
    ('favored', 'pediatric', 'programs')
    >>> american_spelling("four"), american_spelling("genre")
    ('four', 'gener')
    """
    for pattern, replacement in BRITISH_TO_AMERICAN:
        text = pattern.sub(replacement, text)
    return text


# A document follows British (or Australian) spelling when at least this many
# of its lower-case words are British spellings: one alone may be a quoted
# word in an American article. Capitalised words are not counted, since
# names keep their own spelling ("Labour Party", "Ministry of Defence").
BRITISH_STYLE_MIN_WORDS = 2
# A respelling counts only when the American form is a common word (wordfreq
# Zipf >= 3): the rewrites above also turn "promise" into "promize".
COMMON_ZIPF = 3.0


@lru_cache(maxsize=50_000)
def is_british_spelling(word: str) -> bool:
    """True for a lower-case word whose American respelling is a different, common word
    that English at large (mostly American in wordfreq's sources) uses more often.

    The second condition keeps out words the rewrites turn into other words:
    "filled" is not the British spelling of "filed".

    >>> is_british_spelling("organisation"), is_british_spelling("labour")
    (True, True)
    >>> is_british_spelling("promise"), is_british_spelling("filled")
    (False, False)
    """
    american = american_spelling(word)
    if american == word:
        return False
    american_zipf = zipf_frequency(american, "en")
    return american_zipf >= COMMON_ZIPF and zipf_frequency(word, "en") < american_zipf


def british_style(words: Iterable[str]) -> bool:
    """True when a document's words show British spelling (see BRITISH_STYLE_MIN_WORDS).

    >>> british_style("the organisation said labour costs rose".split())
    True
    >>> british_style("the organization said the Labour Party won".split())
    False
    """
    count = 0
    for word in words:
        if word.islower() and word.isalpha() and is_british_spelling(word):
            count += 1
            if count >= BRITISH_STYLE_MIN_WORDS:
                return True
    return False


def british_forms(replacements: tuple[str, ...]) -> tuple[str, ...]:
    """``replacements`` without any American spelling that is listed with its British one.

    For documents in British spelling (:func:`british_style`): the lexicon
    lists both forms of an original ("defense|defence", "city center|city
    centre"), and the American trigram model would always pick the first.

    >>> british_forms(("defense", "defence", "coverage"))
    ('defence', 'coverage')
    >>> british_forms(("City Center", "City Centre")), british_forms(("security",))
    (('City Centre',), ('security',))
    """
    lowered = [r.lower() for r in replacements]
    respelled = {american for low in lowered if (american := american_spelling(low)) != low}
    return tuple(r for r, low in zip(replacements, lowered) if low not in respelled)
