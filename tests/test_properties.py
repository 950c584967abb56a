"""Property tests: offsets, apply_edits, idempotence, robustness on any Unicode."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from garble_fix import apply_edits, restore, restore_and_explain

# Words the restorer has opinions about, mixed with ordinary ones, so that
# generated texts actually produce edits instead of passing through.
SPUN_WORDS = [
    "White", "Home", "earlier", "than", "not", "too", "long", "ago", "instructed",
    "reporters", "commerce", "deal", "fifteen", "%", "the", "2", "neighbors",
    "right", "into", "a", "within", "stated", "troopers", "despatched", "—", "“", "”",
    "\n", "\n\n", ",", ".", "said", "on", "Monday", "house", "é", "日本",
]
spun_texts = st.lists(st.sampled_from(SPUN_WORDS), max_size=40).map(" ".join)
any_texts = st.text(max_size=200)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(spun_texts, any_texts))
def test_edits_are_valid_and_reproduce_the_output(text: str) -> None:
    result = restore_and_explain(text)
    position = 0
    for edit in result.edits:
        assert position <= edit.start < edit.end <= len(text)
        assert text[edit.start:edit.end] == edit.original
        assert 0.0 <= edit.confidence <= 1.0
        position = edit.end
    assert apply_edits(text, result.edits) == result.text
    assert 0.0 <= result.spun_score <= 1.0


@SETTINGS
@given(st.one_of(spun_texts, any_texts))
def test_restore_is_idempotent(text: str) -> None:
    once = restore(text)
    assert restore(once) == once


@SETTINGS
@given(any_texts)
def test_text_outside_edits_is_untouched(text: str) -> None:
    result = restore_and_explain(text)
    kept = apply_edits(text, [e._replace(replacement=e.original) for e in result.edits])
    assert kept == text
