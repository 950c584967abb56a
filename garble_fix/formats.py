"""Readers for the dump formats ``garble-fix restore`` cleans.

Every reader turns an input into a stream of :class:`Record` objects, one per
document (a JSONL line, a CSV row, a text file or line, a WARC record), and
never raises on bad data: a record that cannot be parsed comes out with
``problem`` set and ``bad=True`` so that the batch can pass it through or
write it to the rejects file, and count it. That is what keeps the invariant
*records out + rejects == records in*.

The writers that put records back are in :mod:`garble_fix.writers`; the
:class:`Record` and :class:`Options` types and the CSV layout they share
are defined here.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Iterator
from typing import IO, Any, Literal, NamedTuple

FORMATS = ("text", "jsonl", "csv", "tsv", "warc")

# Extensions recognised after an optional ``.gz``; anything else is text.
EXTENSIONS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".warc": "warc", ".wet": "warc",
}

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"

# Bytes inspected to tell a binary file from text: NUL never occurs in
# UTF-8 text, and 8 KiB is what grep and git look at for the same decision.
BINARY_SNIFF_BYTES = 8192

# Default limit on the characters of one document; bigger ones are passed
# through unrestored (a 1 MB "article" is a scrape accident, not news, and
# would stall one worker for minutes).
DEFAULT_MAX_CHARS = 1_000_000


class FormatError(Exception):
    """An input or option that makes the whole run impossible (not one bad record)."""


class Record(NamedTuple):
    """One document read from an input, with what its writer needs to write it back.

    ``text`` is the text to restore, or ``None`` when the record is skipped;
    then ``problem`` is a short reason code and ``bad`` tells an unparseable
    record (eligible for ``--rejects``) from a valid one without usable text
    (always passed through, since dropping it would lose data).
    ``carrier`` holds the format's parsed form (JSON object, CSV row, line
    ending, WARC headers) and ``raw`` the original bytes for pass-through.
    """

    source: str
    location: str
    text: str | None
    problem: str | None = None
    bad: bool = False
    carrier: Any = None
    raw: bytes | None = None

    @property
    def passable(self) -> bool:
        """True when the record can be written back unchanged (else it must be rejected)."""
        return self.raw is not None or self.carrier is not None


class Options(NamedTuple):
    """Format options shared by readers and writers (from the command line)."""

    field: str = "text"
    column: str | None = None
    lines: bool = False
    output_field: str | None = None
    explain: bool = False
    max_chars: int = DEFAULT_MAX_CHARS


def detect_format(path: str, default: str = "text") -> str:
    """Guess the format of ``path`` from its extension, looking through ``.gz``.

    >>> detect_format("dump.jsonl.gz"), detect_format("a.WET"), detect_format("notes.txt")
    ('jsonl', 'warc', 'text')
    """
    name = path.lower()
    name = name.removesuffix(".gz")
    return EXTENSIONS.get(os.path.splitext(name)[1], default)


def open_input(path: str) -> tuple[IO[bytes], IO[bytes]]:
    """Open ``path`` (or ``-`` for stdin) for binary reading, un-gzipping by magic bytes.

    Returns ``(stream, raw)``: the stream to read and the file under it (the
    caller closes ``raw``). The magic number rather than the extension
    decides, because dumps are often gzipped without saying so (and stdin
    has no name).
    """
    raw: IO[bytes] = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    if _peek(raw, 2) == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw  # type: ignore[return-value]
    return raw, raw


def _peek(stream: IO[bytes], size: int) -> bytes:
    """Look at the first bytes of a stream without consuming them."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return peek(size)[:size]
    pos = stream.tell()
    head = stream.read(size)
    stream.seek(pos)
    return head


# Exceptions that mean "the compressed stream is damaged" while reading.
GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def _gzip_problem(exc: BaseException) -> str:
    """Name a gzip failure: a stream cut short or one with corrupt data."""
    return "truncated-gzip" if isinstance(exc, EOFError) else "corrupt-gzip"


# ---------------------------------------------------------------- readers


def read_records(path: str, fmt: str, options: Options) -> Iterator[Record]:
    """Yield the records of one input in order; bad data becomes bad records, never an exception.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "a.jsonl")
    >>> _ = open(p, "wb").write(b'{"text": "hi"}\\nnot json\\n')
    >>> [(r.text, r.problem) for r in read_records(p, "jsonl", Options())]
    [('hi', None), (None, 'malformed-json')]
    """
    readers = {"jsonl": _read_jsonl, "csv": _read_csv, "tsv": _read_csv,
               "warc": _read_warc, "text": _read_text}  # warc: see garble_fix.warc
    if fmt not in readers:
        raise FormatError(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
    try:
        stream, raw = open_input(path)
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        yield from readers[fmt](raw if fmt == "warc" else stream, path, fmt, options)
    finally:
        if path != "-":
            raw.close()


def _lines(stream: IO[bytes], source: str) -> Iterator[tuple[int, bytes | None, str | None]]:
    """Yield ``(line number, raw line, None)``, and a final ``(n, None, problem)`` on broken gzip."""
    number = 0
    while True:
        try:
            line = stream.readline()
        except GZIP_ERRORS as exc:
            yield number + 1, None, _gzip_problem(exc)
            return
        if not line:
            return
        number += 1
        yield number, line, None


def _split_ending(line: bytes) -> tuple[bytes, bytes]:
    """Split a raw line into body and line ending (``\\r\\n``, ``\\n`` or nothing).

    >>> _split_ending(b"abc\\r\\n")
    (b'abc', b'\\r\\n')
    """
    if line.endswith(b"\r\n"):
        return line[:-2], b"\r\n"
    if line.endswith(b"\n"):
        return line[:-1], b"\n"
    return line, b""


def check_text(text: str, max_chars: int) -> str | None:
    """Return the reason a decoded text is not worth restoring, or ``None``."""
    if not text.strip():
        return "empty-text"
    if len(text) > max_chars:
        return "oversized"
    return None


def _read_jsonl(stream: IO[bytes], source: str, fmt: str, options: Options) -> Iterator[Record]:
    """One JSON object per line; the text lives at the dotted path ``options.field``."""
    path = options.field.split(".")
    for number, line, problem in _lines(stream, source):
        where = f"line {number}"
        if line is None:
            yield Record(source, where, None, problem, True)
            continue
        body, _ending = _split_ending(line)
        if number == 1 and body.startswith(UTF8_BOM):  # Windows tools start files with one
            body = body[len(UTF8_BOM):]
        if not body.strip():
            # A blank line is not a record in JSONL; keep it so output == input.
            yield Record(source, where, None, "blank-line", False, None, line)
            continue
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError:
            yield Record(source, where, None, "invalid-utf8", True, None, line)
            continue
        try:
            obj = json.loads(decoded)
        except ValueError:
            yield Record(source, where, None, "malformed-json", True, None, line)
            continue
        if not isinstance(obj, dict):
            yield Record(source, where, None, "not-an-object", True, None, line)
            continue
        found, value = get_path(obj, path)
        if not found:
            yield Record(source, where, None, "missing-field", False, obj, line)
        elif not isinstance(value, str):
            yield Record(source, where, None, "non-string-field", False, obj, line)
        else:
            reason = check_text(value, options.max_chars)
            yield Record(source, where, None if reason else value, reason, False, obj, line)


def get_path(obj: Any, path: list[str]) -> tuple[bool, Any]:
    """Follow a dotted path into nested dicts; return ``(found, value)``.

    >>> get_path({"a": {"b": "x"}}, ["a", "b"]), get_path({"a": 1}, ["a", "b"])
    ((True, 'x'), (False, None))
    """
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return False, None
        obj = obj[key]
    return True, obj


def set_path(obj: dict, path: list[str], value: Any) -> None:
    """Set a value at a dotted path, creating intermediate objects as needed.

    >>> d = {"a": {"b": 1}}; set_path(d, ["a", "c"], 2); d
    {'a': {'b': 1, 'c': 2}}
    """
    for key in path[:-1]:
        child = obj.get(key)
        if not isinstance(child, dict):
            child = obj[key] = {}
        obj = child
    obj[path[-1]] = value


# The csv module's quoting constants (QUOTE_MINIMAL, QUOTE_ALL, ...), as typeshed types them.
CsvQuoting = Literal[0, 1, 2, 3]


class CsvLayout(NamedTuple):
    """What a CSV writer needs to reproduce the input's shape."""

    header: list[str]
    delimiter: str
    quoting: CsvQuoting
    lineterminator: str
    column: int


def _read_csv(stream: IO[bytes], source: str, fmt: str, options: Options) -> Iterator[Record]:
    """CSV/TSV with a header row; the text is in ``options.column`` (a name or 0-based index).

    Bytes that are not UTF-8 are decoded with ``surrogateescape`` so that the
    row can be written back byte for byte; a text with such bytes is bad.
    """
    delimiter = "\t" if fmt == "tsv" else ","
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    try:
        first = text.readline()
    except GZIP_ERRORS as exc:
        yield Record(source, "line 1", None, _gzip_problem(exc), True)
        return
    if not first:
        return
    first = first.removeprefix("\ufeff")  # a BOM is not part of the first column's name
    header = next(csv.reader([first], delimiter=delimiter), [])
    layout = CsvLayout(
        header=header,
        delimiter=delimiter,
        quoting=_detect_quoting(first, delimiter),
        lineterminator="\r\n" if first.endswith("\r\n") else "\n",
        column=_column_index(header, options.column, source),
    )
    # The header is a record of its own in the count (it is written out too).
    yield Record(source, "line 1", None, "header", False, ("header", layout), None)
    csv.field_size_limit(max(options.max_chars * 4, 1 << 20))
    reader = csv.reader(text, delimiter=delimiter)
    while True:
        where = f"line {reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except GZIP_ERRORS as exc:
            yield Record(source, where, None, _gzip_problem(exc), True)
            return
        except csv.Error as exc:
            # The csv module cannot hand back the broken row: it goes to rejects.
            yield Record(source, where, None, f"malformed-csv: {exc}", True)
            continue
        yield _csv_record(source, where, row, layout, options)


def _csv_record(source: str, where: str, row: list[str], layout: CsvLayout,
                options: Options) -> Record:
    """Classify one parsed CSV row."""
    carrier = ("row", layout, row)
    if layout.column >= len(row):
        return Record(source, where, None, "missing-field", False, carrier)
    value = row[layout.column]
    if _has_surrogates(value):
        return Record(source, where, None, "invalid-utf8", True, carrier)
    reason = check_text(value, options.max_chars)
    return Record(source, where, None if reason else value, reason, False, carrier)


def _has_surrogates(text: str) -> bool:
    """True when ``surrogateescape`` had to stand in for undecodable bytes."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _detect_quoting(first_line: str, delimiter: str) -> CsvQuoting:
    """QUOTE_ALL when every header field is quoted in the input, else QUOTE_MINIMAL."""
    fields = first_line.rstrip("\r\n").split(delimiter)
    if fields and all(len(f) >= 2 and f.startswith('"') and f.endswith('"') for f in fields):
        return csv.QUOTE_ALL
    return csv.QUOTE_MINIMAL


def _column_index(header: list[str], column: str | None, source: str) -> int:
    """Resolve ``--column`` (name, or number) against the header; default ``text``."""
    wanted = column or "text"
    if wanted in header:
        return header.index(wanted)
    if wanted.isdigit() and int(wanted) < len(header):
        return int(wanted)
    raise FormatError(
        f"{source}: no column {wanted!r} in the header ({', '.join(header) or 'empty'});"
        " choose one with --column"
    )


def _read_warc(stream: IO[bytes], source: str, fmt: str, options: Options) -> Iterator[Record]:
    """WARC/WET records (see :mod:`garble_fix.warc`, imported only when needed)."""
    from garble_fix.warc import read_warc

    yield from read_warc(stream, source, options)


def _read_text(stream: IO[bytes], source: str, fmt: str, options: Options) -> Iterator[Record]:
    """A whole file is one document, or each line is with ``--lines``."""
    if options.lines:
        yield from _read_text_lines(stream, source, options)
        return
    try:
        data = stream.read()
    except GZIP_ERRORS as exc:
        yield Record(source, "file", None, _gzip_problem(exc), True)
        return
    yield _text_record(source, "file", data, b"", options)


def _read_text_lines(stream: IO[bytes], source: str, options: Options) -> Iterator[Record]:
    """Each line is a document; its line ending is kept aside and written back."""
    for number, line, problem in _lines(stream, source):
        if line is None:
            yield Record(source, f"line {number}", None, problem, True)
            continue
        body, ending = _split_ending(line)
        yield _text_record(source, f"line {number}", body, ending, options)


def _text_record(source: str, where: str, data: bytes, ending: bytes, options: Options) -> Record:
    """Classify raw text bytes: binary, invalid UTF-8, empty, oversized or fine."""
    raw = data + ending
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return Record(source, where, None, "binary", True, ending, raw)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Record(source, where, None, "invalid-utf8", True, ending, raw)
    if text.startswith("\ufeff"):  # a BOM is not part of the document
        text = text[1:]
        ending = ("bom", ending)  # type: ignore[assignment]
    reason = check_text(text, options.max_chars)
    return Record(source, where, None if reason else text, reason, False, ending, raw)
