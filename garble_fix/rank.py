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
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from garble_fix import calibration
from garble_fix.candidates import Option
from garble_fix.lm import LanguageModel, Web1TBigrams, lm_word
from garble_fix.tokens import TOKEN_RE, ends_sentence
from garble_fix.types import Token

# Hypotheses kept per lattice position. States are trigram histories, so a
# position rarely has more than a handful that differ; 8 keeps every
# combination of two adjacent words with two or three live candidates each
# while bounding the work on long runs of ambiguous words.
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
    """Token index ranges of sentences: split at . ! ? ; : and at line breaks,
    but not at the period of an abbreviation or a decimal (:func:`ends_sentence`)."""
    ranges = []
    start = 0
    for index, token in enumerate(tokens):
        line_break = index + 1 < len(tokens) and "\n" in text[token.end:tokens[index + 1].start]
        if ends_sentence(tokens, index, text) or line_break:
            ranges.append((start, index + 1))
            start = index + 1
    if start < len(tokens):
        ranges.append((start, len(tokens)))
    return ranges


def token_words(token: Token) -> tuple[str, ...]:
    """The LM words of one input token (none for punctuation)."""
    return (lm_word(token.text),) if token.is_word else ()


def lm_words_of(tokens: Sequence[Token]) -> list[tuple[str, ...]]:
    """LM words of every token, computed once per document (the hot loops index it)."""
    return [token_words(t) for t in tokens]


@lru_cache(maxsize=100_000)
def replacement_words(replacement: str) -> tuple[str, ...]:
    """The LM words of an option's replacement text."""
    return tuple(lm_word(m.group()) for m in TOKEN_RE.finditer(replacement)
                 if any(ch.isalnum() for ch in m.group()))


def decode(
    words: Sequence[tuple[str, ...]],
    first: int,
    last: int,
    options: Sequence[Option],
    model: LanguageModel,
    shift: float,
    bonus: dict[Option, float] | None = None,
) -> list[Option]:
    """Best set of non-overlapping options within tokens ``[first, last)``.

    ``words`` holds the LM words of every token (:func:`lm_words_of`). Paths
    are scored in LM log10 units: an option's prior log10 odds (plus the
    document ``shift`` and the option's ``bonus`` of local evidence) is divided
    by the log10 odds one LM unit is worth for that kind of option.
    """
    bonus = bonus or {}
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
        moves: list[tuple[int, tuple[str, ...], Option | None, float]] = [
            (position + 1, words[position], None, 0.0)]
        for option in by_first.get(position, ()):
            if option.last <= last:
                odds = option.prior + bonus.get(option, 0.0) + (0.0 if option.strong else shift)
                moves.append((option.last, replacement_words(option.replacement), option,
                              odds / calibration.confidence_scale(option.source)))
        for history, (score, chosen) in states.items():
            for target, move_words, taken, cost in moves:
                total, context = score + cost, history
                for word in move_words:
                    total += model.logprob(word, context)
                    context = (*context[-1:], word)
                bucket = beams.setdefault(target, {})
                new_chosen = (taken, chosen) if taken is not None else chosen
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


class Restorations:
    """Options already decided in a sentence, indexed by where they start and end."""

    def __init__(self, chosen: Sequence[Option] = ()) -> None:
        self.by_first = {o.first: o for o in chosen}
        self.by_last = {o.last: o for o in chosen}


NO_RESTORATIONS = Restorations()


def local_gain(
    words: Sequence[tuple[str, ...]],
    bounds: tuple[int, int],
    option: Option,
    model: LanguageModel,
    chosen: Restorations = NO_RESTORATIONS,
) -> float:
    """LM log10 gain of taking ``option`` over keeping its tokens, in a local window.

    ``words`` holds the LM words of every token. Neighbouring spans use the
    other ``chosen`` restorations, so the gain of one word of a jointly
    restored run is measured next to its restored neighbours.
    """
    window = SpanWindow(words, bounds, option.first, option.last, model, None, chosen)
    return window.gain(option.replacement)


class SpanWindow:
    """The fixed surroundings of one span, for scoring all its candidates quickly.

    Holds the LM history before the span, the words after it (after the
    ``chosen`` restorations of neighbouring spans, if any), and the scores of
    the kept words, which every candidate of the span is compared with.
    """

    def __init__(
        self,
        words: Sequence[tuple[str, ...]],
        bounds: tuple[int, int],
        first: int,
        last: int,
        model: LanguageModel,
        bigrams: Web1TBigrams | None,
        chosen: Restorations = NO_RESTORATIONS,
    ) -> None:
        self.model, self.bigrams = model, bigrams
        self.history = _left_context(words, bounds[0], first, chosen)
        right = _right_context(words, last, bounds[1], chosen)
        self.right = (*right, "</s>") if len(right) < RIGHT_CONTEXT else right
        kept = kept_words(words, first, last)
        self.kept_score = _sequence(model, (*kept, *self.right), self.history)
        self.left_word = tuple(w for w in self.history[-1:] if w != "<s>")
        self.right_word = right[:1]
        self.kept_pairs = _pairs(bigrams, (*self.left_word, *kept, *self.right_word))

    def gain(self, replacement: str) -> float:
        """Trigram LM gain (log10) of the replacement over the kept words."""
        taken = replacement_words(replacement)
        return _sequence(self.model, (*taken, *self.right), self.history) - self.kept_score

    def web_gain(self, replacement: str) -> float:
        """Web 1T gain: mean log10 pair count with the replacement minus with the kept words."""
        taken = (*self.left_word, *replacement_words(replacement), *self.right_word)
        return _pairs(self.bigrams, taken) - self.kept_pairs


def _pairs(bigrams: Web1TBigrams | None, words: Sequence[str]) -> float:
    """Mean pair score of adjacent words (a mean, so that a one-word replacement
    of a four-word phrase is not penalised for having fewer pairs)."""
    if bigrams is None or len(words) < 2:
        return 0.0
    return sum(bigrams.pair(a, b) for a, b in pairwise(words)) / (len(words) - 1)


def kept_words(words: Sequence[tuple[str, ...]], first: int, last: int) -> tuple[str, ...]:
    """LM words of tokens ``[first, last)`` as they stand."""
    return tuple(w for i in range(first, last) for w in words[i])


def _left_context(
    words: Sequence[tuple[str, ...]], start: int, index: int, chosen: Restorations
) -> tuple[str, ...]:
    """The (up to) two LM words before token ``index``, after restorations in ``chosen``."""
    found: list[str] = []
    while index > start and len(found) < 2:
        option = chosen.by_last.get(index)
        if option is not None and option.first >= start:
            found[:0] = replacement_words(option.replacement)
            index = option.first
        else:
            index -= 1
            found[:0] = words[index]
    context = ("<s>", *found) if len(found) < 2 else tuple(found)
    return context[-2:]


def _right_context(
    words: Sequence[tuple[str, ...]], index: int, stop: int, chosen: Restorations
) -> tuple[str, ...]:
    """The (up to) RIGHT_CONTEXT LM words from token ``index``, after restorations in ``chosen``."""
    found: list[str] = []
    while index < stop and len(found) < RIGHT_CONTEXT:
        option = chosen.by_first.get(index)
        if option is not None and option.last <= stop:
            found.extend(replacement_words(option.replacement))
            index = option.last
        else:
            found.extend(words[index])
            index += 1
    return tuple(found[:RIGHT_CONTEXT])


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
