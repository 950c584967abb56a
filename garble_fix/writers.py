"""Writers for the dump formats ``garble-fix restore`` cleans.

Writers take a record read by :mod:`garble_fix.formats` back together with
its restoration (or ``None`` when the record was skipped) and write it to a
binary stream, so bytes that could not be decoded are passed through exactly
as they came in. They are kept apart from the readers so that each module
stays within the project's size guideline; the two sides share only what
:mod:`garble_fix.formats` defines (:class:`~garble_fix.formats.Record`,
:class:`~garble_fix.formats.Options`, the CSV layout). The WARC writer is in
:mod:`garble_fix.warc`, imported only when needed.
"""

from __future__ import annotations

import csv
import io
import json
from typing import IO, Any

from garble_fix.formats import (
    CsvLayout,
    FormatError,
    Options,
    Record,
    _split_ending,
    set_path,
)
from garble_fix.types import RestoredText


def edits_as_json(result: RestoredText) -> list[dict[str, Any]]:
    """The edits of a result as plain JSON objects (what ``--explain`` writes)."""
    return [
        {"start": e.start, "end": e.end, "found": e.original, "replacement": e.replacement,
         "confidence": round(float(e.confidence), 4), "reason": e.reason}
        for e in result.edits
    ]


class Writer:
    """Base writer: subclasses turn (record, restoration) into bytes on ``out``."""

    def __init__(self, out: IO[bytes], options: Options, write_header: bool = True) -> None:
        self.out = out
        self.options = options
        self.write_header = write_header

    def write(self, record: Record, result: RestoredText | None) -> None:
        """Write one record: restored when ``result`` is given, else unchanged."""
        raise NotImplementedError

    def close(self) -> None:
        """Flush anything buffered (the stream itself belongs to the caller)."""
        self.out.flush()


class JsonlWriter(Writer):
    """JSONL: the text field is replaced (or copied to ``--output-field``), scores added."""

    def write(self, record: Record, result: RestoredText | None) -> None:
        if result is None:
            self.out.write(record.raw if record.raw is not None else b"")
            return
        obj = record.carrier
        target = (self.options.output_field or self.options.field).split(".")
        set_path(obj, target, result.text)
        obj["spun_score"] = round(float(result.spun_score), 4)
        obj["n_edits"] = len(result.edits)
        if self.options.explain:
            obj["edits"] = edits_as_json(result)
        _body, ending = _split_ending(record.raw or b"\n")
        self.out.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + (ending or b"\n"))


class CsvWriter(Writer):
    """CSV/TSV: same header, delimiter, quoting and line ending, plus score columns."""

    def __init__(self, out: IO[bytes], options: Options, write_header: bool = True) -> None:
        super().__init__(out, options, write_header)
        self.text = io.TextIOWrapper(out, encoding="utf-8", errors="surrogateescape",
                                     newline="", write_through=True)
        self.writer: Any = None
        self.layout: CsvLayout | None = None
        self.extra: list[str] = []

    def _start(self, layout: CsvLayout) -> None:
        """Set up the csv writer from the first input's layout and write the header."""
        self.layout = layout
        self.writer = csv.writer(self.text, delimiter=layout.delimiter, quoting=layout.quoting,
                                 lineterminator=layout.lineterminator)
        header = list(layout.header)
        if self.options.output_field and self.options.output_field not in header:
            header.append(self.options.output_field)
        for name in ("spun_score", "n_edits") + (("edits",) if self.options.explain else ()):
            if name not in header:
                header.append(name)
        self.extra = header[len(layout.header):]
        self.header = header
        if self.write_header:
            self.writer.writerow(header)

    def write(self, record: Record, result: RestoredText | None) -> None:
        carrier = record.carrier
        if carrier[0] == "header":
            if self.layout is None:
                self._start(carrier[1])
            elif carrier[1].header != self.layout.header:
                raise FormatError(f"{record.source}: its CSV header differs from the first input's")
            return
        row = list(carrier[2])
        row += [""] * (len(self.layout.header) - len(row)) if self.layout else []  # type: ignore[union-attr]
        values = dict.fromkeys(self.extra, "")
        if result is not None:
            target = self.options.output_field
            if target and target in self.header[: len(row)]:
                row[self.header.index(target)] = result.text
            elif target:
                values[target] = result.text
            else:
                row[carrier[1].column] = result.text
            values["spun_score"] = f"{result.spun_score:.4f}"
            values["n_edits"] = str(len(result.edits))
            if self.options.explain:
                values["edits"] = json.dumps(edits_as_json(result), ensure_ascii=False)
        self.writer.writerow(row + [values[name] for name in self.extra])

    def close(self) -> None:
        self.text.flush()
        self.text.detach()
        super().close()


class TextWriter(Writer):
    """Text: the restored document (or line, with its original line ending)."""

    def write(self, record: Record, result: RestoredText | None) -> None:
        if result is None:
            self.out.write(record.raw or b"")
            return
        ending = record.carrier
        bom = b""
        if isinstance(ending, tuple):  # ("bom", ending): keep the byte-order mark
            bom, ending = "\ufeff".encode("utf-8"), ending[1]
        self.out.write(bom + result.text.encode("utf-8") + (ending or b""))


def make_writer(fmt: str, out: IO[bytes], options: Options, write_header: bool = True,
                gzip_members: bool = False) -> Writer:
    """The writer for ``fmt`` on a binary stream."""
    if fmt == "jsonl":
        return JsonlWriter(out, options, write_header)
    if fmt in ("csv", "tsv"):
        return CsvWriter(out, options, write_header)
    if fmt == "warc":
        from garble_fix.warc import WarcWriter

        return WarcWriter(out, options, write_header, gzip_members)
    return TextWriter(out, options, write_header)


def reject_line(record: Record) -> bytes:
    """One JSON line for the rejects file: where the record was, why, and its raw bytes."""
    entry: dict[str, Any] = {"source": record.source, "location": record.location,
                             "reason": record.problem}
    # A whole file is not copied into the log: its location is the file itself.
    if record.raw is not None and record.location != "file":
        entry["raw"] = record.raw.decode("utf-8", "backslashreplace")
    return json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"
