"""Behaviour of the shipped inverse thesaurus and its loader."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from garble_fix import thesaurus
from garble_fix.errors import DataError

SwapData = Callable[[Path], None]


@pytest.fixture
def swap_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Point the loader at another file; restore the real table afterwards."""

    def use(path: Path) -> None:
        monkeypatch.setattr(thesaurus, "_data_path", lambda: path)
        thesaurus._clear_cache()

    yield use
    monkeypatch.undo()
    thesaurus._clear_cache()


def _write_table(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


def _originals(spun: str, sources: tuple[str, ...] = ("wordnet", "moby")) -> set[str]:
    return {o for o, _ in thesaurus.inverse_candidates(spun, sources)}


def test_inverse_finds_news_originals() -> None:
    # "told reporters" -> "instructed reporters": the caller looks up the lemma.
    assert {"tell", "order", "teach"} <= _originals("instruct")
    assert {"hide", "conceal", "mask"} <= _originals("disguise")
    assert "country" in _originals("nation")


def test_multiword_heads() -> None:
    assert thesaurus.has_head("take care of")
    assert "deal with" in _originals("take care of")
    assert thesaurus.max_head_tokens() == 4
    assert not thesaurus.has_head("xqzv blorp")


def test_lookup_normalises_case_and_spacing() -> None:
    assert thesaurus.inverse_candidates("Take  Care Of") == thesaurus.inverse_candidates(
        "take care of"
    )


def test_unknown_word_gives_empty_list() -> None:
    assert thesaurus.inverse_candidates("xqzvblorp") == []
    assert thesaurus.forward_synonyms("xqzvblorp") == []


def test_bits_match_the_sources() -> None:
    pairs = dict(thesaurus.inverse_candidates("disguise"))
    # "hide": WordNet 3.0 hypernym/hyponym link and a Moby synonym.
    assert pairs["hide"] & thesaurus.BIT_MOBY
    assert pairs["hide"] & thesaurus.BIT_WN30_HYPER
    # "mask": same synset in both WordNets (and a hypernym link), and in Moby.
    assert pairs["mask"] & (thesaurus.BIT_WN30 | thesaurus.BIT_WN31 | thesaurus.BIT_MOBY) == 13


def test_source_filtering() -> None:
    moby = thesaurus.inverse_candidates("instruct", ("moby",))
    wordnet = thesaurus.inverse_candidates("instruct", ("wordnet",))
    assert moby and wordnet
    assert all(bits == thesaurus.BIT_MOBY for _, bits in moby)
    assert all(bits and not bits & thesaurus.BIT_MOBY for _, bits in wordnet)
    both = dict(thesaurus.inverse_candidates("instruct"))
    assert set(both) == {o for o, _ in moby} | {o for o, _ in wordnet}
    assert thesaurus.inverse_candidates("instruct", ()) == []


def test_unknown_source_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown thesaurus source"):
        thesaurus.inverse_candidates("instruct", ("roget",))


def test_order_is_strength_then_frequency() -> None:
    pairs = thesaurus.inverse_candidates("instruct")
    strengths = [thesaurus._STRENGTH[bits] for _, bits in pairs]
    assert strengths == sorted(strengths, reverse=True)
    assert pairs == thesaurus.inverse_candidates("instruct")  # deterministic


def test_forward_and_inverse_agree() -> None:
    forward = thesaurus.forward_synonyms("tell")
    assert forward
    for spun, bits in forward:
        assert ("tell", bits) in thesaurus.inverse_candidates(spun)
    for original, bits in thesaurus.inverse_candidates("disguise"):
        assert ("disguise", bits) in thesaurus.forward_synonyms(original)


def test_forward_is_directional_for_moby() -> None:
    # Moby lists "instruct" under "tell"; the forward view of "tell" has it.
    assert ("instruct", thesaurus.BIT_MOBY) in thesaurus.forward_synonyms("tell", ("moby",))


def test_returned_lists_are_fresh() -> None:
    first = thesaurus.inverse_candidates("instruct")
    first.clear()
    assert thesaurus.inverse_candidates("instruct")


def test_small_table_roundtrip(tmp_path: Path, swap_data: SwapData) -> None:
    table = _write_table(
        tmp_path / "t.tsv.gz",
        "#garble_fix-thesaurus\tformat=1\tmax_tokens=2\theads=2\tedges=3\n"
        "state\t9say|2tell\n"
        "deal with\t8handle\n",
    )
    swap_data(table)
    assert thesaurus.inverse_candidates("state") == [("say", 9), ("tell", 2)]
    assert thesaurus.inverse_candidates("state", ("wordnet",)) == [("say", 1), ("tell", 2)]
    assert thesaurus.forward_synonyms("handle") == [("deal with", 8)]
    assert thesaurus.max_head_tokens() == 2


def test_missing_file_raises_data_error(tmp_path: Path, swap_data: SwapData) -> None:
    swap_data(tmp_path / "nope.tsv.gz")
    with pytest.raises(DataError, match="missing"):
        thesaurus.inverse_candidates("instruct")


def test_corrupt_file_raises_data_error(tmp_path: Path, swap_data: SwapData) -> None:
    bad = tmp_path / "bad.tsv.gz"
    bad.write_bytes(b"this is not gzip")
    swap_data(bad)
    with pytest.raises(DataError, match="corrupt"):
        thesaurus.has_head("instruct")


def test_truncated_gzip_raises_data_error(tmp_path: Path, swap_data: SwapData) -> None:
    real = thesaurus._data_path().read_bytes()
    cut = tmp_path / "cut.tsv.gz"
    cut.write_bytes(real[: len(real) // 2])
    swap_data(cut)
    with pytest.raises(DataError):
        thesaurus.inverse_candidates("instruct")


def test_wrong_format_version_raises_data_error(tmp_path: Path, swap_data: SwapData) -> None:
    swap_data(_write_table(tmp_path / "v2.tsv.gz", "#garble_fix-thesaurus\tformat=2\theads=0\n"))
    with pytest.raises(DataError, match="format '2'"):
        thesaurus.inverse_candidates("instruct")


def test_header_count_mismatch_raises_data_error(tmp_path: Path, swap_data: SwapData) -> None:
    swap_data(
        _write_table(
            tmp_path / "short.tsv.gz",
            "#garble_fix-thesaurus\tformat=1\tmax_tokens=1\theads=5\tedges=1\nstate\t1say\n",
        )
    )
    with pytest.raises(DataError, match="header says 5"):
        thesaurus.inverse_candidates("state")


def test_not_a_table_raises_data_error(tmp_path: Path, swap_data: SwapData) -> None:
    swap_data(_write_table(tmp_path / "other.tsv.gz", "spun\toriginal\n"))
    with pytest.raises(DataError, match="bad header"):
        thesaurus.inverse_candidates("spun")


def test_builder_and_loader_agree_on_format() -> None:
    """The build script and the loader each hard-code the bits and version."""
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "corpora" / "build_thesaurus.py"
    if not script.exists():  # tests run against an installed wheel elsewhere
        pytest.skip("corpora/ not beside the tests")
    spec = importlib.util.spec_from_file_location("build_thesaurus", script)
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert str(builder.FORMAT_VERSION) == thesaurus._FORMAT_VERSION
    assert builder.MAGIC == thesaurus._MAGIC
    assert (builder.BIT_WN30, builder.BIT_WN30_HYPER, builder.BIT_WN31, builder.BIT_MOBY) == (
        thesaurus.BIT_WN30,
        thesaurus.BIT_WN30_HYPER,
        thesaurus.BIT_WN31,
        thesaurus.BIT_MOBY,
    )
    assert builder.MAX_TOKENS >= thesaurus.max_head_tokens()
