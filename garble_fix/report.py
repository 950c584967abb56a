"""A self-contained HTML page for reviewing the restorations of a batch run.

``garble-fix restore --report report.html`` keeps the most spun documents of
the run (a bounded heap, so memory does not grow with the dump) and renders
each with its edits highlighted: the found words struck through, the
replacement beside them, confidence and reason on hover. One file, no
scripts, no external resources, so it can be mailed or archived as is.
"""

from __future__ import annotations

import heapq
import html
import itertools
from typing import Any, NamedTuple

from garble_fix.types import Edit, RestoredText

# Characters of a document kept for the report: a long article is still
# shown in full, while a scrape accident cannot blow up the page or memory.
MAX_TEXT_CHARS = 50_000


class Entry(NamedTuple):
    """One document shown in the report."""

    spun_score: float
    source: str
    location: str
    text: str
    edits: list[Edit]
    truncated: bool


class ReportCollector:
    """Keeps the ``limit`` most spun documents seen, by spun score (ties: earliest first).

    >>> from garble_fix.types import RestoredText
    >>> c = ReportCollector(1)
    >>> c.add_text("a", "x", RestoredText("x", [], 0.2)); c.add_text("b", "y", RestoredText("y", [], 0.9))
    >>> [e.source for e in c.entries()]
    ['b']
    """

    def __init__(self, limit: int = 50) -> None:
        self.limit = limit
        self._heap: list[tuple[float, int, Entry]] = []
        self._order = itertools.count()

    def add(self, record: Any, result: RestoredText) -> None:
        """Offer a restored batch record (anything with ``source``, ``location``, ``text``)."""
        self.add_text(f"{record.source} {record.location}", record.text or "", result)

    def add_text(self, source: str, text: str, result: RestoredText, location: str = "") -> None:
        """Offer one restored document."""
        if len(self._heap) >= self.limit and result.spun_score <= self._heap[0][0]:
            return
        truncated = len(text) > MAX_TEXT_CHARS
        if truncated:
            text = text[:MAX_TEXT_CHARS]
        edits = [e for e in result.edits if e.end <= len(text)]
        entry = Entry(float(result.spun_score), source, location, text, edits, truncated)
        # Negated order so that among equal scores the earliest document survives.
        item = (entry.spun_score, -next(self._order), entry)
        if len(self._heap) < self.limit:
            heapq.heappush(self._heap, item)
        else:
            heapq.heapreplace(self._heap, item)

    def entries(self) -> list[Entry]:
        """The kept documents, most spun first."""
        return [e for _, _, e in sorted(self._heap, key=lambda t: (-t[0], -t[1]))]


STYLE = """
body { font: 15px/1.5 Georgia, serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.05em; margin: 0 0 .4em; font-family: sans-serif; }
.summary { font-family: sans-serif; font-size: .9em; color: #444; }
.doc { border: 1px solid #ddd; border-radius: 6px; padding: .8em 1em; margin: 1em 0; }
.score { float: right; font-family: sans-serif; font-weight: bold; }
.text { white-space: pre-wrap; }
.edit { background: #fff6d5; border-bottom: 2px solid #e0b000; cursor: help; }
.edit.low { border-bottom-style: dotted; }
.edit del { color: #a33; } .edit ins { color: #185; text-decoration: none; font-weight: bold; }
.arrow { color: #999; font-size: .8em; }
.note { color: #777; font-style: italic; }
"""

# Edits below this confidence get a dotted underline: the ones to look at first.
LOW_CONFIDENCE = 0.7


def render_edit(text: str, edit: Edit) -> str:
    """One edit as ``<del>found</del> → <ins>replacement</ins>`` with a hover title.

    >>> from garble_fix.types import Edit
    >>> render_edit("White Home", Edit(6, 10, "Home", "House", 0.9, "signature"))
    '<span class="edit" title="confidence 0.90 · signature"><del>Home</del><span class="arrow"> → </span><ins>House</ins></span>'
    """
    found = text[edit.start:edit.end]
    title = f"confidence {edit.confidence:.2f} · {edit.reason}"
    klass = "edit" if edit.confidence >= LOW_CONFIDENCE else "edit low"
    return (f'<span class="{klass}" title="{html.escape(title)}"><del>{html.escape(found)}</del>'
            f'<span class="arrow"> → </span><ins>{html.escape(edit.replacement)}</ins></span>')


def render_text(text: str, edits: list[Edit]) -> str:
    """The document as HTML with its (non-overlapping, sorted) edits highlighted."""
    parts: list[str] = []
    last = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < last:  # overlapping edits cannot both be shown inline
            continue
        parts.append(html.escape(text[last:edit.start]))
        parts.append(render_edit(text, edit))
        last = edit.end
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def render_report(entries: list[Entry], stats: dict[str, Any] | None = None,
                  title: str = "garble-fix review") -> str:
    """The whole HTML page."""
    stats = stats or {}
    summary = ", ".join(f"{k.replace('_', ' ')}: {stats[k]}" for k in
                        ("records_in", "records_out", "restored", "unchanged", "spun",
                         "rejected", "filtered") if k in stats)
    docs = []
    for rank, entry in enumerate(entries, 1):
        note = '<p class="note">(document truncated for the report)</p>' if entry.truncated else ""
        docs.append(
            f'<section class="doc" id="doc-{rank}">'
            f'<h2><span class="score">spun {entry.spun_score:.2f}</span>'
            f'#{rank} {html.escape(entry.source)} {html.escape(entry.location)}'
            f' · {len(entry.edits)} edits</h2>'
            f'<div class="text">{render_text(entry.text, entry.edits)}</div>{note}</section>')
    body = "\n".join(docs) or '<p class="note">No restored documents.</p>'
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>'
            f'<h1>{html.escape(title)}</h1><p class="summary">{html.escape(summary)}. '
            f'The {len(entries)} most spun documents, most spun first; hover an edit for its '
            f'confidence and reason.</p>\n{body}\n</body></html>\n')


def write_report(path: str, collector: ReportCollector, stats: dict[str, Any] | None = None) -> None:
    """Render the collected documents and write the page atomically."""
    from garble_fix.outputs import AtomicOutput

    out = AtomicOutput(path)
    out.stream.write(render_report(collector.entries(), stats).encode("utf-8"))
    out.commit()
