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


@pytest.mark.parametrize(
    ("text", "expected"),
    [("The organisation said labour costs rose 5 p.c. this year.", ["per cent"]),
     ("Costs rose 5 p.c. after rising 3 per cent last year.", ["per cent"]),
     ("The organisation said costs rose 5 p.c., not 3 percent.", ["percent"]),
     ("The organization said labor costs rose 5 p.c. this year.", ["percent"]),
     ("The Labour Party said costs at the Centre rose 5 p.c.", ["percent"])],
)
def test_abbreviated_percent_follows_the_documents_house_style(text: str, expected: list[str]) -> None:
    """British and Australian papers write "per cent": the restored word follows the
    document's own usage, else its spelling (names such as "Labour Party" do not count)."""
    assert fixes(text) == expected
