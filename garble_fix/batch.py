"""Batch cleaning: the two ways in, :func:`restore_many` and ``garble-fix restore``.

:func:`restore_many` is the Python API: texts or dict records in, results
out lazily in input order. ``garble-fix restore`` is the command: its options
are declared here, checked into a :class:`~garble_fix.batch_plan.Plan` by
:mod:`garble_fix.batch_plan`, and run record by record by
:mod:`garble_fix.batch_run`, which keeps every record accounted for
(``records_out + rejected + filtered == records_in``) and every output whole,
also when the run is interrupted (``--resume`` continues it). Both ways share
the worker processes of :mod:`garble_fix.workers`.

The names of those two modules that callers used to import from here
(the exit statuses, :data:`SPUN_THRESHOLD`, :class:`Plan`, :class:`UsageError`...)
are re-exported, so ``garble_fix.batch`` stays the one import for batch work.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from garble_fix import batch_run, formats
from garble_fix.batch_plan import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SPUN,
    SPUN_THRESHOLD,
    Plan,
    UsageError,
    build_plan,
)
from garble_fix.batch_run import PROGRESS_EVERY, REPORT_LIMIT, execute
from garble_fix.config import RestoreConfig, config_from_kwargs
from garble_fix.formats import FormatError
from garble_fix.types import RestoredText
from garble_fix.workers import Failure, default_jobs, ordered_map

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SPUN",
    "PROGRESS_EVERY",
    "REPORT_LIMIT",
    "SPUN_THRESHOLD",
    "Plan",
    "UsageError",
    "add_restore_command",
    "restore_many",
    "run_restore",
]

# The progress bar's old name here, for callers that reach for it (tests do).
_progress_bar = batch_run.progress_bar


# ---------------------------------------------------------------- Python API


def restore_many(texts_or_records: Iterable[Any], jobs: int | None = 1, *,
                 field: str | None = None, config: RestoreConfig | None = None,
                 **options: Any) -> Iterator[Any]:
    """Restore many texts (or dict records) in parallel, yielding results in input order.

    Strings give :class:`~garble_fix.RestoredText`; with ``field`` (a dotted
    path) each dict record gives a copy with the text restored in place and
    ``spun_score`` and ``n_edits`` added. ``jobs=None``
    uses every core. Works lazily: results come as they are ready, and memory
    stays constant however long the input.

    >>> [r.text for r in restore_many(["No spin here.", "Nor here."])]
    ['No spin here.', 'Nor here.']
    >>> next(restore_many([{"a": {"b": "Fine."}}], field="a.b"))["spun_score"] >= 0
    True
    """
    config = config_from_kwargs(config, **options)
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    path = field.split(".") if field else None
    pairs = (_api_item(index, item, path) for index, item in enumerate(texts_or_records))
    for (item, _), outcome in ordered_map(pairs, jobs, config, keep_alternatives=True):
        if isinstance(outcome, Failure):
            raise RuntimeError(outcome.reason)
        if outcome is None:  # cannot happen: every API item carries a text
            raise RuntimeError(f"no result for item {item!r}")
        if path is None:
            yield outcome
        else:
            yield _restored_record(item, path, outcome)


def _api_item(index: int, item: Any, path: list[str] | None) -> tuple[tuple[Any, int], str]:
    """Check one input of :func:`restore_many` and pick out its text."""
    if path is None:
        if not isinstance(item, str):
            raise TypeError(f"item {index}: expected str, got {type(item).__name__}"
                            " (pass field=... for dict records)")
        return (item, index), item
    if not isinstance(item, dict):
        raise TypeError(f"item {index}: expected a dict record, got {type(item).__name__}")
    found, value = formats.get_path(item, path)
    if not found or not isinstance(value, str):
        raise TypeError(f"item {index}: field {'.'.join(path)!r} is missing or not a string")
    return (item, index), value


def _restored_record(item: dict, path: list[str], result: RestoredText) -> dict:
    """A copy of ``item`` with the restored text and its scores."""
    record = json.loads(json.dumps(item))  # deep copy of plain JSON-like data
    formats.set_path(record, path, result.text)
    record["spun_score"] = result.spun_score
    record["n_edits"] = len(result.edits)
    return record


# ---------------------------------------------------------------- the command


def add_restore_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``garble-fix restore`` on the CLI's sub-parsers."""
    p = subparsers.add_parser(
        "restore", help="restore spun text in files or a stream of records",
        description="Restore spun English in text, JSONL, CSV/TSV or WARC/WET dumps "
                    "(optionally gzipped), in parallel, keeping every record.")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="input files, '-' for stdin (default)")
    p.add_argument("-o", "--output", default=None, help="output file ('-' or omitted: stdout; "
                   "a .gz name is gzipped)")
    p.add_argument("--format", choices=formats.FORMATS, help="input format (default: by extension)")
    p.add_argument("--field", default="text", help="JSONL: dotted path of the text field")
    p.add_argument("--column", default=None, help="CSV/TSV: name or 0-based index of the text "
                   "column (default: text)")
    p.add_argument("--lines", action="store_true", help="text: one document per line")
    p.add_argument("--output-field", default=None, help="write the restored text to this "
                   "field/column instead of in place")
    p.add_argument("--explain", action="store_true", help="JSONL/CSV: write the edits, not only "
                   "their number")
    p.add_argument("--min-spun-score", type=float, default=None, metavar="X",
                   help="keep only records whose spun_score is at least X")
    p.add_argument("--only-spun", action="store_true",
                   help=f"keep only spun records (--min-spun-score {SPUN_THRESHOLD})")
    p.add_argument("--check", action="store_true", help="exit 2 when spun text is found "
                   "(writes no output unless -o is given)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="worker processes "
                   "(default: all cores)")
    p.add_argument("--aggressiveness", type=float, default=None, help="0 (cautious) to 1 (bold)")
    p.add_argument("--max-chars", type=int, default=formats.DEFAULT_MAX_CHARS,
                   help="longer documents are passed through unrestored")
    p.add_argument("--rejects", default=None, metavar="FILE", help="write unparseable records "
                   "here (JSONL with location and reason) instead of passing them through")
    p.add_argument("--stats", default=None, metavar="FILE", help="write the summary as JSON")
    p.add_argument("--report", default=None, metavar="FILE", help="write an HTML review report "
                   "of the most spun documents")
    p.add_argument("--resume", action="store_true", help="continue an output that an "
                   "interrupted run left")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(handler=run_restore)
    return p


def run_restore(args: argparse.Namespace) -> int:
    """The ``restore`` command: returns 0, 1 (error), 2 (spun found with --check) or 130."""
    try:
        plan = build_plan(args)
        return execute(plan)
    except (UsageError, FormatError) as exc:
        print(f"garble-fix error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (TypeError, ValueError) as exc:  # bad option values from config_from_kwargs
        print(f"garble-fix error: {exc}", file=sys.stderr)
        return EXIT_ERROR

