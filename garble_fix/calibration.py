"""Calibrated priors for thesaurus candidates: a small logistic model.

The model is fitted by ``corpora/build_calibration.py`` on synthetic spun
text (clean Brown corpus paragraphs run through a spinner simulator, mixed
with unspun paragraphs), never on the dev set. It predicts whether a
thesaurus candidate is the original wording from: the edge type (WordNet
synset, Moby only, hypernym only), the zipf frequencies of the spun word
and the candidate, how many originals the spun word has, the candidate's
length, the language-model gain in context and the Web 1T bigram-count gain.

Every option's evidence is expressed in log10 odds:
``odds = confidence_scale() * gain + prior`` where ``gain`` is the LM gain in
log10 units and, for thesaurus edges, ``prior = (bias + w . features) / ln 10``.

A third small model calibrates the *decisions*. The option models are fitted
over every candidate, but an edit is the best of many candidates, and the
best of twenty noisy thesaurus scores is too often a lucky one: on generated
text, thesaurus edits the option model gave 0.5-0.9 improved the text in
only 6-30 % of cases, while lexicon edits were about as good as their odds
said. So each decided edit's log odds go through a per-group Platt map
(``decision_probability``), fitted on the edits the restorer makes in the
calibration documents, with "the edit brings the text closer to the
original" as the label. That is the confidence an :class:`Edit` reports.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib.resources import files
from typing import Any

from garble_fix.errors import DataError

__all__ = ["DataError", "confidence_scale", "decision_probability", "evidence_scales",
           "signature_prior", "thesaurus_features", "thesaurus_prior", "weights"]

FORMAT = "garble_fix-calibration/1"
# The LM gain already compares the frequencies of the spun word and the
# candidate in context, so the zipf frequencies are not features of their own
# (fitted on the simulator they only learned how the simulator picks words).
FEATURES = ("synset", "moby_only", "log_fan_in", "extra_words")
SYNSET_BITS = 1 | 4   # WordNet 3.0 or 3.1 same synset (bits of corpora/build_thesaurus.py)
HYPERNYM_BITS = 2
MOBY_BITS = 8


# Evidence of every option (detect.ScoredOption): trigram gain, Web 1T gain,
# lead over rival candidates, echo (the document's strong entries make the
# same word swap, see detect.with_echoes) and peer (the same swap's gains at
# its other occurrences, see detect.with_peers).
EVIDENCE = ("gain", "web_gain", "lead", "echo", "peer")
# The signature model is fitted on weak entries only and has no features
# besides the evidence. A strong entry's spun form was checked never to occur
# in clean English, so its prior comes from that check instead: 100:1 for
# restoring it, which the context can still overturn when the restored
# wording is far less fluent.
SIGNATURE_FEATURES: tuple[str, ...] = ()
STRONG_SIGNATURE_PRIOR = 2.0


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    """The fitted models: ``thesaurus`` and ``signature`` weights (natural-log odds per
    unit), the ``document`` model and the ``decision`` maps."""
    path = files("garble_fix") / "data" / "calibration.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"calibration table missing or unreadable: {path} ({exc}); "
                        "rebuild it with python corpora/build_calibration.py") from exc
    needed = {"weights": {*FEATURES, "bias", *EVIDENCE},
              "signature_weights": {*SIGNATURE_FEATURES, "bias", *EVIDENCE}}
    if data.get("format") != FORMAT or any(set(data.get(k, {})) < v for k, v in needed.items()):
        raise DataError(f"calibration table {path} has the wrong format; expected {FORMAT}")
    document = data.get("document", {})
    if set(document) < set(DOCUMENT_FIELDS):
        raise DataError(f"calibration table {path} lacks the document model; rebuild it")
    decision = data.get("decision", {})
    if any(set(decision.get(group, {})) < {"bias", "slope"} for group in DECISION_GROUPS):
        raise DataError(f"calibration table {path} lacks the decision model; rebuild it")
    return {"thesaurus": {k: float(v) for k, v in data["weights"].items()},
            "signature": {k: float(v) for k, v in data["signature_weights"].items()},
            "document": {k: float(document[k]) for k in DOCUMENT_FIELDS},
            "decision": {g: {k: float(decision[g][k]) for k in ("bias", "slope")}
                         for g in DECISION_GROUPS}}


# The document model: natural-log odds linear in log10 of the estimated spin
# rate and of the strong-entry rate, once as a shift of every non-strong
# prior, once as P(document is spun).
# The shift also has a yes/no input: whether any strong entry is more likely
# spun than not (detect.has_strong_witness).
DOCUMENT_FIELDS = ("shift_bias", "shift_slope", "shift_strong", "shift_witness", "spun_bias",
                   "spun_slope", "spun_strong")


def document_shift() -> tuple[float, float, float, float]:
    """(bias, slope, strong slope, witness weight): natural-log-odds shift of non-strong
    priors per log10(rate), per log10(strong rate), and for a strong witness."""
    d = _table()["document"]
    return d["shift_bias"], d["shift_slope"], d["shift_strong"], d["shift_witness"]


def document_spun() -> tuple[float, float, float]:
    """(bias, slope, strong slope): natural-log odds that a document is spun, per
    log10(rate) and per log10(strong rate)."""
    d = _table()["document"]
    return d["spun_bias"], d["spun_slope"], d["spun_strong"]


# Decided edits are calibrated in two groups: thesaurus edits (best of many
# generated candidates) and curated ones (signature, function word, name,
# number, contraction: one or a few listed originals per span). The curated
# kinds are pooled because names, numbers and contractions are too few in
# the generated documents to fit on their own.
DECISION_GROUPS = ("thesaurus", "curated")
# Before a decision model is fitted, decisions keep the option models' odds.
IDENTITY_DECISION = {"bias": 0.0, "slope": 1.0}


def decision_group(source: str) -> str:
    """The decision-calibration group of an option source or an edit reason.

    >>> decision_group("thesaurus+context"), decision_group("function-word")
    ('thesaurus', 'curated')
    """
    return "thesaurus" if source.startswith("thesaurus") else "curated"


def decision_probability(source: str, log10_odds: float) -> float:
    """Calibrated probability that a decided edit brings the text closer to the original.

    ``log10_odds`` is the decided option's evidence (prior, document shift,
    trigram and Web 1T gains), mapped by its group's fitted :func:`platt`.
    """
    fitted: dict[str, float] = _table()["decision"][decision_group(source)]
    return platt(fitted, log10_odds)


def platt(fitted: dict[str, float], log10_odds: float) -> float:
    """``logistic(bias + slope * ln odds)``: a Platt map of log10 odds to a probability.

    >>> round(platt(IDENTITY_DECISION, 0.0), 2), round(platt({"bias": -2.0, "slope": 1.0}, 0.0), 2)
    (0.5, 0.12)
    """
    x = fitted["bias"] + fitted["slope"] * log10_odds * math.log(10)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


def install(table: dict[str, Any]) -> None:
    """Use ``table`` (the shape :func:`_table` returns) instead of the shipped file.

    Only for ``corpora/build_calibration.py``, which needs the models it is
    fitting to estimate document rates.
    """
    global _table
    _table = lambda: table  # type: ignore[assignment]  # noqa: E731
    _scales.cache_clear()
    thesaurus_prior.cache_clear()


def weights(model: str = "thesaurus") -> dict[str, float]:
    """The fitted weights of the ``thesaurus`` or ``signature`` model."""
    fitted: dict[str, float] = _table()[model]
    return fitted


def evidence_scales(source: str) -> tuple[float, float, float, float, float]:
    """log10 odds per unit of (trigram gain, Web 1T gain, lead, echo, peer) for options of
    ``source``.

    Thesaurus options use the thesaurus model; signature and number options
    the signature model (both are curated substitutions).
    """
    return _scales("thesaurus" if source == "thesaurus" else "signature")


@lru_cache(maxsize=2)
def _scales(model: str) -> tuple[float, float, float, float, float]:
    w = weights(model)
    return tuple(w[name] / math.log(10) for name in EVIDENCE)  # type: ignore[return-value]


def signature_prior(strong: bool) -> float:
    """Prior log10 odds of a signature option before its evidence."""
    if strong:
        return STRONG_SIGNATURE_PRIOR
    return weights("signature")["bias"] / math.log(10)


@lru_cache(maxsize=10_000)
def thesaurus_features(bits: int, fan_in: int, extra_words: int) -> tuple[float, ...]:
    """Feature vector of one thesaurus edge, in the order of :data:`FEATURES`.

    >>> thesaurus_features(8, 40, 0)
    (0.0, 1.0, 1.6128, 0.0)
    """
    synset = 1.0 if bits & SYNSET_BITS else 0.0
    moby_only = 1.0 if (bits & MOBY_BITS) and not bits & (SYNSET_BITS | HYPERNYM_BITS) else 0.0
    return (synset, moby_only, round(math.log10(1 + fan_in), 4), float(extra_words))


@lru_cache(maxsize=10_000)
def thesaurus_prior(features: tuple[float, ...]) -> float:
    """Prior log10 odds of a thesaurus edge, before the LM gain (see module doc)."""
    w = weights()
    logit = w["bias"] + sum(w[name] * value for name, value in zip(FEATURES, features))
    return logit / math.log(10)


def confidence_scale(source: str = "thesaurus") -> float:
    """log10 odds per log10 unit of trigram LM gain, for options of ``source``."""
    return evidence_scales(source)[0]
