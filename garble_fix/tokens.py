"""Tokenization with character spans.

Uses the same token pattern as the scoring convention of the project
(``\\w+(?:['’]\\w+)*|[^\\w\\s]``), so that an edit found here lines up with
an edit the evaluation counts. Named ``tokens`` to avoid shadowing the
standard library's ``tokenize``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from garble_fix.types import Token

TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")

# Tokens after which the next word starts a sentence, so its capital is not
# a name's (is_sentence_start; a period is asked of ends_sentence first).
SENTENCE_END = frozenset(".!?")
# Tokens that end an LM context: sentence punctuation. Commas, quotes and
# brackets are skipped (transparent) rather than breaking the context.
BOUNDARY_TOKENS = frozenset(".!?;:")

# Abbreviations of titles that take a period before a capitalised name ("Gen.
# Smith", "Mr. Moon"): that period does not end the sentence.
TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt cpl adm cmdr sen rep gov pres rev hon st fr".split()
)


def tokenize(text: str) -> list[Token]:
    """Split text into word and punctuation tokens with their offsets.

    >>> [t.text for t in tokenize("He’s at the White Home.")]
    ['He’s', 'at', 'the', 'White', 'Home', '.']
    """
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def normalize(word: str) -> str:
    """Lower-case a token and fold the typographic apostrophe for lookups.

    >>> normalize("Doesn’t")
    "doesn't"
    """
    return word.lower().replace("’", "'")


def is_sentence_start(tokens: Sequence[Token], index: int, text: str) -> bool:
    """True when token ``index`` begins a sentence (first token, or after . ! ? or a quote/line break).

    A period that :func:`ends_sentence` keeps inside the sentence does not
    start one: "Gen. Moon" is a title and a name, and a capitalised word
    after it is a name like any other.

    >>> text = "Gen. Moon spoke. Moon left."
    >>> tokens = tokenize(text)
    >>> [is_sentence_start(tokens, i, text) for i in (0, 2, 5)]
    [True, False, True]
    """
    j = index - 1
    while j >= 0 and tokens[j].text in {'"', "“", "”", "‘", "'", "(", "[", "—", "-", "–"}:
        j -= 1
    if j < 0:
        return True
    if tokens[j].text == ".":
        return ends_sentence(tokens, j, text)
    return tokens[j].text in SENTENCE_END


def ends_sentence(tokens: Sequence[Token], index: int, text: str) -> bool:
    """True when token ``index`` is sentence punctuation that ends a sentence.

    The tokenizer makes every period a token, so "U.S." is "U . S ." and "3.5"
    is "3 . 5". A period glued to the word after it ("U.S", "p.c", "3.5"), a
    period after a word and before a lower-case word or a figure ("the U.S.
    stress", "Aug. 5"), and a title's period before a name ("Gen. Smith") are
    inside a sentence: splitting there cut the trigram context of the next
    word ("the u s pressure" is a context the model knows) and kept a
    multiword option from spanning the abbreviation.

    >>> text = "The U.S., China and the U.S. stress rose 3.5 p.c. in Aug. 5 days. Gen. Moon left. Then"
    >>> tokens = tokenize(text)
    >>> [tokens[i - 1].text for i in range(1, len(tokens)) if ends_sentence(tokens, i, text)]
    ['days', 'left']
    """
    token = tokens[index]
    if token.text not in BOUNDARY_TOKENS:
        return False
    if token.text != "." or index + 1 >= len(tokens) or index == 0:
        return True
    before, after = tokens[index - 1], tokens[index + 1]
    if before.end != token.start or not before.text[:1].isalnum():
        return True  # a period after a space or after other punctuation
    gap = text[token.end:after.start]
    first = after.text[:1]
    if not gap:  # "U.S", "3.5", "p.c" go on; so does "U.S., China"
        return not (first.isalnum() or after.text == ",")
    if gap.isspace() and "\n" not in gap and first.isalnum():
        return not (first.islower() or first.isdigit()
                    or before.text.lower() in TITLE_ABBREVIATIONS)
    return True
