"""Candidate generation: which original wording could the spinner have replaced?

Three sources, each giving :class:`Option` objects over token ranges:

- the curated spinner-signature lexicon (multiword paraphrases, function-word
  swaps, damaged names, contractions), matched over tokens;
- thesaurus inversion: for a spun word, the words whose synonym lists
  contain it (WordNet + Moby), re-inflected to the spun word's form;
- number rules ("fifteen%" -> "15%").

Every option carries a prior (log10 odds that the span is spinner output of
this original, before context); the ranker adds language-model evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from garble_fix import calibration, morphology, numbers, signatures, spelling, thesaurus
from garble_fix.config import RestoreConfig
from garble_fix.tokens import is_sentence_start, normalize
from garble_fix.types import Token

# --- priors, log10 odds -------------------------------------------------------
# Signature priors (strong or weak entry) come from the calibration table.
# Later alternatives of an entry ("towards|against") are listed as less
# likely: each step down the list halves the odds.
ALTERNATIVE_PENALTY = 0.3
# Originals are ordinary news vocabulary: a candidate rarer than this zipf
# is almost never what an article said and only adds false alarms.
MIN_ORIGINAL_ZIPF = 3.0
# A candidate this similar in spelling to the spun word (rapidfuzz normalised
# Indel similarity) is a spelling variant ("kilometres"/"kilometers",
# "towards"/"toward"), not a spinner's synonym swap: changing it would only
# impose a house style.
SPELLING_VARIANT_SIMILARITY = 0.8
# Strong lexicon matches inside a document's quotations that show its
# spinner rewrote all its quotes (see spun_quote_mask). Two, so that a single
# odd phrase in a quote, the one way a strong entry can match natural
# English, never opens every quotation of an article on its own: one opens
# only the quotation it stands in.
QUOTE_WITNESSES = 2
# Figures: "fifteen%" is never edited style; "the 2 neighbors" rarely is.
STRONG_NUMBER_PRIOR = 3.0
WEAK_NUMBER_PRIOR = 0.5

# Words the thesaurus never replaces: the most frequent function words. Their
# synonyms are dominated by other senses ("in" -> "inch"), and function-word
# swaps are covered by curated signature entries instead.
FUNCTION_WORDS = frozenset(
    """a an the and or but nor so yet of to in on at by for with from as into onto
    upon than that this these those there here it its it's he she they we you i me him
    her them us my your our their his hers ours theirs mine yours who whom whose which
    what when where why how is are was were be been being am do does did done have has
    had having will would shall should can could may might must not no yes if then
    else also very just only all any some each every both either neither one ones
    about over under up down out off again once more most less least such own same
    too s t don't won't isn't aren't wasn't weren't""".split()
)

# URLs, e-mail addresses and inline code. The address pattern only starts at
# the beginning of a run of address characters (look-behind), so a long run
# without "@" costs linear, not quadratic, time.
URL_RE = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|`[^`\n]*`")

REASON_BY_FAMILY = {
    "name": "name",
    "number": "number",
    "function": "function-word",
    "contraction": "contraction",
    "phrase": "signature",
    "word": "signature",
    "tortured": "tortured-phrase",
}


class Option(NamedTuple):
    """Replace tokens ``[first, last)`` by ``replacement`` (literal text, case applied)."""

    first: int
    last: int
    replacement: str
    source: str
    reason: str
    prior: float
    strong: bool
    features: tuple[float, ...] = ()


def generate(tokens: Sequence[Token], text: str, config: RestoreConfig,
             number_rules: bool = True) -> list[Option]:
    """All candidate restorations for a token list, from every enabled source.

    ``number_rules=False`` leaves out the number rules (:func:`number_options`)
    but keeps the lexicon's number entries: ``corpora/build_calibration.py``
    fits its models on lexicon and thesaurus options, which its generated
    text has, and the number rules have their own fixed priors.
    """
    matches = signatures.load_signatures().find(tokens, text) if config.use_signatures else []
    quoted = quote_mask(tokens, text)
    reasons = protection(tokens, text, matches, quoted)
    protected = [bool(reason) for reason in reasons]
    names = [reason == "name" for reason in reasons]
    options: list[Option] = []
    if config.use_signatures:
        british = spelling.british_style(t.text for t in tokens)
        options.extend(o for o in signature_options(tokens, text, protected, matches, quoted, names,
                                                    british)
                       if config.use_numbers or o.reason != "number")
    if config.use_numbers and number_rules:
        options.extend(number_options(tokens, text))
    if config.use_thesaurus:
        options.extend(thesaurus_options(tokens, text, protected, config))
    return options


def protected_tokens(
    tokens: Sequence[Token], text: str, matches: Sequence[signatures.SignatureMatch] = (),
    quoted: Sequence[bool] | None = None,
) -> list[bool]:
    """Mark tokens the thesaurus must not touch: inside quotes, URLs, code or names.

    Quoted speech is left to strong signatures only: spinners of this kind
    often leave quotations alone, and quotes are where natural but unusual
    wording lives. But some spinners rewrite quotes like the narrative: the
    document's signature ``matches`` show which quotes were rewritten
    (:func:`spun_quote_mask`), and those are not protected. Capitalised
    words inside a sentence are names. ``quoted`` is :func:`quote_mask` of
    the tokens if already computed.
    """
    return [bool(reason) for reason in protection(tokens, text, matches, quoted)]


def protection(
    tokens: Sequence[Token], text: str, matches: Sequence[signatures.SignatureMatch] = (),
    quoted: Sequence[bool] | None = None,
) -> list[str]:
    """Why each token is protected (:func:`protected_tokens`): "url", "quote", "name" or ""."""
    spans = [(m.start(), m.end()) for m in URL_RE.finditer(text)]
    if quoted is None:
        quoted = quote_mask(tokens, text)
    spun = spun_quote_mask(matches, quoted)
    reasons = []
    span_index = 0  # tokens and spans are both in text order: one sweep
    for index, token in enumerate(tokens):
        while span_index < len(spans) and spans[span_index][1] <= token.start:
            span_index += 1
        if span_index < len(spans) and spans[span_index][0] <= token.start:
            reasons.append("url")
        elif quoted[index] and not spun[index]:
            reasons.append("quote")
        elif name_like(tokens, index, text):
            reasons.append("name")
        else:
            reasons.append("")
    return reasons


def name_like(tokens: Sequence[Token], index: int, text: str) -> bool:
    """True for a capitalised word inside a sentence, or a word in capitals: part of a name."""
    token = tokens[index]
    return (token.text[:1].isupper() and not is_sentence_start(tokens, index, text)
            and not _line_start(tokens, index, text)) or token.text.isupper()


def spun_quote_mask(matches: Sequence[signatures.SignatureMatch], quoted: Sequence[bool]
                    ) -> list[bool]:
    """True for quoted tokens of quotations the spinner evidently rewrote.

    The witnesses are strong lexicon matches inside quotes, counted without
    overlaps ("in entrance of" and "in entrance" are one). Strong spun forms
    never occur in clean English, and inside quotes none matched in the clean
    benchmark text (lee 1-150, 2,000 Brown paragraphs, 3,000 nlp-corpus
    sentences: 14,800 quoted words); the real spun article of the dev set
    left its quotes alone and has none either. A witness marks its own
    quotation as spun; :data:`QUOTE_WITNESSES` of them mark every quotation
    of the document (a spinner that rewrites some quotes rewrites them all).
    """
    quotations = quotation_spans(quoted)
    quotation_of = [-1] * len(quoted)  # token -> index of its quotation (a linear lookup)
    for number, (first, last) in enumerate(quotations):
        quotation_of[first:last] = [number] * (last - first)
    witnessed: set[tuple[int, int]] = set()
    witnesses, covered_to = 0, -1
    for match in matches:  # ordered by start (SignatureLexicon.find)
        if match.entry.strength != "strong" or match.first < covered_to:
            continue
        number = quotation_of[match.first]
        if number >= 0 and quotation_of[match.last - 1] == number:
            witnessed.add(quotations[number])
            witnesses += 1
            covered_to = match.last
    if witnesses >= QUOTE_WITNESSES:
        return list(quoted)
    spun = [False] * len(quoted)
    for first, last in witnessed:
        spun[first:last] = [True] * (last - first)
    return spun


def quotation_spans(quoted: Sequence[bool]) -> list[tuple[int, int]]:
    """Token ranges ``[first, last)`` of the runs of quoted tokens.

    >>> quotation_spans([False, True, True, False, True])
    [(1, 3), (4, 5)]
    """
    spans, first = [], None
    for index, flag in enumerate([*quoted, False]):
        if flag and first is None:
            first = index
        elif not flag and first is not None:
            spans.append((first, index))
            first = None
    return spans


def _line_start(tokens: Sequence[Token], index: int, text: str) -> bool:
    """True when only whitespace with a newline separates the token from the previous one."""
    if index == 0:
        return True
    return "\n" in text[tokens[index - 1].end:tokens[index].start]


def quote_mask(tokens: Sequence[Token], text: str) -> list[bool]:
    """True for tokens inside a quotation (double quotes, or curly single quotes).

    A quotation ends at a line break at the latest. News style leaves a quote
    that runs on into the next paragraph unclosed and opens it again there,
    so carrying the state across the break would turn every later paragraph
    inside out (narrative taken for quotation and back).

    British outlets quote speech in single quotes (‘…’), and their spun
    copies reach us too. ``’`` is also the apostrophe, so single quotes are
    read cautiously (:func:`opens_single_quote`, :func:`closes_single_quote`);
    straight single quotes are not read at all. Quotations nest: closing one
    closes what was left open inside it, but not the quotation around it.

    >>> from garble_fix.tokens import tokenize
    >>> text = '"We will win.' + chr(10) + '"It is a good day," he said. Rain fell.'
    >>> [t.text for t, q in zip(tokenize(text), quote_mask(tokenize(text), text)) if q]
    ['"', 'We', 'will', 'win', '.', '"', 'It', 'is', 'a', 'good', 'day', ',', '"']
    >>> text = "‘It’s the players’ day,’ he said."
    >>> [t.text for t, q in zip(tokenize(text), quote_mask(tokenize(text), text)) if q]
    ['‘', 'It’s', 'the', 'players', '’']
    """
    mask = []
    open_kinds: list[str] = []  # the quotations open at this token, outermost first
    for index, token in enumerate(tokens):
        if index and "\n" in text[tokens[index - 1].end:token.start]:
            open_kinds.clear()
        kind, opens = _quote_mark(text, token, open_kinds)
        if kind is None:
            mask.append(bool(open_kinds))
            continue
        mask.append(True)
        if opens:
            open_kinds.append(kind)
        elif kind in open_kinds:  # closing a quotation also closes any left open inside it
            del open_kinds[len(open_kinds) - 1 - open_kinds[::-1].index(kind):]
    return mask


def _quote_mark(text: str, token: Token, open_kinds: Sequence[str]) -> tuple[str | None, bool]:
    """(kind, opens) of a quotation mark at ``token``, or ``(None, False)`` for any other token.

    ``kind`` is "double" or "single"; ``opens`` is False for a closing mark.
    A straight double quote closes a double quotation when one is open and
    opens one otherwise; an opening mark inside an open quotation of its
    kind is not a new one.
    """
    mark = token.text
    if mark in ("“", "”", '"'):
        if "double" in open_kinds:
            return ("double", False) if mark != "“" else (None, False)
        return "double", mark != "”"  # a stray ” closes nothing but is still a quote mark
    if mark == "‘" and "single" not in open_kinds and opens_single_quote(text, token):
        return "single", True
    if mark == "’" and "single" in open_kinds and closes_single_quote(text, token):
        return "single", False
    return None, False


# Characters after which a ‘ can open a quotation: start of text, space, or
# an opening mark or dash ("(‘", "—‘", "“‘" for a quote within a quote).
SINGLE_QUOTE_OPENERS = frozenset("([{“\"—–-:")


def opens_single_quote(text: str, token: Token) -> bool:
    """True when ``‘`` at ``token`` opens a quotation rather than eliding letters.

    It must stand at the start of a word (after a space, a line start or an
    opening mark) and touch a letter: "‘90s" and "rock ‘n’ roll" (a digit
    after it, or a lone letter closed at once) are elisions written with the
    wrong quote, and a quotation opened there would protect the rest of the
    paragraph.

    >>> from garble_fix.types import Token
    >>> opens_single_quote("said ‘We won’", Token("‘", 5, 6))
    True
    >>> opens_single_quote("the ‘90s", Token("‘", 4, 5)), opens_single_quote("rock ‘n’ roll", Token("‘", 5, 6))
    (False, False)
    """
    before = text[token.start - 1] if token.start else " "
    after = text[token.end:token.end + 2]
    if not (before.isspace() or before in SINGLE_QUOTE_OPENERS):
        return False
    return after[:1].isalpha() and not (len(after) == 2 and after[1] == "’")


def closes_single_quote(text: str, token: Token) -> bool:
    """True when ``’`` at ``token`` can close a quotation: no letter or digit follows it.

    "It’s" is one token, so an apostrophe inside a word never gets here. A
    plural possessive ("the players’ union") does close the quotation early;
    that leaves the rest of the quote unprotected, as every single-quoted
    quote was before they were read at all.
    """
    after = text[token.end:token.end + 1]
    return not after.isalnum()


def signature_options(
    tokens: Sequence[Token], text: str, protected: Sequence[bool],
    matches: Sequence[signatures.SignatureMatch] | None = None,
    quoted: Sequence[bool] | None = None,
    names: Sequence[bool] | None = None,
    british: bool = False,
) -> list[Option]:
    """Options from the curated lexicon; weak entries are skipped inside protected spans.

    ``matches`` (the lexicon's matches in ``tokens``) and ``quoted``
    (:func:`quote_mask`) are computed here unless already known.
    Weak contractions stay unexpanded inside quotes even where quotes are
    not protected: speech is full of natural "it's" and "we've".
    Inside a name (``names``: tokens protected as capitalised words only), a
    weak word entry may still restore one of the :data:`NAME_WORDS`
    (:func:`name_word_replacements`). In a document in British spelling
    (``british``), an entry listing both spellings of an original offers the
    British one only (:func:`spelling.british_forms`).
    """
    options = []
    if matches is None:
        matches = signatures.load_signatures().find(tokens, text)
    if names is not None:
        names = names_without_entries(names, matches)
    if quoted is None:
        quoted = quote_mask(tokens, text)
    for match in matches:
        strong = match.entry.strength == "strong"
        span = slice(match.first, match.last)
        replacements = spelling.british_forms(match.replacements) if british else match.replacements
        if not strong and any(protected[span]) and match.entry.family != "name":
            replacements = name_word_replacements(match, replacements, tokens, names)
        if not strong and match.entry.family == "contraction" and any(quoted[span]):
            continue
        reason = REASON_BY_FAMILY.get(match.entry.family, "signature")
        for rank, replacement in enumerate(replacements):
            prior = calibration.signature_prior(strong) - ALTERNATIVE_PENALTY * rank
            options.append(Option(match.first, match.last, replacement, "signature",
                                  reason, prior, strong))
    return options


# Words institutions, events and places are named with. A spinner damages
# such names word by word ("the Australian Authorities" for "the Australian
# Government", "Safety Intelligence Organisation" for "Security Intelligence
# Organisation"); the lexicon's name entries cover the common names, not
# every one. Inside a capitalised name, a weak single-word entry may restore
# one of these words, and the context model must still prefer it. A closed
# list, so that a name word is never restored to an ordinary one.
NAME_WORDS = frozenset("""
    government authority security defence defense army navy military forces
    guard police justice cabinet commission council committee parliament
    assembly congress senate court tribunal department ministry office agency
    bureau service board union party university college institute institution
    school academy hospital bank reserve fund exchange trade health space
    energy environment education labour labor workers employees industry
    industrial relations affairs interior foreign home national international
    federal general test football team club league centre center house
    foundation association organisation organization society corporation
""".split())


def names_without_entries(names: Sequence[bool], matches: Sequence[signatures.SignatureMatch]
                          ) -> list[bool]:
    """``names`` without the tokens a strong entry covers: it restores the whole name
    ("White Home" -> "White House"), and a word of it would only restate that."""
    free = list(names)
    for match in matches:
        if match.entry.strength == "strong":
            free[match.first:match.last] = [False] * (match.last - match.first)
    return free


def name_word_replacements(match: signatures.SignatureMatch, replacements: tuple[str, ...],
                           tokens: Sequence[Token], names: Sequence[bool] | None
                           ) -> tuple[str, ...]:
    """The ``replacements`` of a weak match inside a name that restore a :data:`NAME_WORDS` word.

    Only a one-word entry of the word family, on a word protected as part
    of a name and no more, next to another capitalised word (a name has two
    words at least): "Authorities" in "the Australian Authorities", not a
    capitalised word on its own nor one inside a quote.
    """
    if (names is None or match.entry.family != "word" or match.last - match.first != 1
            or not names[match.first]):
        return ()
    neighbours = [tokens[i] for i in (match.first - 1, match.first + 1) if 0 <= i < len(tokens)]
    if not any(t.text[:1].isupper() and t.is_word for t in neighbours):
        return ()
    return tuple(r for r in replacements if r.lower() in NAME_WORDS)


def number_options(tokens: Sequence[Token], text: str) -> list[Option]:
    """Options from the figure/word rules in :mod:`garble_fix.numbers`."""
    return [
        Option(fix.first, fix.last, fix.replacement, "number", "number",
               STRONG_NUMBER_PRIOR if fix.strength == "strong" else WEAK_NUMBER_PRIOR,
               fix.strength == "strong")
        for fix in numbers.find_number_fixes(tokens, text)
    ]


def thesaurus_options(
    tokens: Sequence[Token], text: str, protected: Sequence[bool], config: RestoreConfig
) -> list[Option]:
    """Single-word and multiword thesaurus-inversion options for unprotected words."""
    options: list[Option] = []
    sources = tuple(config.thesaurus_sources)
    for index, token in enumerate(tokens):
        if protected[index] or not token.text.isalpha():
            continue
        word = normalize(token.text)
        if word in FUNCTION_WORDS:
            continue
        for original, prior, features in word_candidates(word, sources, config.max_candidates):
            options.append(Option(index, index + 1, match_case(original, token.text),
                                  "thesaurus", "thesaurus+context", prior, False, features))
    options.extend(phrase_thesaurus_options(tokens, protected, sources, config.max_candidates))
    return options


def phrase_thesaurus_options(
    tokens: Sequence[Token], protected: Sequence[bool], sources: tuple[str, ...], limit: int
) -> list[Option]:
    """Multiword spun heads ("take care of") inverted to their originals."""
    options: list[Option] = []
    longest = min(thesaurus.max_head_tokens(), 4)
    for first in range(len(tokens)):
        for length in range(2, longest + 1):
            last = first + length
            span = tokens[first:last]
            if last > len(tokens) or any(protected[first:last]):
                break
            if not all(t.text.isalpha() for t in span):
                break
            phrase = " ".join(normalize(t.text) for t in span)
            if all(w in FUNCTION_WORDS for w in phrase.split()) or not thesaurus.has_head(phrase):
                continue  # "on the" is not "alert": function-word runs are the lexicon's job
            for original, prior, features in phrase_candidates(phrase, sources, limit):
                options.append(Option(first, last, match_case(original, span[0].text),
                                      "thesaurus", "thesaurus+context", prior, False, features))
    return options


@lru_cache(maxsize=50_000)
def word_candidates(
    word: str, sources: tuple[str, ...], limit: int
) -> tuple[tuple[str, float, tuple[float, ...]], ...]:
    """Best ``limit`` originals for a spun single word, re-inflected: (text, prior, features).

    >>> originals = [c[0] for c in word_candidates("despatched", ("wordnet", "moby"), 12)]
    >>> "sent" in originals
    True
    """
    readings = morphology.analyses(word) or ((word, "NN"),)
    edges = [(lemma, tag, original, bits) for lemma, tag in readings
             for original, bits in thesaurus.inverse_candidates(lemma, sources, by_frequency=True)]
    fan_in = len({original for _, _, original, _ in edges})
    chosen: dict[str, tuple[float, tuple[float, ...]]] = {}
    # Most frequent originals first: an article's wording is ordinary news
    # vocabulary, and the edge type says little. Measured among spun words
    # whose original the thesaurus has at all: the 20 most frequent hold it
    # for about a third of simulated swaps and about two thirds of the seed
    # article's, against far fewer when ranked by edge strength first.
    for _lemma, tag, lemma_original, bits in edges:
        original = morphology.inflect(lemma_original, tag)
        if original is None or original in chosen or not distinct_wording(word, original):
            continue
        if original in FUNCTION_WORDS:
            continue  # a content word was not spun from "was" or "be": too generic to trust
        if zipf(original) < MIN_ORIGINAL_ZIPF:
            continue
        features = calibration.thesaurus_features(bits, fan_in, original.count(" "))
        chosen[original] = (calibration.thesaurus_prior(features), features)
        if len(chosen) == limit:
            break
    return tuple((text, prior, features) for text, (prior, features) in chosen.items())


@lru_cache(maxsize=20_000)
def phrase_candidates(
    phrase: str, sources: tuple[str, ...], limit: int
) -> tuple[tuple[str, float, tuple[float, ...]], ...]:
    """Best originals for a multiword spun head, as they are (no re-inflection)."""
    edges = thesaurus.inverse_candidates(phrase, sources, by_frequency=True)
    chosen: dict[str, tuple[float, tuple[float, ...]]] = {}
    for original, bits in edges:
        if original in chosen or not distinct_wording(phrase, original) or \
                zipf(original) < MIN_ORIGINAL_ZIPF:
            continue
        features = calibration.thesaurus_features(bits, len(edges), original.count(" "))
        chosen[original] = (calibration.thesaurus_prior(features), features)
        if len(chosen) == limit:
            break
    return tuple((text, prior, features) for text, (prior, features) in chosen.items())


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of an English word or phrase, cached: the same common
    originals ("make", "take") come up for many spun words, and wordfreq
    re-tokenises its input on every call."""
    return float(zipf_frequency(word, "en"))


def distinct_wording(spun: str, original: str) -> bool:
    """False for candidates that are not a different wording of the spun text.

    Rules out the spun text itself, spelling variants, and a phrase that only
    drops or adds words ("citizens committee" -> "committee"), which would
    change the meaning rather than undo a synonym swap.

    >>> distinct_wording("instructed", "told"), distinct_wording("kilometres", "kilometers")
    (True, False)
    >>> distinct_wording("citizens committee", "committee")
    False
    """
    if spun == original or original in spun.split() or spun in original.split():
        return False
    spun_words, original_words = set(spun.split()), set(original.split())
    if len(spun_words) > 1 and (spun_words <= original_words or original_words <= spun_words):
        return False
    return fuzz.ratio(spun, original) / 100 < SPELLING_VARIANT_SIMILARITY


def match_case(replacement: str, found: str) -> str:
    """Give the replacement the case pattern of the text it replaces.

    >>> match_case("told", "Instructed"), match_case("told", "INSTRUCTED"), match_case("told", "instructed")
    ('Told', 'TOLD', 'told')
    """
    if len(found) > 1 and found.isupper():
        return replacement.upper()
    if found[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
