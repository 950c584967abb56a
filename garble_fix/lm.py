"""Language models behind one small interface, so a user can plug in a bigger one.

The default is the general English trigram model that ships inside the
``pocketsphinx`` wheel (72 K words, 2 M bigrams, 1.7 M trigrams; loads in
under 0.1 s). A KenLM ``.arpa`` or binary model can be used instead through
the ``kenlm`` package (``RestoreConfig(lm_path=...)``).

Every model answers ``logprob(word, history)``: the log10 probability of
``word`` after ``history`` (oldest word first), back-off included. Words are
lower-case; ``<s>`` and ``</s>`` mark sentence boundaries.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache
from typing import Any, Protocol

from garble_fix.errors import ModelError
from garble_fix.spelling import american_spelling

# Log10 probability given to a word the model has never seen. About the
# probability of the rarest words in the pocketsphinx vocabulary (~-6.5), a
# little lower so that unknown words are never preferred over known ones.
OOV_LOG10 = -7.0

# Spoken-language models have no digits; figures are scored as this number
# word so that "in 2019" or "$350 billion" keep a plausible context.
NUMBER_STAND_IN = "twenty"

# The per-model cache of conditional probabilities is cleared past this many
# entries: a few MB, enough for the repeated contexts of a long document.
CACHE_LIMIT = 500_000


class LanguageModel(Protocol):
    """What the ranker needs from a language model."""

    order: int

    def logprob(self, word: str, history: tuple[str, ...]) -> float:
        """Log10 P(word | history), history oldest first, at most ``order - 1`` words used."""
        ...  # pragma: no cover

    def known(self, word: str) -> bool:
        """True when the word is in the model's vocabulary."""
        ...  # pragma: no cover


def lm_word(token: str) -> str:
    """Map a token to the form the model is queried with.

    >>> lm_word("Home"), lm_word("2019"), lm_word("doesn’t")
    ('home', 'twenty', "doesn't")
    """
    word = token.lower().replace("’", "'")
    if any(ch.isdigit() for ch in word):
        return NUMBER_STAND_IN
    return word


class PocketsphinxLM:
    """The trigram model bundled with the pocketsphinx wheel, queried in-process."""

    order = 3

    def __init__(self, path: str | None = None) -> None:
        try:
            from pocketsphinx import Config, LogMath, NGramModel, get_model_path
        except ImportError as exc:  # pragma: no cover - pocketsphinx is a dependency
            raise ModelError("the pocketsphinx package is needed for the default model") from exc
        if path is None:
            path = os.path.join(get_model_path(), "en-us", "en-us.lm.bin")
        if not os.path.exists(path):
            raise ModelError(f"language model file not found: {path}")
        config = Config()
        self._logmath = LogMath()
        self._model = NGramModel(config, self._logmath, path)
        self._to_log10 = self._logmath.log_to_log10
        self._cache: dict[tuple[str, ...], float] = {}
        self._unknown = self._model.prob(["<unk>"])
        self._spelled: dict[str, str] = {}

    def logprob(self, word: str, history: tuple[str, ...]) -> float:
        """Log10 P(word | last two words of history), with back-off."""
        key = (word, *history[-2:])
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        context = list(reversed(history[-2:]))
        raw = self._model.prob([word, *context])
        if raw <= self._unknown and self._spelling(word) != word:
            raw = self._model.prob([self._spelling(word), *context])
        value = OOV_LOG10 if raw <= self._unknown else max(self._to_log10(raw), OOV_LOG10)
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = value
        return value

    def known(self, word: str) -> bool:
        """True when pocketsphinx has a unigram for the word (in either spelling)."""
        return self._model.prob([self._spelling(word)]) > self._unknown

    def _spelling(self, word: str) -> str:
        """The spelling the model knows: ``word``, or its American spelling when only that
        is in the (American) vocabulary ("metres" -> "meters")."""
        spelled = self._spelled.get(word)
        if spelled is None:
            spelled = word
            if self._model.prob([word]) <= self._unknown:
                american = american_spelling(word)
                if american != word and self._model.prob([american]) > self._unknown:
                    spelled = american
            if len(self._spelled) > CACHE_LIMIT:
                self._spelled.clear()
            self._spelled[word] = spelled
        return spelled


class KenLMModel:
    """A KenLM model (ARPA or binary) through the ``kenlm`` package."""

    def __init__(self, path: str) -> None:
        if not os.path.exists(path):
            raise ModelError(f"language model file not found: {path}")
        try:
            import kenlm
        except ImportError as exc:
            raise ModelError(
                "lm_path needs the kenlm package: pip install 'garble-fix[kenlm]'"
            ) from exc
        try:
            self._model = kenlm.Model(path)
        except (OSError, RuntimeError) as exc:
            raise ModelError(f"could not load KenLM model {path}: {exc}") from exc
        self._kenlm = kenlm
        self.order = int(self._model.order)
        self._cache: dict[tuple[str, ...], float] = {}

    def logprob(self, word: str, history: tuple[str, ...]) -> float:
        """Log10 P(word | history) from KenLM's full-score API."""
        context = history[-(self.order - 1):] if self.order > 1 else ()
        key = (word, *context)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        state, out = self._kenlm.State(), self._kenlm.State()
        if context and context[0] == "<s>":
            self._model.BeginSentenceWrite(state)
            context = context[1:]
        else:
            self._model.NullContextWrite(state)
        for previous in context:
            self._model.BaseScore(state, previous, out)
            state, out = out, state
        value = self._model.BaseScore(state, word, out) if word != "<unk>" else OOV_LOG10
        value = max(value, OOV_LOG10)
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = value
        return value

    def known(self, word: str) -> bool:
        """True when the word is in the KenLM vocabulary."""
        return word in self._model


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> LanguageModel:
    """Load (once) the default pocketsphinx model, or the KenLM model at ``path``.

    Files ending in ``.lm.bin``/``.dmp`` are read by pocketsphinx, anything
    else (``.arpa``, ``.bin``, ``.klm``) by KenLM.
    """
    if path is None or path.endswith((".lm.bin", ".DMP", ".dmp")):
        return PocketsphinxLM(path)
    return KenLMModel(path)


def sequence_logprob(model: LanguageModel, words: list[str], history: tuple[str, ...]) -> float:
    """Sum of log10 P over ``words`` each after its running history.

    >>> model = load_model()
    >>> sequence_logprob(model, ["white", "house"], ("<s>", "the")) > sequence_logprob(
    ...     model, ["white", "home"], ("<s>", "the"))
    True
    """
    total = 0.0
    context = history
    for word in words:
        total += model.logprob(word, context)
        context = (*context[-2:], word)
    return total


# Web 1T bigrams below 100,000 occurrences were cut from wordsegment's list;
# an unseen pair is scored as if seen 10,000 times, a tenth of the cut-off,
# the typical count of a pair just below it in the full Web 1T data.
UNSEEN_BIGRAM_LOG10 = 4.0


class Web1TBigrams:
    """Google Web 1T bigram counts, as shipped in the ``wordsegment`` wheel.

    Web text, not speech: it knows news collocations that the bundled speech
    trigram model misses ("trade deal", "security challenges"), and its
    absence of a pair is itself evidence (every pair seen 100,000 times on the
    web is listed).
    """

    def __init__(self) -> None:
        from importlib.resources import files

        try:
            counts = _read_counts(files("wordsegment") / "bigrams.txt")
        except (ImportError, OSError) as exc:
            raise ModelError(f"could not read the wordsegment counts: {exc}") from exc
        # Stored as log10 once: pair() is called for every candidate of every span.
        self._bigrams = {pair: math.log10(count) for pair, count in counts.items() if count > 0}

    def pair(self, first: str, second: str) -> float:
        """Log10 web count of the pair "first second", with a floor for unseen pairs.

        >>> bigrams = load_bigrams()
        >>> bigrams.pair("told", "reporters") > bigrams.pair("instructed", "reporters")
        True
        """
        return self._bigrams.get(f"{first} {second}", UNSEEN_BIGRAM_LOG10)

    def listed(self, first: str, second: str) -> bool:
        """True when "first second" occurs 100,000 times or more in Web 1T (lower-case words).

        >>> load_bigrams().listed("trade", "deal"), load_bigrams().listed("commerce", "deal")
        (True, False)
        """
        return f"{first} {second}" in self._bigrams


def _read_counts(path: Any) -> dict[str, int]:
    """Read ``key<TAB>count`` lines into a dict."""
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            key, _, count = line.rstrip("\n").rpartition("\t")
            if key:
                counts[key] = int(count)
    return counts


@lru_cache(maxsize=1)
def load_bigrams() -> Web1TBigrams:
    """Load (once) the Web 1T counts shipped in ``wordsegment``."""
    return Web1TBigrams()
