"""The scoring convention on hand-made pairs, the ``--by-doc`` split, and ``garble-fix eval``.

Every expected number below was worked out by hand from the convention in
``garble_fix/evaluate.py``; the restorers are fakes, so these tests are fast
and do not depend on how good the core restorer is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from garble_fix import eval_cli, evaluate
from garble_fix.evaluate import (
    CleanResult,
    EvalResult,
    Pair,
    PairsFormatError,
    clean_side,
    false_edits_per_1000,
    load_pairs,
    pair_errors,
    run_restorer,
    score_pair,
    score_pairs,
    score_tokens,
    token_edits,
)

# 11 tokens: president trump instructed reporters at the white home on monday .
SPUN = "President Trump instructed reporters at the White Home on Monday."
ORIGINAL = "President Trump told reporters at the White House on Monday."
HALF_RIGHT = "President Trump said reporters at the White House on Monday."

# "go to to" -> "visit to": difflib aligns "to Washington" with the second
# "to", so the gold edit is the 2-token span "go to" -> "visit".
SPUN_VISIT = "his first go to to Washington"
ORIGINAL_VISIT = "his first visit to Washington"


# ---------------------------------------------------------------- tokens


def test_tokens_fold_typography_and_lower_case() -> None:
    assert score_tokens("Korea’s “Deal” — ‘Done’ – „x”") == [
        "korea's", '"', "deal", '"', "-", "'", "done", "'", "-", '"', "x", '"',
    ]


def test_typographic_variants_are_not_edits() -> None:
    result = score_pair("Korea’s “deal” — done", "Korea’s “deal” — done", "Korea's \"deal\" - done")
    assert result.system_edits == 0
    assert result.restored_distance == 0


def test_multi_token_gold_edit_follows_difflib() -> None:
    edits = token_edits(SPUN_VISIT, ORIGINAL_VISIT)
    assert [(e.start, e.end, e.replacement) for e in edits] == [(2, 4, ("visit",))]


# ---------------------------------------------------------------- P/R/F, WER


def test_perfect_restoration() -> None:
    r = score_pair(SPUN, ORIGINAL, ORIGINAL)
    assert (r.gold_edits, r.system_edits, r.correct) == (2, 2, 2)
    assert (r.precision, r.recall, r.f05) == (1.0, 1.0, 1.0)
    assert r.wer_spun == pytest.approx(2 / 11)
    assert r.wer_restored == 0.0
    assert r.wer_reduction == 1.0


def test_one_right_one_wrong() -> None:
    # "instructed -> said" is a system edit with the gold span but the wrong
    # replacement, so it is wrong; "Home -> House" is right.
    r = score_pair(SPUN, ORIGINAL, HALF_RIGHT)
    assert (r.gold_edits, r.system_edits, r.correct) == (2, 2, 1)
    assert (r.precision, r.recall) == (0.5, 0.5)
    assert r.f05 == pytest.approx(0.5)
    assert r.wer_restored == pytest.approx(1 / 11)
    assert r.wer_reduction == pytest.approx(0.5)


def test_precision_favoured_in_f05() -> None:
    # Only "Home -> House" made: P = 1, R = 1/2, F0.5 = 1.25*0.5 / (0.25 + 0.5) = 5/6.
    r = score_pair(SPUN, ORIGINAL, "President Trump instructed reporters at the White House on Monday.")
    assert (r.precision, r.recall) == (1.0, 0.5)
    assert r.f05 == pytest.approx(5 / 6)


def test_wrong_span_is_not_credited_but_wer_improves() -> None:
    # System replaces only "go" (span 2..3); the gold span is 2..4.
    r = score_pair(SPUN_VISIT, ORIGINAL_VISIT, "his first visit to to Washington")
    assert (r.gold_edits, r.system_edits, r.correct) == (1, 1, 0)
    assert (r.precision, r.recall, r.f05) == (0.0, 0.0, 0.0)
    assert r.wer_spun == pytest.approx(2 / 5)  # substitute go, delete to
    assert r.wer_restored == pytest.approx(1 / 5)
    assert r.wer_reduction == pytest.approx(0.5)


def test_no_edits_made() -> None:
    # ERRANT's convention: precision is 1.0 when nothing was claimed.
    r = score_pair(SPUN, ORIGINAL, SPUN)
    assert (r.precision, r.recall, r.f05) == (1.0, 0.0, 0.0)
    assert r.wer_reduction == 0.0


def test_nothing_to_restore() -> None:
    r = score_pair(ORIGINAL, ORIGINAL, ORIGINAL)
    assert (r.precision, r.recall) == (1.0, 1.0)
    assert r.wer_reduction is None


def test_pairs_pool_counts_not_rates() -> None:
    r = score_pairs([SPUN, SPUN_VISIT], [ORIGINAL, ORIGINAL_VISIT],
                    [HALF_RIGHT, "his first visit to to Washington"])
    assert r == EvalResult(pairs=2, gold_edits=3, system_edits=3, correct=1,
                           original_tokens=16, spun_distance=4, restored_distance=2)
    assert r.precision == pytest.approx(1 / 3)
    assert r.wer_spun == pytest.approx(4 / 16)
    assert r.wer_reduction == pytest.approx(0.5)
    assert score_pair(SPUN, ORIGINAL, HALF_RIGHT) + score_pair(
        SPUN_VISIT, ORIGINAL_VISIT, "his first visit to to Washington") == r


def test_score_pairs_needs_parallel_lists() -> None:
    with pytest.raises(ValueError, match="as many restored lines"):
        score_pairs([SPUN], [ORIGINAL], [])


def test_pair_errors_lists_missed_and_wrong() -> None:
    errors = pair_errors(SPUN, ORIGINAL, HALF_RIGHT)
    assert [str(e) for e in errors.missed] == ["'instructed' -> 'told'"]
    assert [str(e) for e in errors.wrong] == ["'instructed' -> 'said'"]


def test_clean_side_counts_words_not_punctuation() -> None:
    # 6 words (the full stop is not one), 1 false edit -> 1000/6 per 1000 words.
    original = ["The minister told reporters on Monday."]
    restored = ["The minister informed reporters on Monday."]
    assert clean_side(original, restored) == CleanResult(false_edits=1, words=6)
    assert false_edits_per_1000(original, restored) == pytest.approx(1000 / 6)
    assert false_edits_per_1000(original, original) == 0.0


# ---------------------------------------------------------------- pairs files


def write_pairs(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_load_pairs_ignores_extra_fields_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"doc": "a", "line": 1, "spun": "x", "original": "y", "confidence": "verified"})
        + "\n\n",
        encoding="utf-8",
    )
    assert load_pairs(path) == [Pair("a", 1, "x", "y")]


@pytest.mark.parametrize(
    ("bad", "message"),
    [("{not json", "p.jsonl:2: bad pair record"),
     ('{"doc": "a", "line": 2, "spun": "x"}', "'original' must be a string"),
     ('{"doc": "a", "line": "2", "spun": "x", "original": "y"}', "'line' must be an integer"),
     ("[1, 2]", "expected a JSON object")],
)
def test_load_pairs_names_the_bad_line(tmp_path: Path, bad: str, message: str) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"spun": "x", "original": "y"}\n' + bad + "\n", encoding="utf-8")
    with pytest.raises(PairsFormatError, match=message):
        load_pairs(path)


# ---------------------------------------------------------------- --by-doc split

DOC_PAIRS = [
    Pair("a", 2, "second line", "second line"),
    Pair("b", 1, "other doc", "other doc"),
    Pair("a", 1, "first line", "first line"),
]


def test_by_doc_joins_in_line_order_and_splits_back() -> None:
    calls: list[str] = []

    def restorer(text: str) -> str:
        calls.append(text)
        return text.upper()

    restoration = run_restorer(DOC_PAIRS, restorer, by_doc=True)
    assert calls == ["first line\nsecond line", "other doc"]
    assert restoration.lines == ["SECOND LINE", "OTHER DOC", "FIRST LINE"]
    assert restoration.fallback_docs == []


def test_by_doc_falls_back_per_line_when_line_count_changes() -> None:
    calls: list[str] = []

    def restorer(text: str) -> str:  # merges lines: breaks the split
        calls.append(text)
        return text.replace("\n", " ").upper()

    restoration = run_restorer(DOC_PAIRS, restorer, by_doc=True)
    assert restoration.fallback_docs == ["a"]
    assert restoration.lines == ["SECOND LINE", "OTHER DOC", "FIRST LINE"]
    assert calls == ["first line\nsecond line", "first line", "second line", "other doc"]


def test_by_line_restores_each_line_alone() -> None:
    calls: list[str] = []
    run_restorer(DOC_PAIRS, lambda t: calls.append(t) or t, by_doc=False)
    assert calls == ["second line", "other doc", "first line"]


# ---------------------------------------------------------------- the eval command

CLI_RECORDS = [
    {"doc": "d", "line": 1, "spun": SPUN, "original": ORIGINAL},
    {"doc": "d", "line": 2, "spun": "The bill was passed.", "original": "The bill was passed."},
]


def fake_restorer(text: str) -> str:
    """Restores "White Home" only, and wrongly edits "passed" (on both sides)."""
    return text.replace("White Home", "White House").replace("passed", "handed")


@pytest.fixture
def fake_core(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Replace the real restorer; record the config options eval asked for."""
    seen: list[dict] = []

    def make(options: dict) -> evaluate.Restorer:
        seen.append(options)
        return fake_restorer

    monkeypatch.setattr(eval_cli, "make_restorer", make)
    return seen


def run_cli(argv: list[str]) -> int:
    from garble_fix.cli import main

    return main(argv)


def test_cli_prints_scores(tmp_path: Path, fake_core: list[dict],
                           capsys: pytest.CaptureFixture[str]) -> None:
    # gold 2 (instructed, Home); system 2 (Home right, passed wrong): P = R = 0.5.
    # WER: 11 + 5 = 16 original tokens, spun 2 off, restored 2 off -> 0.125 both,
    # reduction 0%. Clean side: only line 2 has "passed": 1 false edit in
    # 10 + 4 = 14 words.
    path = write_pairs(tmp_path / "p.jsonl", CLI_RECORDS)
    assert run_cli(["eval", str(path)]) == 0
    out = capsys.readouterr().out
    assert "gold 2, system 2, correct 1" in out
    assert "precision 0.500  recall 0.500  F0.5 0.500" in out
    assert "WER spun 0.125 -> restored 0.125 (relative reduction 0.0%)" in out
    assert "1 false edits in 14 words = 71.43 per 1000 words" in out
    assert fake_core == [{}]


def test_cli_json_and_options(tmp_path: Path, fake_core: list[dict],
                              capsys: pytest.CaptureFixture[str]) -> None:
    path = write_pairs(tmp_path / "p.jsonl", CLI_RECORDS)
    argv = ["eval", str(path), "--json", "--by-doc", "--aggressiveness", "0.3",
            "--no-signatures", "--no-thesaurus", "--sources", "wordnet", "--no-joint",
            "--no-document-evidence", "--no-numbers", "--show-errors"]
    assert run_cli(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "by-doc"
    assert (data["gold_edits"], data["system_edits"], data["correct"]) == (2, 2, 1)
    assert data["clean"] == {"false_edits": 1, "words": 14, "per_1000": pytest.approx(1000 / 14)}
    assert {(e["kind"], e["found"], e["replacement"]) for e in data["errors"]} == {
        ("missed", "instructed", "told"), ("wrong", "passed", "handed"),
        ("false", "passed", "handed")}
    assert fake_core == [{
        "aggressiveness": 0.3, "use_signatures": False, "use_thesaurus": False,
        "thesaurus_sources": ("wordnet",), "joint": False, "document_evidence": False,
        "use_numbers": False}]


def test_cli_show_errors(tmp_path: Path, fake_core: list[dict],
                         capsys: pytest.CaptureFixture[str]) -> None:
    path = write_pairs(tmp_path / "p.jsonl", CLI_RECORDS)
    assert run_cli(["eval", str(path), "--show-errors", "--no-clean"]) == 0
    out = capsys.readouterr().out
    assert "d:1\tmissed\t'instructed' -> 'told'" in out
    assert "d:2\twrong\t'passed' -> 'handed'" in out
    assert "false" not in out and "clean side" not in out


def test_cli_by_doc_fallback_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(eval_cli, "make_restorer",
                        lambda options: lambda text: text.replace("\n", " "))
    path = write_pairs(tmp_path / "p.jsonl", CLI_RECORDS)
    assert run_cli(["eval", str(path), "--by-doc", "--no-clean"]) == 0
    captured = capsys.readouterr()
    assert "document 'd' changed its line count" in captured.err
    assert "system 0" in captured.out


def test_cli_bad_file_is_an_error(tmp_path: Path, fake_core: list[dict],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("{oops\n", encoding="utf-8")
    assert run_cli(["eval", str(path)]) == 1
    assert f"garble-fix error: {path}:1: bad pair record" in capsys.readouterr().err
    assert run_cli(["eval", str(tmp_path / "missing.jsonl")]) == 1


def test_cli_with_the_real_core(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """End to end through the real restorer: only the shape of the output is checked."""
    path = write_pairs(tmp_path / "p.jsonl", CLI_RECORDS[:1])
    assert run_cli(["eval", str(path), "--by-doc"]) == 0
    out = capsys.readouterr().out
    assert "F0.5" in out and "per 1000 words" in out


def test_cli_reports_a_core_error_without_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def broken(text: str) -> str:
        raise evaluate.GarbleFixError("cannot read table x")

    monkeypatch.setattr(eval_cli, "make_restorer", lambda options: broken)
    path = write_pairs(tmp_path / "p.jsonl", CLI_RECORDS)
    assert run_cli(["eval", str(path)]) == 1
    assert "garble-fix error: cannot read table x" in capsys.readouterr().err
