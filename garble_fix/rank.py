"""The ranker: pick the most fluent restoration per sentence, or leave it alone.

Each sentence is decoded as a lattice: at every token the text may be kept,
or an option (from :mod:`garble_fix.candidates`) may replace a run of
tokens. A path scores the trigram log-probability of its words plus the
prior log-odds of each option it takes; keeping a token costs nothing. The
best path is found by a beam search over trigram states, so adjacent spun
words are decided together ("pushed again towards U.S. stress" -> "pushed
back against U.S. pressure") rather than one at a time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from garble_fix.candidates import Option
from garble_fix.lm import LanguageModel, lm_word
from garble_fix.tokens import TOKEN_RE
from garble_fix.types import Token

# Tokens that end an LM context: sentence punctuation. Commas, quotes and
# brackets are skipped (transparent) rather than breaking the context.
BOUNDARY_TOKENS = frozenset(".!?;:")
# Hypotheses kept per lattice position: 8 covers every combination of two
# adjacent ambiguous words with their top candidates; more gave no gain.
BEAM_WIDTH = 8
# Words of right context the local gain looks at after a span (a trigram
# model is affected by a change for two words after it).
RIGHT_CONTEXT = 2


class Choice(NamedTuple):
    """A decided option with the evidence behind it (log10 units)."""

    option: Option
    gain: float
    margin: float


def sentence_ranges(tokens: Sequence[Token], text: str) -> list[tuple[int, int]]:
    """Token index ranges of sentences: split at . ! ? ; : and at line breaks."""
    ranges = []
    start = 0
    for index, token in enumerate(tokens):
        line_break = index + 1 < len(tokens) and "\n" in text[token.end:tokens[index + 1].start]
        if token.text in BOUNDARY_TOKENS or line_break:
            ranges.append((start, index + 1))
            start = index + 1
    if start < len(tokens):
        ranges.append((start, len(tokens)))
    return ranges


def token_words(token: Token) -> tuple[str, ...]:
    """The LM words of one input token (none for punctuation)."""
    return (lm_word(token.text),) if token.is_word else ()


def replacement_words(replacement: str) -> tuple[str, ...]:
    """The LM words of an option's replacement text."""
    return tuple(lm_word(m.group()) for m in TOKEN_RE.finditer(replacement)
                 if any(ch.isalnum() for ch in m.group()))


def decode(
    tokens: Sequence[Token],
    first: int,
    last: int,
    options: Sequence[Option],
    model: LanguageModel,
    shift: float,
    scale: float,
) -> list[Option]:
    """Best set of non-overlapping options within tokens ``[first, last)``.

    Paths are scored in LM log10 units: an option's prior log10 odds (plus the
    document ``shift``) is divided by ``scale``, the log10 odds one LM unit is worth.
    """
    by_first: dict[int, list[Option]] = {}
    for option in options:
        by_first.setdefault(option.first, []).append(option)
    # state: last two LM words -> (score, chosen options as a linked tuple)
    beams: dict[int, dict[tuple[str, ...], tuple[float, tuple]]] = {first: {("<s>",): (0.0, ())}}
    for position in range(first, last):
        states = beams.pop(position, None)
        if not states:
            continue
        if len(states) > BEAM_WIDTH:
            states = dict(sorted(states.items(), key=lambda kv: -kv[1][0])[:BEAM_WIDTH])
        moves = [(position + 1, token_words(tokens[position]), None, 0.0)]
        for option in by_first.get(position, ()):
            if option.last <= last:
                odds = option.prior + (0.0 if option.strong else shift)
                moves.append((option.last, replacement_words(option.replacement), option,
                              odds / scale))
        for history, (score, chosen) in states.items():
            for target, words, option, cost in moves:
                total, context = score + cost, history
                for word in words:
                    total += model.logprob(word, context)
                    context = (*context[-1:], word)
                bucket = beams.setdefault(target, {})
                new_chosen = (option, chosen) if option is not None else chosen
                if context not in bucket or bucket[context][0] < total:
                    bucket[context] = (total, new_chosen)
    final = beams.get(last, {})
    if not final:
        return []
    best = max(final.items(), key=lambda kv: kv[1][0] + model.logprob("</s>", kv[0]))
    chosen_options: list[Option] = []
    linked = best[1][1]
    while linked:
        option, linked = linked
        chosen_options.append(option)
    return sorted(chosen_options, key=lambda o: o.first)


def local_gain(
    tokens: Sequence[Token],
    bounds: tuple[int, int],
    option: Option,
    model: LanguageModel,
    chosen: Sequence[Option] = (),
) -> float:
    """LM log10 gain of taking ``option`` over keeping its tokens, in a local window.

    Neighbouring spans use the other ``chosen`` options, so the gain of one
    word of a jointly restored run is measured next to its restored neighbours.
    """
    first, last = bounds
    others = {o.first: o for o in chosen if o is not option}
    left = _words_between(tokens, first, option.first, others)
    right = _words_between(tokens, option.last, last, others)[:RIGHT_CONTEXT]
    history = tuple(["<s>"] + left)[-2:]
    end = ("</s>",) if len(right) < RIGHT_CONTEXT else ()
    kept = [*(w for t in tokens[option.first:option.last] for w in token_words(t)), *right, *end]
    taken = [*replacement_words(option.replacement), *right, *end]
    return _sequence(model, taken, history) - _sequence(model, kept, history)


def _words_between(
    tokens: Sequence[Token], start: int, stop: int, replaced: dict[int, Option]
) -> list[str]:
    """LM words of tokens ``[start, stop)``, with the replaced spans' words substituted."""
    words: list[str] = []
    index = start
    while index < stop:
        option = replaced.get(index)
        if option is not None and option.last <= stop:
            words.extend(replacement_words(option.replacement))
            index = option.last
            continue
        words.extend(token_words(tokens[index]))
        index += 1
    return words


def _sequence(model: LanguageModel, words: Sequence[str], history: tuple[str, ...]) -> float:
    """Sum of log10 probabilities of ``words`` after ``history``."""
    total = 0.0
    for word in words:
        total += model.logprob(word, history)
        history = (*history[-1:], word)
    return total


def logistic(log10_odds: float) -> float:
    """Probability from log10 odds, overflow-safe.

    >>> round(logistic(0.0), 2), round(logistic(1.0), 3)
    (0.5, 0.909)
    """
    x = max(-50.0, min(50.0, log10_odds * math.log(10)))
    return 1.0 / (1.0 + math.exp(-x))
