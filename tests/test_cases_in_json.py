"""Data-driven cases by provenance (after ftfy's test-cases/*.json).

Each file under tests/cases/ holds records with ``label``, ``comment``,
``original`` (the input), ``restored`` (what must come out) and ``expect``
(``pass``, or ``fail`` for known failures, run as strict xfail so that a fix
shows up).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from garble_fix import apply_edits, restore_and_explain

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            marks = [pytest.mark.xfail(strict=True, reason=case.get("comment", ""))] \
                if case["expect"] == "fail" else []
            params.append(pytest.param(case, id=f"{path.stem}:{case['label']}", marks=marks))
    return params


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict) -> None:
    result = restore_and_explain(case["original"])
    assert result.text == case["restored"]
    assert apply_edits(case["original"], result.edits) == result.text
