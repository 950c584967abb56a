"""Result shapes shared by every stage: immutable NamedTuples, as in ftfy.

Offsets are ``str`` indices (code points) into the text that was passed in,
so ``text[edit.start:edit.end] == edit.original`` always holds.
"""

from __future__ import annotations

from typing import NamedTuple


class Token(NamedTuple):
    """A word or punctuation mark with its place in the input text."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        """The lower-cased form used for every dictionary and LM lookup."""
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        """True for tokens that contain a letter or digit (not punctuation)."""
        return any(ch.isalnum() for ch in self.text)


class Candidate(NamedTuple):
    """One proposed original wording for a suspicious span.

    ``score`` is the calibrated probability that this is the original wording,
    ``source`` says where the proposal came from (``signature``,
    ``thesaurus``, ``number``, ``keep`` ...).
    """

    text: str
    score: float
    source: str


class Edit(NamedTuple):
    """One restoration: replace ``original`` at ``[start, end)`` by ``replacement``.

    ``reason`` is a short code in the role of LanguageTool's ``rule_id``:
    ``signature``, ``thesaurus+context``, ``number``, ``name``,
    ``function-word``, ``contraction``, ``tortured-phrase`` (a tortured
    phrase of science, "counterfeit consciousness").
    """

    start: int
    end: int
    original: str
    replacement: str
    confidence: float
    reason: str
    alternatives: tuple[Candidate, ...] = ()

    def __str__(self) -> str:
        """Show the edit as ``found -> replacement (reason, confidence)``."""
        return (
            f"{self.original!r} -> {self.replacement!r} "
            f"[{self.start}:{self.end}] ({self.reason}, {self.confidence:.2f})"
        )


class Suspect(NamedTuple):
    """A span the detector finds unnatural, before any decision is made.

    ``oddness`` is in [0, 1]: the probability that the span is spinner output.
    """

    start: int
    end: int
    text: str
    oddness: float
    candidates: tuple[Candidate, ...]


class RestoredText(NamedTuple):
    """What :func:`garble_fix.restore_and_explain` returns."""

    text: str
    edits: list[Edit]
    spun_score: float
