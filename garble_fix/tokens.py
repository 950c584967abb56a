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

# Characters after which a new sentence starts (for case transfer and LM
# sentence boundaries).
SENTENCE_END = frozenset(".!?")


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


def is_sentence_start(tokens: Sequence[Token], index: int) -> bool:
    """True when token ``index`` begins a sentence (first token, or after . ! ? or a quote/line break)."""
    j = index - 1
    while j >= 0 and tokens[j].text in {'"', "“", "”", "‘", "'", "(", "[", "—", "-", "–"}:
        j -= 1
    return j < 0 or tokens[j].text in SENTENCE_END
