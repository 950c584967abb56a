"""``garble-fix restore`` end to end with the real restorer, in-process and as a real process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from garble_fix import batch, restore, restore_and_explain, restore_many
from garble_fix.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt"))
SEED_LINES = [json.loads(x)["spun"] for x in
              (ROOT / "seeds" / "seed_pairs.jsonl").read_text(encoding="utf-8").splitlines() if x]


def run(*argv: str) -> int:
    return main(["restore", "--no-progress", "-q", *argv])


def cli(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m garble_fix restore`` as its own process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "garble_fix", "restore", *argv],
                          capture_output=True, env=env, timeout=300, **kwargs)  # type: ignore


def test_text_file_matches_restore(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    proc = cli(str(SEED), "-o", str(out), "-j", "1", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    text = SEED.read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == restore(text)
    assert b"1 records in, 1 out, 0 rejected" in proc.stderr


def test_jsonl_with_two_jobs_matches_restore_and_explain(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps({"n": i, "text": t}) + "\n"
                           for i, t in enumerate(SEED_LINES[:24])))
    assert run(str(src), "-o", str(out), "-j", "2", "--explain") == 0
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["n"] for r in rows] == list(range(24))
    for row, text in zip(rows, SEED_LINES):
        expected = restore_and_explain(text)
        assert row["text"] == expected.text
        assert row["spun_score"] == round(expected.spun_score, 4)
        assert [(e["start"], e["replacement"]) for e in row["edits"]] == [
            (e.start, e.replacement) for e in expected.edits]


def test_restore_many_matches_single_calls() -> None:
    texts = SEED_LINES[:6]
    assert [r.text for r in restore_many(texts, jobs=2)] == [restore(t) for t in texts]


def test_check_exit_status_follows_spun_score(tmp_path: Path) -> None:
    article = SEED.read_text(encoding="utf-8")
    expected = 2 if restore_and_explain(article).spun_score >= batch.SPUN_THRESHOLD else 0
    assert run(str(SEED), "--check", "-j", "1") == expected
    plain = tmp_path / "plain.txt"
    plain.write_text("The council met on Tuesday and approved the budget.\n")
    spun = restore_and_explain(plain.read_text()).spun_score >= batch.SPUN_THRESHOLD
    assert run(str(plain), "--check", "-j", "1") == (2 if spun else 0)


def test_ctrl_c_on_a_real_process_then_resume(tmp_path: Path) -> None:
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n") if len(p) > 200]
    docs = [paragraphs[i % len(paragraphs)] for i in range(120)]
    src, out, ref = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "ref.jsonl"
    src.write_text("".join(json.dumps({"n": i, "text": d}) + "\n" for i, d in enumerate(docs)))
    assert run(str(src), "-o", str(ref), "-j", "2") == 0

    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "garble_fix", "restore", str(src), "-o",
                             str(out), "-j", "2", "--no-progress", "-q"],
                            stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some records are written
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        if temps and temps[0].stat().st_size > 0:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:  # finished before the signal landed: nothing left to test
        pytest.skip("the run completed before it could be interrupted")
    assert proc.returncode == batch.EXIT_INTERRUPTED, err
    assert b"rerun with --resume" in err
    partial = out.read_text().splitlines()
    assert 0 < len(partial) < len(docs)
    assert [json.loads(x)["n"] for x in partial] == list(range(len(partial)))
    assert run(str(src), "-o", str(out), "-j", "2", "--resume") == 0
    assert out.read_bytes() == ref.read_bytes()


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(tmp_path / "missing.jsonl")) == 1
    (tmp_path / "a.jsonl").write_text("{}\n")
    (tmp_path / "b.csv").write_text("text\nx\n")
    assert run(str(tmp_path / "a.jsonl"), str(tmp_path / "b.csv")) == 1
    assert run(str(tmp_path / "a.jsonl"), "--resume") == 1
    assert run(str(tmp_path / "a.jsonl"), "--jobs", "0") == 1
    err = capsys.readouterr().err
    assert err.count("garble-fix error: ") == 4
    assert "no such file" in err and "different formats" in err


def test_progress_bar_is_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tqdm")
    bar = batch._progress_bar(True)
    assert bar is not None
    bar.close()
    monkeypatch.setitem(sys.modules, "tqdm", None)  # as if tqdm were not installed
    assert batch._progress_bar(True) is None
    assert batch._progress_bar(False) is None


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["restore", "--help"])
    out = capsys.readouterr().out
    for flag in ("--field", "--column", "--lines", "--output-field", "--explain",
                 "--min-spun-score", "--only-spun", "--check", "--jobs", "--rejects",
                 "--stats", "--report", "--resume", "--no-progress", "--format"):
        assert flag in out


def test_restore_is_the_default_command(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": "They met at the White Home."}) + "\n")
    assert main([str(src), "--no-progress", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == "They met at the White House."
