"""The ``garble-fix eval PAIRS.jsonl`` command: its options, and its printed and JSON reports.

This is the command-line layer over :mod:`garble_fix.evaluate`, which holds
the scoring convention, pair loading and :func:`~garble_fix.evaluate.evaluate_pairs`.
It is kept apart so that the yardstick stays a small module that benchmarks
and tests import without argument parsing or report formatting; the restorer
core is imported only when :func:`make_restorer` is called.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from garble_fix.errors import GarbleFixError
from garble_fix.evaluate import (
    Pair,
    Report,
    Restorer,
    TokenEdit,
    evaluate_pairs,
    group_by_doc,
    load_pairs,
    pair_errors,
    token_edits,
)


def add_eval_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``eval PAIRS.jsonl`` on the CLI's sub-parsers."""
    parser = subparsers.add_parser(
        "eval",
        help="score restorations against spun/original pairs",
        description="Restore the spun side of a JSONL pairs file (fields doc, line, spun, "
        "original) and print precision, recall, F0.5, WER before/after and its reduction, "
        "and false edits per 1000 words on the original (clean) side.",
    )
    parser.add_argument("pairs", metavar="PAIRS.jsonl", help="pairs file")
    parser.add_argument("--by-doc", action="store_true",
                        help="restore each document in one call (lines joined with newlines)")
    parser.add_argument("--aggressiveness", type=float, default=None, help="0.0 to 1.0")
    parser.add_argument("--no-signatures", action="store_true", help="no spinner-signature lexicon")
    parser.add_argument("--no-thesaurus", action="store_true", help="no thesaurus inversion")
    parser.add_argument("--sources", default=None,
                        help="thesaurus sources to invert, comma-separated (wordnet,moby)")
    parser.add_argument("--no-numbers", action="store_true", help="no number-word restoration")
    parser.add_argument("--no-joint", action="store_true", help="decide words one at a time")
    parser.add_argument("--no-document-evidence", action="store_true",
                        help="ignore the document's overall spun score")
    parser.add_argument("--no-clean", action="store_true",
                        help="skip the false-edit count on the original side")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--show-errors", action="store_true",
                        help="list missed and wrong edits (and false edits on clean text)")
    parser.set_defaults(handler=run_eval)
    return parser


def config_options(args: argparse.Namespace) -> dict[str, Any]:
    """Turn ``eval``'s flags into :class:`~garble_fix.RestoreConfig` keyword options.

    >>> ns = argparse.Namespace(aggressiveness=None, no_signatures=True, no_thesaurus=False,
    ...     sources="moby", no_numbers=False, no_joint=False, no_document_evidence=False)
    >>> config_options(ns)
    {'use_signatures': False, 'thesaurus_sources': ('moby',)}
    """
    options: dict[str, Any] = {}
    if args.aggressiveness is not None:
        options["aggressiveness"] = args.aggressiveness
    flags = {"no_signatures": "use_signatures", "no_thesaurus": "use_thesaurus",
             "no_numbers": "use_numbers", "no_joint": "joint",
             "no_document_evidence": "document_evidence"}
    for flag, field in flags.items():
        if getattr(args, flag, False):
            options[field] = False
    if args.sources:
        options["thesaurus_sources"] = tuple(s.strip() for s in args.sources.split(",") if s.strip())
    return options


def make_restorer(options: dict[str, Any]) -> Restorer:
    """Build a one-argument restorer from config options (the core is imported only here)."""
    from garble_fix.config import config_from_kwargs
    from garble_fix.restore import restore

    config = config_from_kwargs(None, **options)
    return lambda text: restore(text, config)


def run_eval(args: argparse.Namespace) -> int:
    """Handle ``garble-fix eval``: 0 on success, 1 on a bad file, option or data table."""
    try:
        pairs = load_pairs(args.pairs)
        options = config_options(args)
        restorer = make_restorer(options)
    except (OSError, ValueError, TypeError) as error:
        print(f"garble-fix error: {error}", file=sys.stderr)
        return 1
    try:
        report = evaluate_pairs(pairs, restorer, by_doc=args.by_doc, clean=not args.no_clean)
    except GarbleFixError as error:  # missing data table or model: say so, no traceback
        print(f"garble-fix error: {error}", file=sys.stderr)
        return 1
    for doc in report.fallback_docs:
        print(f"note: document {doc!r} changed its line count when restored whole; "
              "restored line by line instead", file=sys.stderr)
    if args.json:
        print(json.dumps(report_dict(pairs, report, args, options), ensure_ascii=False))
    else:
        print(format_report(pairs, report, by_doc=args.by_doc))
        if args.show_errors:
            print(format_errors(pairs, report))
    return 0


def report_dict(
    pairs: Sequence[Pair], report: Report, args: argparse.Namespace, options: dict[str, Any]
) -> dict[str, Any]:
    """The machine-readable form of a report (``--json``)."""
    data: dict[str, Any] = {
        "pairs_file": str(args.pairs),
        "mode": "by-doc" if args.by_doc else "by-line",
        "documents": len(group_by_doc(pairs)),
        "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()},
        **report.result.as_dict(),
        "fallback_docs": report.fallback_docs,
    }
    if report.clean is not None:
        data["clean"] = {**report.clean._asdict(), "per_1000": report.clean.per_1000}
    if args.show_errors:
        data["errors"] = [
            {"doc": kind_doc, "line": line, "kind": kind, "found": " ".join(e.found),
             "replacement": " ".join(e.replacement)}
            for kind, kind_doc, line, e in iter_errors(pairs, report)
        ]
    return data


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def format_report(pairs: Sequence[Pair], report: Report, *, by_doc: bool) -> str:
    """The human-readable summary printed by ``eval``."""
    r = report.result
    lines = [
        f"pairs: {r.pairs} lines in {len(group_by_doc(pairs))} document(s), "
        f"restored {'by document' if by_doc else 'line by line'}",
        f"edits: gold {r.gold_edits}, system {r.system_edits}, correct {r.correct}",
        f"precision {r.precision:.3f}  recall {r.recall:.3f}  F0.5 {r.f05:.3f}",
        f"WER spun {r.wer_spun:.3f} -> restored {r.wer_restored:.3f} "
        f"(relative reduction {_percent(r.wer_reduction)})",
    ]
    if report.clean is not None:
        c = report.clean
        lines.append(f"clean side: {c.false_edits} false edits in {c.words} words "
                     f"= {c.per_1000:.2f} per 1000 words")
    return "\n".join(lines)


def iter_errors(pairs: Sequence[Pair], report: Report) -> Iterable[tuple[str, str, int, TokenEdit]]:
    """Yield ``(kind, doc, line, edit)`` for kind ``missed``, ``wrong`` and ``false`` (clean side)."""
    for i, pair in enumerate(pairs):
        errors = pair_errors(pair.spun, pair.original, report.restored[i])
        for edit in errors.missed:
            yield "missed", pair.doc, pair.line, edit
        for edit in errors.wrong:
            yield "wrong", pair.doc, pair.line, edit
        if report.restored_clean is not None:
            for edit in token_edits(pair.original, report.restored_clean[i]):
                yield "false", pair.doc, pair.line, edit


def format_errors(pairs: Sequence[Pair], report: Report) -> str:
    """One line per error: ``doc:line  kind  'found' -> 'replacement'``."""
    rows = [f"{doc}:{line}\t{kind}\t{edit}" for kind, doc, line, edit in iter_errors(pairs, report)]
    return "\n".join(["errors:"] + rows) if rows else "errors: none"
