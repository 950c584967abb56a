"""The language-model interface: the bundled trigram model and a KenLM file."""

from __future__ import annotations

import pytest

from garble_fix.errors import ModelError
from garble_fix.lm import OOV_LOG10, lm_word, load_model, sequence_logprob

TINY_ARPA = """\\data\\
ngram 1=6
ngram 2=4

\\1-grams:
-0.7\t<s>\t-0.3
-0.7\t</s>
-0.6\twhite\t-0.2
-0.8\thouse\t-0.2
-1.6\thome\t-0.2
-1.0\t<unk>

\\2-grams:
-0.2\t<s> white
-0.1\twhite house
-0.3\thouse </s>
-0.3\thome </s>

\\end\\
"""


def test_default_model_prefers_fixed_expressions() -> None:
    model = load_model()
    assert model.logprob("house", ("the", "white")) > model.logprob("home", ("the", "white"))
    assert model.logprob("reporters", ("<s>", "told")) > model.logprob("reporters", ("<s>", "instructed"))


def test_unknown_words_get_the_floor() -> None:
    model = load_model()
    assert model.logprob("qzxqzxq", ("the",)) == OOV_LOG10
    assert not model.known("qzxqzxq") and model.known("house")


def test_figures_are_scored_as_a_number_word() -> None:
    assert lm_word("2019") == lm_word("28,500") == "twenty"


def test_kenlm_arpa_file_plugs_in(tmp_path) -> None:
    pytest.importorskip("kenlm")
    path = tmp_path / "tiny.arpa"
    path.write_text(TINY_ARPA)
    model = load_model(str(path))
    assert model.order == 2
    assert model.logprob("house", ("<s>", "white")) == pytest.approx(-0.1)
    # "white home" is not a bigram: back-off weight of "white" plus unigram "home".
    assert model.logprob("home", ("<s>", "white")) == pytest.approx(-0.2 - 1.6)
    assert sequence_logprob(model, ["white", "house"], ("<s>",)) > sequence_logprob(
        model, ["white", "home"], ("<s>",))


def test_kenlm_path_is_used_by_restore(tmp_path) -> None:
    pytest.importorskip("kenlm")
    from garble_fix import restore

    path = tmp_path / "tiny.arpa"
    path.write_text(TINY_ARPA)
    assert isinstance(restore("white house", lm_path=str(path)), str)


def test_missing_model_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ModelError, match="not found"):
        load_model(str(tmp_path / "missing.arpa"))


def test_the_american_model_scores_a_british_spelling_it_lacks_as_the_american_one() -> None:
    # "metres" is not in the bundled (American) vocabulary: scored as an
    # unknown word it made any known candidate look far better ("100 times").
    model = load_model()
    history = ("up", "to")
    assert model.logprob("metres", history) == model.logprob("meters", history) > OOV_LOG10
    # A word the model knows keeps its own score, even when a rule would respell it.
    assert model.logprob("filled", ("was",)) != model.logprob("filed", ("was",))
