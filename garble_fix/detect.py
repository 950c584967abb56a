"""The detector: how unnatural is each span, and how spun is the document?

A span is suspicious when some candidate original both fits the context
better (language-model gain) and is a plausible spinner source (prior).
The per-span probabilities add up to an estimate of the document's spin
rate, which works as the noisy-channel prior for the decisions: a document
with one odd word in 500 gets cautious treatment, one with a spun word in
every sentence gets bolder restoration. The strong lexicon entries give a
second, sharper rate: their spun forms never occur in clean text, so a
document without any is treated as probably clean however formal its prose.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from garble_fix import calibration
from garble_fix.candidates import Option
from garble_fix.lm import LanguageModel, Web1TBigrams
from garble_fix.rank import SpanWindow, logistic, replacement_words
from garble_fix.types import Candidate, Suspect, Token

# A swap a spinner made: (spun words, original words), lower-case LM words.
Swap = tuple[tuple[str, ...], tuple[str, ...]]

# Pseudo-counts that pull short documents toward a low rate: a tweet with one
# odd word is not evidence of a spun document.
RATE_PSEUDO_SPANS = 0.5
RATE_PSEUDO_WORDS = 60
# The strong rate's pseudo-count is a tenth of that: a clean news article
# has no strong match at all (the build checks strong forms against clean
# text), so a short text without one must look like clean text (0.05 in 60
# words is about the strong rate of a 600-word clean article), not like the
# median spun document, which 0.5 in 60 would make it.
STRONG_RATE_PSEUDO_SPANS = 0.05
# The document shift is a fitted linear function of log10(rate); clipped so a
# freak estimate can never move a prior by more than a factor of 1000.
SHIFT_LIMIT = 3.0
# Spans below this probability are not reported by analyze().
REPORT_FLOOR = 0.2
# Candidates listed per suspect, best first: past five they are noise to a reader.
REPORT_CANDIDATES = 5
# Lead of a span's only candidate (no rival to stand out from): neutral.
LONE_LEAD = 0.0
# Leads are clipped: past 3 log10 units a candidate is simply far ahead.
LEAD_CLIP = 3.0
# Peer evidence (with_peers): each other occurrence of the same swap adds its
# LM gain, clipped to [-1, 3] log10. The floor is lower in size than the
# ceiling because a spinner applies its swap blind to context: the original
# may be as awkward as the spun word in one place (a weak sign against),
# while a large gain elsewhere is a clear sign the swap is in the dictionary.
PEER_GAIN_FLOOR = -1.0
PEER_GAIN_CEILING = 3.0
# The summed peer evidence is clipped to two convincing occurrences' worth:
# a word repeated twenty times must not outweigh everything else.
PEER_CLIP = 2 * PEER_GAIN_CEILING


class ScoredOption(NamedTuple):
    """An option with its local evidence, measured with the original neighbours.

    ``gain`` is the trigram LM gain (log10), ``web_gain`` the Web 1T bigram
    count gain (log10 counts), ``lead`` how far its gain is ahead of the best
    other candidate for the same span (negative when behind): a spun word's
    original usually stands out among its candidates, while in natural text
    several candidates fit about equally. ``echo`` is 1 when a strong entry
    elsewhere in the document makes the same swap (:func:`with_echoes`);
    ``peer`` sums the LM gains of the same swap at its other occurrences in
    the document (:func:`with_peers`).
    """

    option: Option
    gain: float
    web_gain: float = 0.0
    lead: float = 0.0
    echo: float = 0.0
    peer: float = 0.0

    def odds(self, shift: float) -> float:
        """This option's evidence in log10 odds, with the document ``shift``."""
        return log10_odds(self.gain, self.option, shift, self.web_gain, self.lead, self.echo,
                          self.peer)

    def bonus(self) -> float:
        """The evidence besides the trigram gain, prior and shift (Web 1T, lead, echo,
        peer), in log10 odds: what the decoder adds to an option's prior, since it
        scores the trigram model along each path itself."""
        return log10_odds(0.0, self.option, 0.0, self.web_gain, self.lead, self.echo,
                          self.peer) - self.option.prior


def score_options(
    words: Sequence[tuple[str, ...]],
    sentences: Sequence[tuple[int, int]],
    options: Sequence[Option],
    model: LanguageModel,
    bigrams: Web1TBigrams | None = None,
    echoes: bool = True,
) -> list[ScoredOption]:
    """Local evidence for every option, each taken alone (``words``: LM words per token).

    Options are grouped by span: the context and the score of the kept words
    are the same for every candidate of a span, so they are computed once.
    ``echoes=False`` leaves out the document's other occurrences as evidence
    (strong swaps and peers: the ablation of document evidence).
    """
    bounds_of = _sentence_lookup(sentences, len(words))
    by_span: dict[tuple[int, int], list[Option]] = {}
    for option in options:
        if bounds_of[option.first][1] >= option.last:
            by_span.setdefault((option.first, option.last), []).append(option)
    scored: list[ScoredOption] = []
    for (first, last), group in by_span.items():
        window = SpanWindow(words, bounds_of[first], first, last, model, bigrams)
        scored.extend(ScoredOption(o, window.gain(o.replacement), window.web_gain(o.replacement))
                      for o in group)
    scored = with_leads(scored)
    return with_peers(with_echoes(scored, words), words) if echoes else scored


def with_peers(scored: Sequence[ScoredOption], words: Sequence[tuple[str, ...]]) -> list[ScoredOption]:
    """Fill in each option's peer evidence: the same swap's LM gains elsewhere in the document.

    A spinner applies one fixed dictionary to the whole article, so every
    "commerce" in it is the spinner's "trade", or none is. One occurrence
    where "trade" fits far better than "commerce" is evidence about the
    others, where the context alone may be too weak to tell. Natural text
    has no such pattern: its "commerce" fits where it stands. Summed over
    the other spans that make the same swap, as a phrase or, where the two
    sides have as many words, word by word ("army alliance" -> "military
    alliance" is evidence for "army" -> "military" elsewhere); a span counts
    once, with its best gain. Only curated options (lexicon, numbers) take
    part: thesaurus options come twenty to a word, and their peers cost an
    eighth of the whole run time.
    """
    found_at = {(i.option.first, i.option.last): _found_words(words, i.option)
                for i in scored if _curated(i.option)}
    # A word that stands in one span only cannot be swapped elsewhere: the
    # options over such words (most of them) have no peers, and are skipped.
    spans_with = Counter(word for found in found_at.values() for word in set(found))
    keys: list[tuple[Swap, ...]] = []
    gains: dict[Swap, dict[tuple[int, int], float]] = {}
    for item in scored:
        span = (item.option.first, item.option.last)
        found = found_at.get(span, ())
        if not _curated(item.option) or all(spans_with[word] == 1 for word in found):
            keys.append(())
            continue
        keys.append(_swap_keys(found, replacement_words(item.option.replacement)))
        for swap in keys[-1]:
            shown = gains.setdefault(swap, {})
            shown[span] = max(item.gain, shown.get(span, item.gain))
    result = []
    pools: dict[tuple[Swap, ...], _PeerPool] = {}
    for item, swaps in zip(scored, keys):
        if not swaps or (len(swaps) == 1 and len(gains[swaps[0]]) == 1):  # shown only here
            result.append(item)
            continue
        pool = pools.get(swaps)
        if pool is None:
            pool = pools[swaps] = _PeerPool([gains[swap] for swap in swaps])
        total = pool.total_outside(item.option.first, item.option.last)
        result.append(item._replace(peer=min(max(total, -PEER_CLIP), PEER_CLIP)))
    return result


class _PeerPool:
    """The spans that show one set of swaps, each with its clipped best gain, and their sum.

    Every option with the same swaps shares the pool; its peer evidence is
    the sum minus the spans that overlap it (itself, mostly), found through
    a position index. Summing the other spans afresh for every option was
    quadratic in a swap's occurrences: a long text repeating one swap a
    thousand times spent minutes here.
    """

    def __init__(self, shown: Sequence[dict[tuple[int, int], float]]) -> None:
        best: dict[tuple[int, int], float] = {}
        for spans in shown:
            for span, gain in spans.items():
                best[span] = max(gain, best.get(span, gain))
        self.clipped = {span: min(max(gain, PEER_GAIN_FLOOR), PEER_GAIN_CEILING)
                        for span, gain in best.items()}
        self.total = math.fsum(self.clipped.values())
        self.at: dict[int, list[tuple[int, int]]] = {}
        for span in self.clipped:
            for position in range(*span):
                self.at.setdefault(position, []).append(span)

    def total_outside(self, first: int, last: int) -> float:
        """Summed clipped gains of the spans that do not overlap tokens ``[first, last)``."""
        overlapping = {span for position in range(first, last) for span in self.at.get(position, ())}
        return self.total - math.fsum(self.clipped[span] for span in overlapping)


@lru_cache(maxsize=200_000)
def _swap_keys(found: tuple[str, ...], taken: tuple[str, ...]) -> tuple[Swap, ...]:
    """:func:`_swaps` as a tuple, cached: the same swaps recur in every document."""
    return tuple(sorted(_swaps(found, taken)))


def with_echoes(scored: Sequence[ScoredOption], words: Sequence[tuple[str, ...]]) -> list[ScoredOption]:
    """Mark the weak options that repeat a swap one of the document's strong options makes.

    A spinner applies one fixed dictionary word by word, so when a strong
    entry shows it turned "National Security" into "Nationwide Safety", a
    "safety" elsewhere in the same document is more likely its "security"
    too. Swaps are learned as whole phrases and, where the two sides have the
    same number of words, word by word.
    """
    learned = _learned_swaps(scored, words)
    if not learned:
        return list(scored)
    return [item._replace(echo=1.0) if _echoes(item.option, words, learned) else item
            for item in scored]


def _learned_swaps(scored: Sequence[ScoredOption], words: Sequence[tuple[str, ...]]
                   ) -> dict[Swap, list[tuple[int, int]]]:
    """The swaps the document's strong options make, with the spans that show each."""
    learned: dict[Swap, list[tuple[int, int]]] = {}
    for item in scored:
        if item.option.strong:
            span = (item.option.first, item.option.last)
            for swap in _swaps(_found_words(words, item.option),
                               replacement_words(item.option.replacement)):
                learned.setdefault(swap, []).append(span)
    return learned


def _echoes(option: Option, words: Sequence[tuple[str, ...]],
            learned: dict[Swap, list[tuple[int, int]]]) -> bool:
    """True when a weak option's swap (as a phrase, or word by word) was shown elsewhere.

    Function-word options never echo: "towards" is the spinner's "against"
    in one place and plain "towards" in the next, one shown swap says little
    about a word that common, and a wrong function word can reverse the
    sense ("turned towards China" -> "turned against China").
    """
    if option.strong or option.reason == "function-word":
        return False
    found, taken = _found_words(words, option), replacement_words(option.replacement)
    swaps = [(found, taken)] if (found, taken) in learned else []
    if not swaps and len(found) == len(taken):
        swaps = [((a,), (b,)) for a, b in zip(found, taken) if a != b]
    # Evidence must come from elsewhere: a strong option over the same words
    # is this very occurrence, not a second one.
    return bool(swaps) and all(
        any(last <= option.first or first >= option.last for first, last in learned.get(swap, ()))
        for swap in swaps)


def _found_words(words: Sequence[tuple[str, ...]], option: Option) -> tuple[str, ...]:
    """The LM words an option would replace."""
    return tuple(w for index in range(option.first, option.last) for w in words[index])


def _swaps(found: tuple[str, ...], taken: tuple[str, ...]) -> set[Swap]:
    """A strong option's swap as a phrase pair, plus its word pairs when the sides align.

    >>> sorted(_swaps(("white", "home"), ("white", "house")))
    [(('home',), ('house',)), (('white', 'home'), ('white', 'house'))]
    """
    swaps = {(found, taken)}
    if len(found) == len(taken):
        swaps.update(((a,), (b,)) for a, b in zip(found, taken) if a != b)
    return swaps


def with_leads(scored: Sequence[ScoredOption]) -> list[ScoredOption]:
    """Fill in each option's lead over the best other candidate of its span.

    A curated option (signature lexicon, number rule) is compared with the
    other curated options of its span only. The thesaurus proposes up to
    twenty generic words per span, and the best LM gain among twenty noisy
    ones is high by chance alone: measured against them, every curated
    option would look behind. A thesaurus option is compared with all.
    """
    top_two: dict[tuple[int, int, bool], list[float]] = {}
    for item in scored:
        option, gain = item.option, item.gain
        pools = (False, True) if _curated(option) else (False,)
        for curated_only in pools:
            best = top_two.get((option.first, option.last, curated_only))
            if best is None:
                top_two[(option.first, option.last, curated_only)] = [gain]
            elif len(best) == 1:
                best.insert(0 if gain > best[0] else 1, gain)
            elif gain > best[1]:
                best[:] = [gain, best[0]] if gain > best[0] else [best[0], gain]
    result = []
    for item in scored:
        best = top_two[(item.option.first, item.option.last, _curated(item.option))]
        rival = best[1] if best[0] == item.gain and len(best) > 1 else (
            best[0] if best[0] != item.gain else None)
        lead = item.gain - rival if rival is not None else LONE_LEAD
        # Built directly, not with _replace: this runs for every candidate (hot).
        result.append(ScoredOption(item.option, item.gain, item.web_gain,
                                   min(max(lead, -LEAD_CLIP), LEAD_CLIP), item.echo, item.peer))
    return result


def _curated(option: Option) -> bool:
    """Options from the curated lexicon or number rules, as opposed to thesaurus inversion."""
    return option.source != "thesaurus"


def _sentence_lookup(sentences: Sequence[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """For each token index, the sentence range that contains it."""
    lookup = [(0, size)] * size
    for bounds in sentences:
        for index in range(*bounds):
            lookup[index] = bounds
    return lookup


def log10_odds(
    gain: float, option: Option, shift: float, web_gain: float = 0.0, lead: float = 0.0,
    echo: float = 0.0, peer: float = 0.0,
) -> float:
    """Evidence that ``option`` is the original wording, in log10 odds.

    Scaled trigram gain + scaled Web 1T gain + scaled lead, echo and peer + prior +
    document shift. Strong signatures ignore the document shift: they are
    evidence of a spinner on their own, in any document.
    """
    gain_scale, web_scale, lead_scale, echo_scale, peer_scale = calibration.evidence_scales(
        option.source)
    return (gain_scale * gain + web_scale * web_gain + lead_scale * lead + echo_scale * echo
            + peer_scale * peer + option.prior + (0.0 if option.strong else shift))


def span_probabilities(scored: Sequence[ScoredOption], shift: float) -> dict[tuple[int, int], float]:
    """Probability that each span is spun: its best option's posterior."""
    best: dict[tuple[int, int], float] = {}
    for item in scored:
        option = item.option
        key = (option.first, option.last)
        best[key] = max(best.get(key, 0.0), logistic(item.odds(shift)))
    return best


def estimate_rate(scored: Sequence[ScoredOption], word_count: int) -> tuple[float, float, float]:
    """The document's spin rates and the prior shift they imply (noisy-channel prior).

    Returns ``(rate, strong_rate, shift)``: the expected share of spun spans
    per word, from the calibrated span probabilities of all options and of
    strong lexicon entries alone, and the log10-odds shift applied to
    non-strong priors, a linear function of both log10 rates fitted on
    generated documents (``corpora/build_calibration.py``): a document that is
    20 % spun gets bolder restoration than one with a single odd word. The
    strong rate is the sharper witness: strong spun forms were checked never
    to occur in clean text, while formal but natural prose ("persons",
    "declared") raises the overall rate of a clean document.
    """
    rate, strong_rate, witness = document_evidence(scored, word_count)
    bias, slope, strong_slope, witnessed = calibration.document_shift()
    shift = (bias + slope * math.log10(rate) + strong_slope * math.log10(strong_rate)
             + witnessed * witness) / math.log(10)
    return rate, strong_rate, max(-SHIFT_LIMIT, min(SHIFT_LIMIT, shift))


def document_evidence(scored: Sequence[ScoredOption], word_count: int
                      ) -> tuple[float, float, float]:
    """The inputs of the document shift: (rate, strong rate, strong witness).

    Shared by :func:`estimate_rate` and the calibration build, which fits the
    shift's weights on exactly these values.
    """
    rate = _rate(span_probabilities(scored, 0.0), word_count, RATE_PSEUDO_SPANS)
    strong = span_probabilities([i for i in scored if i.option.strong], 0.0)
    strong_rate = _rate(strong, word_count, STRONG_RATE_PSEUDO_SPANS)
    return rate, strong_rate, has_strong_witness(strong)


def has_strong_witness(strong: dict[tuple[int, int], float]) -> float:
    """1.0 when at least one strong entry is more likely spun than not, else 0.0.

    Clean text practically never has one (0.07 strong matches per 1000 words
    of held-out clean text), while a spun news article nearly always does: a
    yes/no the linear rate terms cannot express for short texts, whose rates
    are mostly pseudo-counts.
    """
    return 1.0 if any(p >= 0.5 for p in strong.values()) else 0.0


def _rate(probabilities: dict[tuple[int, int], float], word_count: int,
          pseudo_spans: float) -> float:
    """Expected spun spans per word, pulled toward a low rate for short documents."""
    return (_expected_spans(probabilities) + pseudo_spans) / (word_count + RATE_PSEUDO_WORDS)


def _expected_spans(probabilities: dict[tuple[int, int], float]) -> float:
    """Expected number of spun spans, counting overlapping spans once (greedy by probability)."""
    taken: set[int] = set()
    total = 0.0
    for (first, last), p in sorted(probabilities.items(), key=lambda kv: -kv[1]):
        if taken.isdisjoint(range(first, last)):
            taken.update(range(first, last))
            total += p
    return total


def spun_probability(rate: float, strong_rate: float) -> float:
    """Probability that a document was spun, from its estimated spin rates.

    A logistic on log10(rate) and log10(strong_rate) fitted on generated spun
    and clean documents.

    >>> spun_probability(0.003, 0.001) < spun_probability(0.08, 0.02)
    True
    """
    bias, slope, strong_slope = calibration.document_spun()
    return logistic((bias + slope * math.log10(max(rate, 1e-6))
                     + strong_slope * math.log10(max(strong_rate, 1e-6))) / math.log(10))


def unique_best(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Candidates best first, one per wording (a signature and the thesaurus may agree).

    >>> [c.text for c in unique_best([Candidate("a", 0.1, "x"), Candidate("b", 0.5, "y"),
    ...                               Candidate("a", 0.9, "z")])]
    ['a', 'b']
    """
    best: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: -c.score):
        best.setdefault(candidate.text, candidate)
    return list(best.values())


def suspects(
    tokens: Sequence[Token], text: str, scored: Sequence[ScoredOption], shift: float
) -> list[Suspect]:
    """Group scored options by span into :class:`Suspect` objects (the detector's output)."""
    groups: dict[tuple[int, int], list[Candidate]] = {}
    for item in scored:
        option = item.option
        groups.setdefault((option.first, option.last), []).append(
            Candidate(option.replacement,
                      logistic(item.odds(shift)),
                      option.source))
    found = []
    for (first, last), candidates in sorted(groups.items()):
        candidates = unique_best(candidates)
        if candidates[0].score < REPORT_FLOOR:
            continue
        start, end = tokens[first].start, tokens[last - 1].end
        found.append(Suspect(start, end, text[start:end], candidates[0].score,
                             tuple(candidates[:REPORT_CANDIDATES])))
    starts = [s.start for s in found]  # sorted: groups were visited in token order
    return [outer for outer in found
            if not any(_restates(outer, inner, text)
                       for inner in found[bisect_left(starts, outer.start):
                                          bisect_left(starts, outer.end)])]


def _restates(outer: Suspect, inner: Suspect, text: str) -> bool:
    """True when ``outer`` only repeats ``inner`` with context around it.

    The lexicon holds entries padded with context ("the White Home said" ->
    "the White House said" beside "White Home" -> "White House"); reporting
    both would list one finding twice.

    >>> inner = Suspect(4, 14, "White Home", 0.99, (Candidate("White House", 0.99, "signature"),))
    >>> outer = Suspect(0, 14, "the White Home", 0.99,
    ...                 (Candidate("the White House", 0.99, "signature"),))
    >>> _restates(outer, inner, "the White Home"), _restates(inner, outer, "the White Home")
    (True, False)
    """
    inside = outer.start <= inner.start and inner.end <= outer.end
    if not inside or (outer.start, outer.end) == (inner.start, inner.end):
        return False
    restated = text[outer.start:inner.start] + inner.candidates[0].text + text[inner.end:outer.end]
    return restated.lower() == outer.candidates[0].text.lower()
