"""Options for :func:`garble_fix.restore`, gathered in one immutable object.

After ftfy's ``TextFixerConfig``: a NamedTuple with defaults, and keyword
arguments merged into it by :func:`config_from_kwargs`, which rejects unknown
names and wrong types with a clear error instead of ignoring them.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class RestoreConfig(NamedTuple):
    """How boldly and with which resources to restore.

    Attributes:
        aggressiveness: 0.0 (only near-certain restorations) to 1.0 (bold).
            0.5 is tuned so that clean news gets well under one false edit
            per 1000 words. It shifts the decision threshold of the ranker.
        use_signatures: use the curated spinner-signature lexicon.
        use_thesaurus: use thesaurus inversion (WordNet + Moby) candidates.
        thesaurus_sources: which thesaurus edges to invert: any of
            ``"wordnet"`` and ``"moby"``. Benchmarks restrict this so that a
            simulated spinner and the restorer do not share a source.
        use_numbers: restore number words spun from figures ("fifteen%").
        document_evidence: let the document's overall spun score make
            decisions bolder or more cautious (noisy-channel spin rate).
        joint: decide runs of adjacent suspicious words jointly (beam search)
            rather than one word at a time.
        lm_path: path to a KenLM ``.arpa``/``.bin`` model to use instead of
            the bundled pocketsphinx trigram model; ``None`` for the default.
        max_candidates: how many thesaurus candidates per word reach the
            language model (the rest are pruned by prior). 10: candidates
            ranked 11-20 changed no restoration on the dev, blind, clean or
            held-out generated text, and scoring them took 40 % of the time.
        protect_names: leave capitalised words inside sentences alone unless
            a signature lexicon entry covers them (names are rarely spun
            correctly, so evidence from the LM alone is not enough).
        max_document_chars: longer inputs are processed paragraph by
            paragraph in chunks of at most this many characters.
    """

    aggressiveness: float = 0.5
    use_signatures: bool = True
    use_thesaurus: bool = True
    thesaurus_sources: tuple[str, ...] = ("wordnet", "moby")
    use_numbers: bool = True
    document_evidence: bool = True
    joint: bool = True
    lm_path: str | None = None
    max_candidates: int = 10
    protect_names: bool = True
    max_document_chars: int = 200_000


KNOWN_SOURCES = frozenset({"wordnet", "moby"})


def config_from_kwargs(config: RestoreConfig | None, **kwargs: Any) -> RestoreConfig:
    """Merge keyword options into a config, checking names and types.

    >>> config_from_kwargs(None, aggressiveness=0.8).aggressiveness
    0.8
    >>> config_from_kwargs(None, aggresiveness=0.8)
    Traceback (most recent call last):
    ...
    TypeError: unknown option 'aggresiveness'; known options: aggressiveness, use_signatures, use_thesaurus, thesaurus_sources, use_numbers, document_evidence, joint, lm_path, max_candidates, protect_names, max_document_chars
    """
    if config is None:
        config = RestoreConfig()
    elif not isinstance(config, RestoreConfig):
        raise TypeError(f"config must be a RestoreConfig, not {type(config).__name__}")
    for name in kwargs:
        if name not in RestoreConfig._fields:
            known = ", ".join(RestoreConfig._fields)
            raise TypeError(f"unknown option {name!r}; known options: {known}")
    config = config._replace(**kwargs)
    validate_config(config)
    return config


def validate_config(config: RestoreConfig) -> None:
    """Raise ``TypeError``/``ValueError`` for options of the wrong type or range."""
    if isinstance(config.aggressiveness, bool) or not isinstance(
        config.aggressiveness, (int, float)
    ):
        raise TypeError("aggressiveness must be a number between 0 and 1")
    if not 0.0 <= float(config.aggressiveness) <= 1.0:
        raise ValueError(f"aggressiveness must be between 0 and 1, not {config.aggressiveness}")
    for flag in ("use_signatures", "use_thesaurus", "use_numbers", "document_evidence",
                 "joint", "protect_names"):
        if not isinstance(getattr(config, flag), bool):
            raise TypeError(f"{flag} must be True or False")
    if isinstance(config.thesaurus_sources, str) or not all(
        s in KNOWN_SOURCES for s in config.thesaurus_sources
    ):
        raise ValueError(
            f"thesaurus_sources must be a tuple drawn from {sorted(KNOWN_SOURCES)}"
        )
    if config.lm_path is not None and not isinstance(config.lm_path, str):
        raise TypeError("lm_path must be a path string or None")
    for number in ("max_candidates", "max_document_chars"):
        value = getattr(config, number)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{number} must be a positive integer")
