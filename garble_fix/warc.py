"""WARC/WET support for the batch: read with ``warcio`` (an optional extra), write back valid.

Only text/plain ``conversion`` records (what WET files hold) are restored;
every other record is passed through with its headers and block unchanged.
A restored record gets a new ``Content-Length`` and block (and payload)
digest, so that WARC tools still verify the file.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from garble_fix.formats import FormatError, Options, Record, check_text
from garble_fix.types import RestoredText
from garble_fix.writers import Writer


class WarcRecord(NamedTuple):
    """A WARC record as header lines and block bytes, detached from the input stream."""

    protocol: str
    headers: list[tuple[str, str]]
    block: bytes

    def header(self, name: str) -> str | None:
        """The value of the first header called ``name`` (case-insensitive)."""
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)


def read_warc(stream: IO[bytes], source: str, options: Options) -> Iterator[Record]:
    """WARC/WET via ``warcio``: text/plain ``conversion`` records are restored, others kept."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError as exc:
        raise FormatError(
            "reading WARC/WET needs the optional 'warcio' package: pip install 'garble-fix[warc]'"
        ) from exc
    # ``stream`` is the raw file: warcio reads gzip members itself.
    records = iter(ArchiveIterator(stream, no_record_parse=True))
    number = 0
    while True:
        number += 1
        where = f"record {number}"
        try:
            rec = next(records)
            block = rec.raw_stream.read()
        except StopIteration:
            return
        except Exception:  # warcio raises many types for a damaged archive
            # Nothing of the damaged tail can be written back: it goes to rejects.
            yield Record(source, where, None, "damaged-warc", True)
            return
        yield _warc_record(source, where, rec, block, options)


def _warc_record(source: str, where: str, rec: Any, block: bytes, options: Options) -> Record:
    """Classify a WARC record: restore text/plain conversions, pass the rest through."""
    if getattr(rec, "format", "warc") != "warc":  # warcio guessed ARC: not a WARC at all
        return Record(source, where, None, "not-a-warc", True)
    headers = [(k, v) for k, v in rec.rec_headers.headers]
    warc = WarcRecord(rec.rec_headers.protocol or "WARC/1.0", headers, block)
    where = f"{where} {warc.header('WARC-Record-ID') or ''}".rstrip()
    length = warc.header("Content-Length")
    # No Content-Length (headers cut short) or fewer bytes than it says: truncated.
    if length is None or not length.isdigit() or int(length) > len(block):
        return Record(source, where, None, "truncated-warc", True, warc, serialize_warc(warc))
    content_type = (warc.header("Content-Type") or "").lower()
    if rec.rec_type != "conversion" or not content_type.startswith("text/plain"):
        return Record(source, where, None, "not-text", False, warc)
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return Record(source, where, None, "invalid-utf8", True, warc, serialize_warc(warc))
    reason = check_text(text, options.max_chars)
    return Record(source, where, None if reason else text, reason, False, warc)


def serialize_warc(record: WarcRecord) -> bytes:
    """Write a WARC record back: header lines in their order, block, two CRLFs."""
    head = record.protocol + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in record.headers)
    return head.encode("utf-8") + b"\r\n" + record.block + b"\r\n\r\n"


def warc_digest(block: bytes) -> str:
    """The ``sha1:BASE32`` digest WARC uses for blocks and payloads.

    >>> warc_digest(b"")
    'sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ'
    """
    return "sha1:" + base64.b32encode(hashlib.sha1(block).digest()).decode("ascii")


def replace_warc_block(record: WarcRecord, block: bytes) -> WarcRecord:
    """Return the record with a new block and its length and digests made valid again."""
    digest = warc_digest(block)
    headers = []
    for name, value in record.headers:
        lower = name.lower()
        if lower == "content-length":
            value = str(len(block))
        elif lower in ("warc-block-digest", "warc-payload-digest"):
            value = digest  # a text/plain conversion has no HTTP headers: payload == block
        headers.append((name, value))
    return record._replace(headers=headers, block=block)


class WarcWriter(Writer):
    """WARC: restored conversions get a new block, length and digest; others are unchanged.

    With a ``.gz`` output every record is its own gzip member, as WARC tools expect.
    """

    def __init__(self, out: IO[bytes], options: Options, write_header: bool = True,
                 gzip_members: bool = False) -> None:
        super().__init__(out, options, write_header)
        self.gzip_members = gzip_members

    def write(self, record: Record, result: RestoredText | None) -> None:
        warc = record.carrier
        if result is not None:
            warc = replace_warc_block(warc, result.text.encode("utf-8"))
            warc.headers.append(("WARC-Garble-Fix-Spun-Score", f"{result.spun_score:.4f}"))
            warc.headers.append(("WARC-Garble-Fix-Edits", str(len(result.edits))))
        data = serialize_warc(warc)
        self.out.write(gzip.compress(data) if self.gzip_members else data)
