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
