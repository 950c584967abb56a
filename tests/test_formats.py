"""Readers and writers, format by format, and every bad-input case.

The restorer is replaced by a tiny fake here (``White Home`` -> ``White
House``): what is under test is the plumbing (parsing, writing back, counting
bad records), not the restorations, which tests/test_cli.py checks with the
real core.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from garble_fix import formats, workers
from garble_fix.cli import main
from garble_fix.formats import Options, read_records
from garble_fix.types import Edit, RestoredText


def fake_restore(text: str, config: object = None) -> RestoredText:
    """Replace every 'White Home' by 'White House'; spun when anything changed."""
    if not isinstance(text, str):
        raise TypeError("text must be str")
    edits, start = [], 0
    while (i := text.find("White Home", start)) >= 0:
        edits.append(Edit(i + 6, i + 10, "Home", "House", 0.9, "signature"))
        start = i + 10
    return RestoredText(text.replace("White Home", "White House"), edits,
                        0.9 if edits else 0.1)


@pytest.fixture(autouse=True)
def fake_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "restore_and_explain", fake_restore)


def run(*argv: str) -> int:
    return main(["restore", "--no-progress", "-q", "-j", "1", *argv])


def stats_of(path: Path) -> dict:
    return json.loads(path.read_text())


# ---------------------------------------------------------------- format detection


def test_detect_format_by_extension() -> None:
    assert formats.detect_format("x.jsonl") == "jsonl"
    assert formats.detect_format("x.csv.gz") == "csv"
    assert formats.detect_format("x.tsv") == "tsv"
    assert formats.detect_format("CC-MAIN.warc.wet.gz") == "warc"
    assert formats.detect_format("-") == "text"


def test_gzip_is_detected_by_magic_not_name(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"  # gzipped, but not named .gz
    path.write_bytes(gzip.compress(b'{"text": "the White Home"}\n'))
    [record] = read_records(str(path), "jsonl", Options())
    assert record.text == "the White Home"


# ---------------------------------------------------------------- JSONL


def test_jsonl_in_place_keeps_other_fields(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 7, "text": "At the White Home.", "tags": ["a", {"b": null}]}\n')
    out = tmp_path / "out.jsonl"
    assert run(str(src), "-o", str(out)) == 0
    obj = json.loads(out.read_text())
    assert obj == {"id": 7, "text": "At the White House.", "tags": ["a", {"b": None}],
                   "spun_score": 0.9, "n_edits": 1}


def test_jsonl_nested_field_output_field_and_explain(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"doc": {"body": "The White Home."}}) + "\n")
    out = tmp_path / "out.jsonl"
    assert run(str(src), "-o", str(out), "--field", "doc.body",
               "--output-field", "restored", "--explain") == 0
    obj = json.loads(out.read_text())
    assert obj["doc"]["body"] == "The White Home."  # the input stays
    assert obj["restored"] == "The White House."
    assert obj["edits"] == [{"start": 10, "end": 14, "found": "Home", "replacement": "House",
                             "confidence": 0.9, "reason": "signature"}]


def test_jsonl_crlf_and_unicode_kept(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes('{"text": "Café at the White Home"}\r\n'.encode())
    out = tmp_path / "out.jsonl"
    assert run(str(src), "-o", str(out)) == 0
    data = out.read_bytes()
    assert data.endswith(b"\r\n")
    assert "Café at the White House" in data.decode("utf-8")


# ---------------------------------------------------------------- bad input, each case


BAD_JSONL = [
    (b"{not json}\n", "malformed-json", True),
    (b'{"text": "caf\xe9"}\n', "invalid-utf8", True),
    (b"[1, 2]\n", "not-an-object", True),
    (b'{"id": 1}\n', "missing-field", False),
    (b'{"text": 42}\n', "non-string-field", False),
    (b'{"text": null}\n', "non-string-field", False),
    (b'{"text": "   "}\n', "empty-text", False),
    (b'{"text": "' + b"x" * 50 + b'"}\n', "oversized", False),
]


@pytest.mark.parametrize("line,reason,bad", BAD_JSONL, ids=[r for _, r, _ in BAD_JSONL])
def test_each_bad_jsonl_record_is_answered(tmp_path: Path, line: bytes, reason: str,
                                           bad: bool) -> None:
    src = tmp_path / "in.jsonl"
    good = b'{"text": "the White Home"}\n'
    src.write_bytes(good + line + good)
    out, rejects, stats = tmp_path / "out.jsonl", tmp_path / "rej.jsonl", tmp_path / "s.json"
    assert run(str(src), "-o", str(out), "--rejects", str(rejects), "--stats", str(stats),
               "--max-chars", "40") == 0
    lines = out.read_bytes().splitlines(keepends=True)
    s = stats_of(stats)
    assert s["records_in"] == 3 and s["balanced"]
    if bad:  # unparseable: goes to the rejects file with its line and reason
        entry = json.loads(rejects.read_text())
        assert (entry["location"], entry["reason"]) == ("line 2", reason)
        assert s["rejects_by_reason"] == {reason: 1} and len(lines) == 2
    else:  # valid record without usable text: passed through byte for byte
        assert lines[1] == line and rejects.read_text() == ""
        assert s["skipped"] == {reason: 1}


def test_bad_records_pass_through_without_rejects_file(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    payload = b'{"text": "the White Home"}\n{oops\n\xff\xfe\n'
    src.write_bytes(payload)
    out = tmp_path / "out.jsonl"
    assert run(str(src), "-o", str(out)) == 0
    assert out.read_bytes().splitlines()[1:] == [b"{oops", b"\xff\xfe"]


def test_truncated_gzip_counts_a_reject_and_keeps_what_was_read(tmp_path: Path) -> None:
    body = b"".join(b'{"text": "doc %d at the White Home"}\n' % i for i in range(200))
    src = tmp_path / "in.jsonl.gz"
    src.write_bytes(gzip.compress(body)[:-30])
    out, rejects, stats = tmp_path / "o.jsonl", tmp_path / "r.jsonl", tmp_path / "s.json"
    assert run(str(src), "-o", str(out), "--rejects", str(rejects), "--stats", str(stats)) == 0
    s = stats_of(stats)
    assert s["rejects_by_reason"] == {"truncated-gzip": 1}
    assert s["balanced"] and s["records_out"] == len(out.read_bytes().splitlines()) > 150
    assert all(json.loads(line)["text"].endswith("White House")
               for line in out.read_bytes().splitlines())


def test_truncated_gzip_without_rejects_file_is_reported_on_stderr(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.txt.gz"
    src.write_bytes(gzip.compress(b"the White Home\n" * 500)[:-10])
    assert run(str(src), "--lines", "-o", str(tmp_path / "o.txt")) == 0
    assert "truncated-gzip" in capsys.readouterr().err


def test_binary_file_is_rejected_not_restored(tmp_path: Path) -> None:
    src = tmp_path / "blob.txt"
    src.write_bytes(bytes(range(256)) * 4)
    out, rejects = tmp_path / "o.txt", tmp_path / "r.jsonl"
    assert run(str(src), "-o", str(out), "--rejects", str(rejects)) == 0
    entry = json.loads(rejects.read_text())
    assert entry["reason"] == "binary" and entry["location"] == "file"
    assert out.read_bytes() == b""
    # Without a rejects file the bytes come through untouched.
    assert run(str(src), "-o", str(out)) == 0
    assert out.read_bytes() == src.read_bytes()


def test_empty_input_file(tmp_path: Path) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_bytes(b"")
    out, stats = tmp_path / "o.jsonl", tmp_path / "s.json"
    assert run(str(src), "-o", str(out), "--stats", str(stats)) == 0
    assert out.read_bytes() == b"" and stats_of(stats)["records_in"] == 0


# ---------------------------------------------------------------- text


def test_text_whole_file_is_one_document(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes("\ufeffPara one at the White Home.\r\n\r\nPara two.\n".encode())
    out = tmp_path / "o.txt"
    assert run(str(src), "-o", str(out)) == 0
    assert out.read_bytes() == "\ufeffPara one at the White House.\r\n\r\nPara two.\n".encode()


def test_text_lines_keep_line_endings_and_blank_lines(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(b"White Home one\r\n\nWhite Home \xff\nlast White Home")
    out, stats = tmp_path / "o.txt", tmp_path / "s.json"
    assert run(str(src), "--lines", "-o", str(out), "--stats", str(stats)) == 0
    assert out.read_bytes() == b"White House one\r\n\nWhite Home \xff\nlast White House"
    s = stats_of(stats)
    assert s["records_in"] == 4 and s["skipped"] == {"empty-text": 1, "invalid-utf8": 1}


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch,
                         capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(gzip.compress(b'{"text": "White Home"}\n')))
    monkeypatch.setattr("sys.stdin", stdin)
    assert run("-", "--format", "jsonl") == 0
    assert json.loads(capsysbinary.readouterr().out)["text"] == "White House"


# ---------------------------------------------------------------- CSV / TSV


def test_csv_header_quoting_and_multiline_fields(tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_bytes(b'"id","body","n"\r\n"1","Line one,\r\nat the White Home","2"\r\n')
    out = tmp_path / "o.csv"
    assert run(str(src), "--column", "body", "-o", str(out)) == 0
    data = out.read_bytes()
    assert data.startswith(b'"id","body","n","spun_score","n_edits"\r\n')
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert rows[1] == ["1", "Line one,\r\nat the White House", "2", "0.9000", "1"]


def test_csv_minimal_quoting_output_column_and_bad_rows(tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_bytes(b"id,text\n1,White Home\n2\n3,caf\xe9 White Home\n4,\n")
    out, stats = tmp_path / "o.csv", tmp_path / "s.json"
    assert run(str(src), "--output-field", "clean", "-o", str(out), "--stats", str(stats)) == 0
    lines = out.read_bytes().split(b"\n")
    assert lines[0] == b"id,text,clean,spun_score,n_edits"
    assert lines[1] == b"1,White Home,White House,0.9000,1"
    assert lines[3] == b"3,caf\xe9 White Home,,,"  # undecodable bytes survive exactly
    s = stats_of(stats)
    assert s["records_in"] == 4 and s["balanced"]
    assert s["skipped"] == {"missing-field": 1, "invalid-utf8": 1, "empty-text": 1}


def test_tsv_gz_column_by_index(tmp_path: Path) -> None:
    src = tmp_path / "a.tsv.gz"
    src.write_bytes(gzip.compress(b"a\tb\nx\tthe White Home\n"))
    out = tmp_path / "o.tsv.gz"
    assert run(str(src), "--column", "1", "-o", str(out)) == 0
    assert gzip.decompress(out.read_bytes()) == (
        b"a\tb\tspun_score\tn_edits\nx\tthe White House\t0.9000\t1\n")


def test_csv_unknown_column_is_a_clear_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.csv"
    src.write_text("id,body\n1,x\n")
    out = tmp_path / "o.csv"
    assert run(str(src), "--column", "nope", "-o", str(out)) == 1
    assert "garble-fix error: " in capsys.readouterr().err
    assert not out.exists()


# ---------------------------------------------------------------- WARC / WET


def _warc(path: Path, truncate: int = 0) -> None:
    warcio = pytest.importorskip("warcio")
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=path.suffix == ".gz")
    writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "test"}))
    http = warcio.StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
    writer.write_record(writer.create_warc_record(
        "http://example.com/", "response", payload=io.BytesIO(b"<p>White Home</p>"),
        http_headers=http))
    for text in ("Met at the White Home.\nSecond line.", "No spin."):
        payload = text.encode()
        writer.write_record(writer.create_warc_record(
            "http://example.com/", "conversion", payload=io.BytesIO(payload),
            length=len(payload), warc_content_type="text/plain"))
    data = buffer.getvalue()
    path.write_bytes(data[:-truncate] if truncate else data)


@pytest.mark.parametrize("name", ["in.warc", "in.warc.gz"])
def test_warc_conversions_restored_and_digests_valid(tmp_path: Path, name: str) -> None:
    pytest.importorskip("warcio")
    from warcio.archiveiterator import ArchiveIterator

    src, out = tmp_path / name, tmp_path / ("out" + name[2:])
    _warc(src)
    assert run(str(src), "-o", str(out)) == 0
    with open(src, "rb") as f:
        before = [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(f)]
    with open(out, "rb") as f:
        after = []
        for record in ArchiveIterator(f, check_digests="raise"):
            after.append((record.rec_type, record.content_stream().read()))
            assert int(record.rec_headers.get_header("Content-Length")) == record.length
    assert [t for t, _ in after] == ["warcinfo", "response", "conversion", "conversion"]
    assert after[1] == before[1]  # the HTML response is untouched
    assert after[2][1] == b"Met at the White House.\nSecond line."
    assert after[3][1] == b"No spin."


@pytest.mark.parametrize("cut", [8, 20, 60], ids=["in-block", "in-headers", "earlier"])
def test_truncated_warc_is_answered(tmp_path: Path, cut: int) -> None:
    pytest.importorskip("warcio")
    src, out, rejects, stats = (tmp_path / "in.warc", tmp_path / "o.warc",
                                tmp_path / "r.jsonl", tmp_path / "s.json")
    _warc(src, truncate=cut)
    assert run(str(src), "-o", str(out), "--rejects", str(rejects), "--stats", str(stats)) == 0
    s = stats_of(stats)
    assert s["rejected"] == 1 and s["balanced"] and s["records_out"] == 3
    assert json.loads(rejects.read_text())["reason"] in ("truncated-warc", "damaged-warc")


def test_not_a_warc_is_answered(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    src, stats = tmp_path / "in.warc", tmp_path / "s.json"
    src.write_bytes(b"this is not a WARC file\n")
    assert run(str(src), "-o", str(tmp_path / "o.warc"), "--stats", str(stats)) == 0
    assert stats_of(stats)["rejected"] == 1


def test_csv_explain_adds_an_edits_column(tmp_path: Path) -> None:
    src, out = tmp_path / "a.csv", tmp_path / "o.csv"
    src.write_text("text\nthe White Home\n")
    assert run(str(src), "--explain", "-o", str(out)) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[0]["n_edits"] == "1"
    assert json.loads(rows[0]["edits"])[0]["replacement"] == "House"


def test_utf8_bom_at_the_start_of_jsonl_and_csv(tmp_path: Path) -> None:
    src, out = tmp_path / "a.jsonl", tmp_path / "o.jsonl"
    src.write_bytes(b'\xef\xbb\xbf{"text": "White Home"}\n')
    assert run(str(src), "-o", str(out)) == 0
    assert json.loads(out.read_text())["text"] == "White House"
    src, out = tmp_path / "a.csv", tmp_path / "o.csv"
    src.write_bytes(b"\xef\xbb\xbfbody,n\nWhite Home,1\n")
    assert run(str(src), "--column", "body", "-o", str(out)) == 0
    assert out.read_text().splitlines()[1] == "White House,1,0.9000,1"
