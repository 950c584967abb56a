"""The batch engine: ordering across workers, the record invariant, interruption and resume.

These test plumbing, so the restorer is a fake (monkeypatched before the
worker processes fork, so the workers use it too); tests/test_cli.py runs the
real core through the same paths.
"""

from __future__ import annotations

import json
import os
import random
import signal
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from garble_fix import batch, restore_many, workers
from garble_fix.cli import main
from garble_fix.types import Edit, RestoredText


def fake_restore(text: str, config: object = None) -> RestoredText:
    """'White Home' -> 'White House'; a random short sleep shuffles finishing order."""
    if "SLEEP" in text:
        time.sleep(random.random() / 200)
    if "BOOM" in text:
        raise ValueError("the core failed on this one")
    if "KILL" in text and os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    edits = []
    if "White Home" in text:
        i = text.index("White Home")
        edits.append(Edit(i + 6, i + 10, "Home", "House", 0.9, "signature"))
    return RestoredText(text.replace("White Home", "White House", 1), edits,
                        0.9 if edits else 0.1)


PARENT = os.getpid()


@pytest.fixture(autouse=True)
def fake_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "restore_and_explain", fake_restore)


def run(*argv: str) -> int:
    return main(["restore", "--no-progress", "-q", *argv])


def write_jsonl(path: Path, texts: list[str]) -> None:
    path.write_text("".join(json.dumps({"i": i, "text": t}) + "\n" for i, t in enumerate(texts)))


# ---------------------------------------------------------------- restore_many


def test_restore_many_strings_in_order_with_workers() -> None:
    texts = [f"SLEEP {i} at the White Home" if i % 3 else f"plain {i}" for i in range(120)]
    results = list(restore_many(texts, jobs=3))
    assert [r.text for r in results] == [fake_restore(t).text for t in texts]
    assert all(isinstance(r, RestoredText) for r in results)


def test_restore_many_records_with_dotted_field() -> None:
    records = [{"id": 1, "doc": {"body": "White Home"}}]
    [out] = restore_many(records, field="doc.body")
    assert out == {"id": 1, "doc": {"body": "White House"}, "spun_score": 0.9, "n_edits": 1}
    assert records[0]["doc"]["body"] == "White Home"  # the input is not mutated


def test_restore_many_is_lazy() -> None:
    def endless():
        i = 0
        while True:
            yield f"text {i}"
            i += 1

    stream = restore_many(endless(), jobs=2)
    assert [next(stream).text for _ in range(40)][-1] == "text 39"
    stream.close()


def test_restore_many_rejects_wrong_types() -> None:
    with pytest.raises(TypeError, match="item 1: expected str"):
        list(restore_many(["ok", None]))
    with pytest.raises(TypeError, match="missing or not a string"):
        list(restore_many([{"text": 3}], field="text"))
    with pytest.raises(TypeError, match="unknown option"):
        list(restore_many(["x"], agressiveness=1.0))


# ---------------------------------------------------------------- ordering and the invariant


@pytest.mark.parametrize("jobs", ["1", "2", "3"])
def test_cli_output_in_input_order_with_any_jobs(tmp_path: Path, jobs: str) -> None:
    src = tmp_path / "in.jsonl"
    texts = [f"SLEEP doc {i}" + (" at the White Home" if i % 2 else "") for i in range(300)]
    write_jsonl(src, texts)
    out = tmp_path / "out.jsonl"
    assert run(str(src), "-o", str(out), "-j", jobs) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["i"] for r in rows] == list(range(300))
    assert [r["text"] for r in rows] == [fake_restore(t).text for t in texts]


def test_core_exception_on_one_record_is_rejected_and_batch_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, ["White Home", "BOOM", "White Home"])
    out, rejects, stats = tmp_path / "o.jsonl", tmp_path / "r.jsonl", tmp_path / "s.json"
    assert run(str(src), "-o", str(out), "-j", "2", "--rejects", str(rejects),
               "--stats", str(stats)) == 0
    assert len(out.read_text().splitlines()) == 2
    entry = json.loads(rejects.read_text())
    assert entry["location"] == "line 2" and entry["reason"].startswith("restore-error")
    assert json.loads(stats.read_text())["balanced"]


def test_filters_and_check(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, ["White Home", "clean", "", "White Home again"])
    out, stats = tmp_path / "o.jsonl", tmp_path / "s.json"
    assert run(str(src), "-j", "1", "-o", str(out), "--only-spun", "--stats", str(stats)) == 0
    assert [json.loads(x)["i"] for x in out.read_text().splitlines()] == [0, 3]
    s = json.loads(stats.read_text())
    assert (s["records_in"], s["records_out"], s["filtered"], s["balanced"]) == (4, 2, 2, True)
    assert run(str(src), "-j", "1", "--check") == 2
    write_jsonl(src, ["clean"])
    assert run(str(src), "-j", "1", "--check") == 0
    assert run(str(src), "-j", "1", "--min-spun-score", "0.05", "-o", str(out)) == 0
    assert len(out.read_text().splitlines()) == 1


lines_strategy = st.lists(
    st.one_of(
        st.text(max_size=30).map(lambda t: json.dumps({"text": t}).encode()),
        st.text(max_size=30).map(lambda t: json.dumps({"other": t}).encode()),
        st.binary(max_size=30),
        st.sampled_from([b"{", b"null", b"[]", b'{"text": 1}', b"\xff\xfe", b"",
                         b'{"text": "White Home"}', b'{"text": "BOOM"}']),
    ).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" ")),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=lines_strategy, use_rejects=st.booleans())
def test_random_broken_jsonl_never_loses_a_record(lines: list[bytes], use_rejects: bool) -> None:
    # A file that starts with the gzip magic bytes is read as gzip, and a
    # broken one is one rejected record, not one per line: the test below
    # covers that case.
    assume(not (lines and lines[0].startswith(b"\x1f\x8b")))
    with tempfile.TemporaryDirectory() as tmp:
        src, out, rejects, stats = (os.path.join(tmp, n) for n in
                                    ("in.jsonl", "o.jsonl", "r.jsonl", "s.json"))
        with open(src, "wb") as f:
            f.write(b"".join(line + b"\n" for line in lines))
        extra = ["--rejects", rejects] if use_rejects else []
        assert run(src, "-j", "1", "-o", out, "--stats", stats, *extra) == 0
        s = json.loads(Path(stats).read_text())
        n_out = len(Path(out).read_bytes().splitlines())
        # without --rejects, records that cannot be passed through (no text
        # could be read) are reported on stderr and counted, never dropped silently
        n_rej = len(Path(rejects).read_bytes().splitlines()) if use_rejects else s["rejected"]
        assert s["records_in"] == len(lines) == n_out + n_rej
        assert s["records_out"] == n_out and s["rejected"] == n_rej and s["balanced"]


def test_unreadable_record_without_rejects_file_is_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # found by hypothesis: a file that starts like gzip but is not one has no
    # text to pass through; it must be counted and reported with its reason
    src, out, stats = tmp_path / "in.jsonl", tmp_path / "o.jsonl", tmp_path / "s.json"
    src.write_bytes(b"\x1f\x8b\n")
    assert run(str(src), "-o", str(out), "--stats", str(stats)) == 0
    s = json.loads(stats.read_text())
    assert (s["records_in"], s["records_out"], s["rejected"], s["balanced"]) == (1, 0, 1, True)
    assert "truncated-gzip" in capsys.readouterr().err


# ---------------------------------------------------------------- atomic output, interruption, resume


def test_output_never_replaces_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, ["x"])
    before = src.read_bytes()
    assert run(str(src), "-o", str(src)) == 1
    assert run(str(src), "-o", str(tmp_path / "o.jsonl"), "--rejects", str(src)) == 1
    assert "refusing to write to the input file" in capsys.readouterr().err
    assert src.read_bytes() == before


def test_failed_start_leaves_old_output_and_no_temp_files(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "o.csv"
    src.write_text("a,b\n1,2\n")
    out.write_text("old\n")
    assert run(str(src), "-o", str(out), "--column", "missing") == 1
    assert out.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "o.csv"]


def interrupt_after(monkeypatch: pytest.MonkeyPatch, calls: int) -> None:
    """Make the (in-process, jobs=1) restorer raise KeyboardInterrupt on call ``calls``."""
    seen = {"n": 0}

    def restore(text: str, config: object = None) -> RestoredText:
        seen["n"] += 1
        if seen["n"] == calls + 1:  # +1: the worker's warm-up call
            raise KeyboardInterrupt
        return fake_restore(text)

    monkeypatch.setattr(workers, "restore_and_explain", restore)


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".csv"])
def test_ctrl_c_leaves_valid_partial_output_and_resume_completes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    texts = [f"doc {i} White Home" if i % 3 else "" for i in range(200)]
    if suffix == ".csv":
        src = tmp_path / "in.csv"
        src.write_text("i,text\n" + "".join(f"{i},{t}\n" for i, t in enumerate(texts)))
    else:
        src = tmp_path / "in.jsonl"
        write_jsonl(src, texts + ["{broken"])
    out, rejects = tmp_path / ("out" + suffix), tmp_path / "rej.jsonl"
    expected, exp_rejects = tmp_path / ("expected" + suffix), tmp_path / "exp_rej.jsonl"
    args = ["-j", "1", "--rejects"]
    assert run(str(src), "-o", str(expected), *args, str(exp_rejects)) == 0

    out.write_bytes(b"previous complete output\n")
    interrupt_after(monkeypatch, 100)  # in the second chunk of records
    assert run(str(src), "-o", str(out), *args, str(rejects)) == batch.EXIT_INTERRUPTED
    state = json.loads(Path(str(out) + ".resume.json").read_text())
    assert 0 < state["consumed"] < 200
    partial = out.read_bytes()
    assert partial != b"previous complete output\n"
    assert expected.read_bytes().startswith(partial[:50]) or suffix.endswith(".gz")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    monkeypatch.setattr(workers, "restore_and_explain", fake_restore)
    stats = tmp_path / "s.json"
    assert run(str(src), "-o", str(out), *args, str(rejects), "--resume",
               "--stats", str(stats)) == 0
    if suffix.endswith(".gz"):
        import gzip

        assert gzip.decompress(out.read_bytes()) == gzip.decompress(expected.read_bytes())
    else:
        assert out.read_bytes() == expected.read_bytes()
    assert rejects.read_bytes() == exp_rejects.read_bytes()
    s = json.loads(stats.read_text())
    assert s["balanced"] and s["records_in"] == len(texts) + (suffix != ".csv")
    assert not Path(str(out) + ".resume.json").exists()


def test_resume_of_a_complete_output_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out, rejects = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "r.jsonl"
    write_jsonl(src, ["White Home", "x"] * 5)
    src.write_bytes(src.read_bytes() + b"{broken\n")
    assert run(str(src), "-j", "1", "-o", str(out), "--rejects", str(rejects)) == 0
    before = out.read_bytes()
    assert run(str(src), "-j", "1", "-o", str(out), "--rejects", str(rejects), "--resume") == 0
    assert out.read_bytes() == before and len(rejects.read_text().splitlines()) == 1
    assert "nothing to resume" in capsys.readouterr().err


def test_resume_without_an_output_starts_afresh(tmp_path: Path) -> None:
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text("".join(f"line {i} White Home\n" for i in range(10)))
    assert run(str(src), "--lines", "-j", "1", "-o", str(out), "--resume") == 0
    assert out.read_text() == "".join(f"line {i} White House\n" for i in range(10))


def test_killed_worker_leaves_valid_partial_output(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "o.jsonl"
    write_jsonl(src, [f"doc {i}" for i in range(200)] + ["KILL"] + ["after"] * 50)
    status = run(str(src), "-o", str(out), "-j", "2")
    assert status == 1
    assert "worker process died" in capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text().splitlines()]  # every line is whole
    assert [r["i"] for r in rows] == list(range(len(rows)))
    state = json.loads(Path(str(out) + ".resume.json").read_text())
    assert state["consumed"] == len(rows) <= 200


def test_stats_file_contents(tmp_path: Path) -> None:
    src, out, stats = tmp_path / "in.jsonl", tmp_path / "o.jsonl", tmp_path / "s.json"
    write_jsonl(src, ["White Home one two", "three four", ""])
    assert run(str(src), "-j", "1", "-o", str(out), "--stats", str(stats)) == 0
    s = json.loads(stats.read_text())
    assert (s["records_in"], s["records_out"], s["restored"], s["unchanged"]) == (3, 3, 1, 1)
    assert s["skipped"] == {"empty-text": 1} and s["words"] == 6 and s["spun"] == 1
    assert set(s) >= {"words_per_second", "records_per_second", "seconds", "peak_rss_mb"}


def test_summary_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, ["White Home"])
    assert main(["restore", "--no-progress", "-j", "1", str(src), "-o",
                 str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "1 records in, 1 out, 0 rejected" in err and "words/s" in err


def test_chunks_bounded_by_records_and_characters() -> None:
    big = "x" * (workers.CHUNK_CHARS // 2)
    sizes = [len(c) for c in workers.chunked((i, big) for i in range(5))]
    assert sizes == [2, 2, 1]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_restorer_that_cannot_load_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        jobs: str) -> None:
    from garble_fix.errors import DataError

    def broken(text: str, config: object = None) -> RestoredText:
        raise DataError("signature table missing")

    monkeypatch.setattr(workers, "restore_and_explain", broken)
    src, out = tmp_path / "in.jsonl", tmp_path / "o.jsonl"
    write_jsonl(src, ["a", "b"])
    assert run(str(src), "-o", str(out), "-j", jobs) == 1
    err = capsys.readouterr().err
    assert "garble-fix error: the restorer cannot start: DataError: signature table missing" in err
    assert "Traceback" not in err and not out.exists()
    with pytest.raises(workers.RestorerUnavailable):
        list(restore_many(["a"], jobs=int(jobs)))


def test_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    src = tmp_path / "in.jsonl"
    write_jsonl(src, ["White Home"] * 40)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert main(["restore", "-q", "-j", "1", str(src), "-o", str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "40 records" in err and "spun=" in err
    assert main(["restore", "-q", "-j", "1", "--no-progress", str(src), "-o",
                 str(tmp_path / "o.jsonl")]) == 0
    assert capsys.readouterr().err == ""
