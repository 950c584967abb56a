"""Calibrated priors for thesaurus candidates: a small logistic model.

The model is fitted by ``corpora/build_calibration.py`` on synthetic spun
text (clean Brown corpus paragraphs run through a spinner simulator, mixed
with unspun paragraphs), never on the dev set. It predicts whether a
thesaurus candidate is the original wording from: the edge type (WordNet
synset, Moby only, hypernym only), the zipf frequencies of the spun word
and the candidate, how many originals the spun word has, the candidate's
length, and the language-model gain in context.

Every option's evidence is expressed in log10 odds:
``odds = confidence_scale() * gain + prior`` where ``gain`` is the LM gain in
log10 units and, for thesaurus edges, ``prior = (bias + w . features) / ln 10``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib.resources import files

from garble_fix.errors import DataError

__all__ = ["DataError", "confidence_scale", "thesaurus_features", "thesaurus_prior", "weights"]

FORMAT = "garble_fix-calibration/1"
# The LM gain already compares the frequencies of the spun word and the
# candidate in context, so the zipf frequencies are not features of their own
# (fitted on the simulator they only learned how the simulator picks words).
FEATURES = ("synset", "moby_only", "log_fan_in", "extra_words")
SYNSET_BITS = 1 | 4   # WordNet 3.0 or 3.1 same synset (bits of corpora/build_thesaurus.py)
HYPERNYM_BITS = 2
MOBY_BITS = 8


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    """The fitted weights (natural-log odds per unit of each feature), with ``bias`` and ``gain``."""
    path = files("garble_fix") / "data" / "calibration.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"calibration table missing or unreadable: {path} ({exc}); "
                        "rebuild it with python corpora/build_calibration.py") from exc
    if data.get("format") != FORMAT or set(data.get("weights", {})) < {*FEATURES, "bias", "gain"}:
        raise DataError(f"calibration table {path} has the wrong format; expected {FORMAT}")
    return {k: float(v) for k, v in data["weights"].items()}


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


def confidence_scale() -> float:
    """log10 odds per log10 unit of LM gain (the fitted weight of the gain)."""
    return weights()["gain"] / math.log(10)
