"""Lemmatise spun words and re-inflect restored lemmas."""

from __future__ import annotations

import pytest

from garble_fix.morphology import analyses, inflect


@pytest.mark.parametrize(
    ("word", "reading"),
    [("despatched", ("despatch", "VBD")), ("troopers", ("trooper", "NNS")),
     ("desires", ("desire", "VBZ")), ("proven", ("prove", "VBN"))],
)
def test_analyses_find_the_spun_form(word: str, reading: tuple[str, str]) -> None:
    assert reading in analyses(word)


@pytest.mark.parametrize(
    ("lemma", "tag", "form"),
    [("want", "VBZ", "wants"), ("send", "VBD", "sent"), ("soldier", "NNS", "soldiers"),
     ("tell", "VBD", "told"), ("deal with", "VBG", "dealing with"), ("country", "NN", "country")],
)
def test_inflect_restores_the_form(lemma: str, tag: str, form: str) -> None:
    assert inflect(lemma, tag) == form


@pytest.mark.parametrize("word", ["safety", "stress", "information"])
def test_mass_nouns_are_not_read_as_plurals(word: str) -> None:
    # a plural reading would make every candidate plural ("safety" -> "countries")
    assert (word, "NNS") not in analyses(word)
    assert (word, "NN") in analyses(word)


@pytest.mark.parametrize("word", ["sheep", "series", "police"])
def test_bare_plurals_keep_their_plural_reading(word: str) -> None:
    assert (word, "NNS") in analyses(word)
