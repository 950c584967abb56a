"""The public API: types, options, offsets and what is kept."""

from __future__ import annotations

import pytest

from garble_fix import (
    Edit,
    RestoreConfig,
    analyze,
    apply_edits,
    restore,
    restore_and_explain,
    spun_score,
)

SPUN = (
    "Officials on the White Home mentioned on Monday that the commerce deal "
    "would lower tariffs from 25% to fifteen%.\n\n"
    "The president instructed reporters earlier than leaving that the 2 neighbors "
    "had been working right into a settlement."
)


def test_bytes_and_other_types_are_refused_clearly() -> None:
    with pytest.raises(TypeError, match="decode"):
        restore(b"spun text")
    with pytest.raises(TypeError, match="str"):
        restore(None)  # type: ignore[arg-type]


def test_unknown_and_wrong_options_are_refused() -> None:
    with pytest.raises(TypeError, match="unknown option"):
        restore("text", aggresiveness=0.3)
    with pytest.raises(ValueError, match="between 0 and 1"):
        restore("text", aggressiveness=3)
    with pytest.raises(TypeError):
        restore("text", config={"aggressiveness": 0.3})  # type: ignore[arg-type]


def test_empty_and_whitespace_text_pass_through() -> None:
    for text in ["", " ", "\n\n", "  \t"]:
        result = restore_and_explain(text)
        assert result.text == text and result.edits == []


def test_spun_document_is_restored_with_valid_edits() -> None:
    result = restore_and_explain(SPUN)
    assert "White House" in result.text
    assert "15%" in result.text
    assert "earlier than" not in result.text
    assert result.text.count("\n\n") == 1
    for edit in result.edits:
        assert SPUN[edit.start:edit.end] == edit.original
        assert edit.reason
        assert 0.5 <= edit.confidence <= 1.0
    assert apply_edits(SPUN, result.edits) == result.text


def test_apply_edits_rejects_edits_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        apply_edits("the White Home", [Edit(0, 3, "xyz", "abc", 0.9, "name")])


def test_analyze_flags_spans_without_changing_anything() -> None:
    suspects = analyze(SPUN)
    texts = [s.text for s in suspects]
    assert "White Home" in texts
    for suspect in suspects:
        assert SPUN[suspect.start:suspect.end] == suspect.text
        assert 0.0 <= suspect.oddness <= 1.0
        assert suspect.candidates


def test_spun_score_separates_spun_from_clean() -> None:
    clean = SPUN
    for spun_piece, clean_piece in [
        ("White Home", "White House"), ("mentioned", "said"), ("commerce deal", "trade deal"),
        ("fifteen%", "15%"), ("instructed reporters", "told reporters"),
        ("earlier than", "before"), ("the 2 neighbors", "the two neighbors"),
        ("had been working right into a settlement", "were working toward an agreement"),
    ]:
        clean = clean.replace(spun_piece, clean_piece)
    assert spun_score(SPUN) > 0.5 > spun_score(clean)


def test_aggressiveness_orders_the_number_of_edits() -> None:
    cautious = len(restore_and_explain(SPUN, aggressiveness=0.0).edits)
    bold = len(restore_and_explain(SPUN, aggressiveness=1.0).edits)
    assert cautious <= bold


def test_config_object_and_kwargs_combine() -> None:
    config = RestoreConfig(use_thesaurus=False)
    result = restore_and_explain(SPUN, config, use_numbers=False)
    assert "fifteen%" in result.text
    assert all(e.reason != "thesaurus+context" for e in result.edits)


@pytest.mark.parametrize("spun, restored", [
    ("We train an arbitrary woodland classifier.", "We train a random forest classifier."),
    ("An arbitrary woodland was used.", "A random forest was used."),
    ("He called it a counterfeit consciousness breakthrough.",
     "He called it an artificial intelligence breakthrough."),
    ("It is a trade deal.", "It is a trade deal."),
])
def test_indefinite_article_agrees_with_the_restored_word(spun: str, restored: str) -> None:
    result = restore_and_explain(spun)
    assert result.text == restored
    assert apply_edits(spun, result.edits) == restored
