"""Figures and number words swapped by spinners."""

from __future__ import annotations

import pytest

from garble_fix.numbers import find_number_fixes, parse_number_words
from garble_fix.tokens import tokenize


def fixes(text: str) -> list[str]:
    return [f.replacement for f in find_number_fixes(tokenize(text), text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("rates fell to fifteen%", ["15%"]), ("up twenty-five% on the year", ["25%"]),
     ("the 3 companies agreed", ["three"]), ("talks between the 2 neighbors", ["two"]),
     ("shares fell 3.5 p.c. on Monday", ["percent"]), ("up 12 P.C.", ["percent"])],
)
def test_spun_figures_are_found(text: str, expected: list[str]) -> None:
    assert fixes(text) == expected


@pytest.mark.parametrize(
    "text",
    ["rates fell to 15%", "fifteen percent of voters", "the 2 million residents",
     "the 2-1 win", "the 2.5 rise", "in 2 weeks", "the 2 Koreas",
     "a P.C. game", "the S.P.C.A. said", "model 5p.c", "5 p. c."],
)
def test_natural_figures_are_left_alone(text: str) -> None:
    assert fixes(text) == []


def test_parse_number_words() -> None:
    assert parse_number_words(["ninety", "-", "nine"]) == 99
    assert parse_number_words(["three", "hundred"]) == 300
    assert parse_number_words(["apple"]) is None
