"""Number words and figures swapped by spinners.

Spinners write figures as words and words as figures, against newsroom style:
"15%" becomes "fifteen%", "the two neighbours" becomes "the 2 neighbours".
Edited news (AP and most house styles) uses figures with "%" and spells out
one to nine before a noun, so the reverse is a strong signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from garble_fix.spelling import british_style
from garble_fix.tokens import ends_sentence
from garble_fix.types import Token

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
DIGIT_WORDS = {str(v): k for k, v in UNITS.items() if 2 <= v <= 9}

# Words after which "the 2 <noun>" reads as a spelled-out count that a
# spinner turned into a figure ("the 2 neighbors", "both 3 companies").
COUNT_DETERMINERS = frozenset(
    {"the", "these", "those", "its", "their", "his", "her", "our", "all", "other", "first", "last"}
)

# Percent signs a spun figure can stand before.
PERCENT_TOKENS = frozenset({"%"})
# The spinner's abbreviation of "percent" ("rose 5 p.c."). Alone it is also
# "P.C." (a personal computer, politically correct), so the lexicon can only
# list it as weak; after a figure it means nothing else.
PERCENT_ABBREVIATION = ("p", ".", "c")


class NumberFix(NamedTuple):
    """A figure/word restoration over tokens ``[first, last)``."""

    first: int
    last: int
    replacement: str
    strength: str


def parse_number_words(words: Sequence[str]) -> int | None:
    """Value of a run like ["twenty", "-", "five"] or ["fifteen"]; None if not a number.

    >>> parse_number_words(["twenty", "-", "five"]), parse_number_words(["fifteen"])
    (25, 15)
    >>> parse_number_words(["five", "twenty"]) is None
    True
    """
    lowered = [w.lower() for w in words if w != "-"]
    if len(lowered) == 1:
        word = lowered[0]
        return UNITS.get(word, TENS.get(word))
    if len(lowered) == 2 and lowered[0] in TENS and lowered[1] in UNITS and UNITS[lowered[1]] < 10:
        return TENS[lowered[0]] + UNITS[lowered[1]]
    if len(lowered) == 2 and lowered[0] in UNITS and lowered[1] == "hundred":
        return UNITS[lowered[0]] * 100
    return None


def find_number_fixes(tokens: Sequence[Token], text: str) -> list[NumberFix]:
    """Find spelled-out figures before "%" and lone figures 2-9 counted after a determiner.

    >>> from garble_fix.tokens import tokenize
    >>> text = "cut from 25% to fifteen% while the 2 neighbors met"
    >>> [(f.replacement, f.strength) for f in find_number_fixes(tokenize(text), text)]
    [('15%', 'strong'), ('two', 'weak')]
    """
    fixes: list[NumberFix] = []
    percent_word: str | None = None  # decided once per text, when first needed
    for index, token in enumerate(tokens):
        if token.text in PERCENT_TOKENS:
            fix = _percent_fix(tokens, index)
            if fix is not None:
                fixes.append(fix)
        elif token.text in DIGIT_WORDS and _is_spun_count(tokens, index):
            fixes.append(NumberFix(index, index + 1, DIGIT_WORDS[token.text], "weak"))
        elif token.text.lower() == "p":
            fix = _abbreviated_percent_fix(tokens, index, text)
            if fix is not None:
                percent_word = percent_word or percent_spelling(tokens)
                fixes.append(fix._replace(replacement=percent_word))
    return fixes


def percent_spelling(tokens: Sequence[Token]) -> str:
    """"percent" or "per cent", as the document writes it elsewhere, else by its spelling.

    British and Australian papers write "per cent" (and "organisation",
    "labour"); American ones "percent". A spinner that abbreviates every
    "per cent" to "p.c." leaves no example behind, but the document's other
    spellings still show its house style.

    >>> from garble_fix.tokens import tokenize
    >>> percent_spelling(tokenize("The organisation said labour costs rose 5 p.c."))
    'per cent'
    >>> percent_spelling(tokenize("Labour costs rose 5 p.c. and 3 percent"))
    'percent'
    >>> percent_spelling(tokenize("The organization's costs rose 5 p.c."))
    'percent'
    """
    words = [t.text for t in tokens]
    lowered = [w.lower() for w in words]
    if "percent" in lowered:
        return "percent"
    if any(a == "per" and b == "cent" for a, b in pairwise(lowered)):
        return "per cent"
    return "per cent" if british_style(words) else "percent"


def _abbreviated_percent_fix(tokens: Sequence[Token], first: int, text: str) -> NumberFix | None:
    """"5 p.c." -> "5 percent" (with its period when the sentence goes on after it).

    >>> from garble_fix.tokens import tokenize
    >>> def fixes(text):
    ...     return [(text[tokens[f.first].start:tokens[f.last - 1].end], f.replacement)
    ...             for tokens in [tokenize(text)] for f in find_number_fixes(tokens, text)]
    >>> fixes("rose 3.5 p.c. on Monday"), fixes("rose 5 p.c., he said"), fixes("rose 5 p.c.")
    ([('p.c.', 'percent')], [('p.c.', 'percent')], [('p.c', 'percent')])
    >>> fixes("a P.C. game")
    []
    """
    last = first + len(PERCENT_ABBREVIATION)
    if first == 0 or last > len(tokens):
        return None
    span = tokens[first:last]
    if tuple(t.text.lower() for t in span) != PERCENT_ABBREVIATION or any(
            left.end != right.start for left, right in pairwise(span)):
        return None
    figure = tokens[first - 1]
    if not figure.text[-1:].isdigit() or figure.end == span[0].start:
        return None
    # A period right after "c" belongs to the abbreviation when the sentence
    # goes on ("5 p.c. on Monday"); at a sentence end it is also the full stop.
    if (last < len(tokens) and tokens[last].text == "." and tokens[last].start == span[-1].end
            and not ends_sentence(tokens, last, text)):
        last += 1
    return NumberFix(first, last, "percent", "strong")


def _percent_fix(tokens: Sequence[Token], percent_index: int) -> NumberFix | None:
    """"fifteen%" / "twenty-five %" -> "15%" / "25%" (the longest number run wins)."""
    for length in (3, 1):  # "twenty - five" or a single word
        first = percent_index - length
        if first < 0:
            continue
        words = [t.text for t in tokens[first:percent_index]]
        value = parse_number_words(words)
        if value is not None:
            return NumberFix(first, percent_index + 1, f"{value}%", "strong")
    return None


def _is_spun_count(tokens: Sequence[Token], index: int) -> bool:
    """True for "the 2 neighbors": determiner, lone figure, lower-case plural-looking word."""
    if index == 0 or index + 1 >= len(tokens):
        return False
    before, after = tokens[index - 1], tokens[index + 1]
    if before.text.lower() not in COUNT_DETERMINERS:
        return False
    # The figure must stand alone: not "the 2.5", "the 2-1 win", "the 2nd".
    if before.end == tokens[index].start or tokens[index].end == after.start:
        return False
    return after.text.isalpha() and after.text.islower() and after.text.endswith("s")
