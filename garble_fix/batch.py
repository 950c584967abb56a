"""Batch cleaning: ``garble-fix restore`` and :func:`restore_many`.

The run loop reads records (see :mod:`garble_fix.formats`), restores their
texts in worker processes in input order (see :mod:`garble_fix.workers`),
and writes each record out (see :mod:`garble_fix.writers`), to the rejects
file, or counts it as filtered. Every record read is accounted for:
``records_out + rejected + filtered == records_in`` is checked at the end of
every run. Output files are written to a temporary file beside the target and
renamed into place, also when the run is interrupted, so the target never
holds a half-written record; a small ``OUT.resume.json`` beside a partial
output lets ``--resume`` continue it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from itertools import chain
from typing import Any

from garble_fix import formats, writers
from garble_fix.config import RestoreConfig, config_from_kwargs
from garble_fix.formats import FormatError, Options, Record
from garble_fix.outputs import AtomicOutput, NullOutput, write_json_atomic
from garble_fix.stats import Stats
from garble_fix.types import RestoredText
from garble_fix.workers import (
    Failure,
    RestorerUnavailable,
    WorkerDied,
    default_jobs,
    ordered_map,
)

# A document counts as spun (for --check, --only-spun and the summary) when
# its spun_score is at least this: the score is a probability, so 0.5 is
# "more likely spun than not".
SPUN_THRESHOLD = 0.5

# Documents kept for the HTML report: enough to review in one sitting.
REPORT_LIMIT = 50

# Progress-bar postfix refresh interval in records (refreshing per record
# costs more than the bar is worth on fast inputs).
PROGRESS_EVERY = 16

EXIT_OK, EXIT_ERROR, EXIT_SPUN, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Options that cannot work together; reported as ``garble-fix error: ...``."""


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


@dataclass
class Plan:
    """Everything a run needs, checked before any record is read."""

    inputs: list[str]
    fmt: str
    options: Options
    output: str
    rejects: str | None
    stats: str | None
    report: str | None
    jobs: int
    config: RestoreConfig
    min_score: float | None
    check: bool
    resume: bool
    progress: bool
    quiet: bool


def run_restore(args: argparse.Namespace) -> int:
    """The ``restore`` command: returns 0, 1 (error), 2 (spun found with --check) or 130."""
    try:
        plan = _plan(args)
        return _execute(plan)
    except (UsageError, FormatError) as exc:
        print(f"garble-fix error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (TypeError, ValueError) as exc:  # bad option values from config_from_kwargs
        print(f"garble-fix error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _plan(args: argparse.Namespace) -> Plan:
    """Check the options and inputs; raise UsageError with a clear message."""
    inputs = list(args.inputs) or ["-"]
    for path in inputs:
        if path != "-" and not os.path.isfile(path):
            raise UsageError(f"no such file: {path}")
    fmt = args.format or _common_format(inputs)
    output = args.output or ("" if args.check else "-")
    _refuse_overwriting_inputs(inputs, [output, args.rejects, args.stats, args.report])
    if args.resume and (output in ("", "-") or not _regular_target(output)):
        raise UsageError("--resume needs an output file (-o FILE)")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.max_chars < 1:
        raise UsageError("--max-chars must be positive")
    min_score = args.min_spun_score
    if args.only_spun and min_score is None:
        min_score = SPUN_THRESHOLD
    overrides = {} if args.aggressiveness is None else {"aggressiveness": args.aggressiveness}
    config = config_from_kwargs(None, **overrides)
    options = Options(field=args.field, column=args.column, lines=args.lines,
                      output_field=args.output_field, explain=args.explain,
                      max_chars=args.max_chars)
    progress = not args.no_progress and sys.stderr.isatty()
    return Plan(inputs, fmt, options, output, args.rejects, args.stats, args.report,
                args.jobs or default_jobs(), config, min_score, args.check, args.resume,
                progress, args.quiet)


def _common_format(inputs: list[str]) -> str:
    """The format all inputs share by extension (stdin alone: text)."""
    found = {formats.detect_format(p) for p in inputs if p != "-"} or {"text"}
    if len(found) > 1:
        raise UsageError(f"inputs have different formats ({', '.join(sorted(found))}); "
                         "pass --format")
    return found.pop()


def _refuse_overwriting_inputs(inputs: list[str], outputs: list[str | None]) -> None:
    """Never write onto an input (it would be truncated before it is read)."""
    existing = [p for p in inputs if p != "-"]
    named = [o for o in outputs if o and o != "-"]
    for out in named:
        for source in existing:
            if os.path.abspath(out) == os.path.abspath(source) or (
                    os.path.exists(out) and os.path.samefile(out, source)):
                raise UsageError(f"refusing to write to the input file {out}")
    if len(set(map(os.path.abspath, named))) < len(named):
        raise UsageError("the output, --rejects, --stats and --report files must differ")


def _regular_target(path: str) -> bool:
    """True for a regular file or a name not taken yet (not /dev/null, a FIFO...)."""
    return not os.path.exists(path) or os.path.isfile(path)


def _state_path(output: str) -> str:
    """Where a partial output records how far it got."""
    return output + ".resume.json"


def _load_resume(plan: Plan) -> tuple[int, dict[str, Any]] | None:
    """How many input records a partial output covers and its stats; None if it is complete.

    Only the state file says how far a run got: records that were rejected
    or filtered leave no trace in the output, so counting the output's
    records could repeat some. A run that finished removes its state file,
    so an output without one is complete (or not ours) and is left alone.
    """
    state_file = _state_path(plan.output)
    if os.path.exists(state_file):
        with open(state_file, encoding="utf-8") as f:
            state = json.load(f)
        if state.get("inputs") != plan.inputs:
            raise UsageError(f"{state_file} is for other inputs ({state.get('inputs')}); "
                             "resume with the same inputs or remove it")
        return int(state["consumed"]), state.get("stats", {})
    if os.path.exists(plan.output):
        return None
    return 0, {}


def _read_all(plan: Plan) -> Iterator[Record]:
    """Chain the records of every input."""
    return chain.from_iterable(formats.read_records(p, plan.fmt, plan.options)
                               for p in plan.inputs)


def _skip(records: Iterator[Record], count: int) -> Iterator[tuple[Record, bool]]:
    """Yield ``(record, replayed)``: the first ``count`` records are replayed, not processed.

    Only structural records (a CSV header) are let through while replaying,
    so that the writer learns the layout without writing anything twice.
    """
    for index, record in enumerate(records):
        replayed = index < count
        if replayed and record.problem != "header":
            continue
        yield record, replayed


def _execute(plan: Plan) -> int:
    """Open the outputs, run the records through, and close everything properly."""
    resume = _load_resume(plan) if plan.resume else (0, {})
    if resume is None:
        print(f"garble-fix: {plan.output} is complete (no {_state_path(plan.output)}); "
              "nothing to resume", file=sys.stderr)
        return EXIT_OK
    skip, previous = resume
    run = _Run(plan, skip, previous)
    try:
        status = run.loop()
    finally:
        run.close()
    return status


class _Run:
    """The state of one run: outputs, writer, stats, report and progress."""

    def __init__(self, plan: Plan, skip: int, previous: dict[str, Any]) -> None:
        self.plan = plan
        self.skip = skip
        self.consumed = skip
        self.stats = Stats()
        self.previous = previous
        self.interrupted: str | None = None
        self.error: str | None = None
        self.stop_requested = False
        resume = plan.resume and skip > 0
        if plan.output:
            compress = plan.output.endswith(".gz") and plan.fmt != "warc"
            self.out: Any = AtomicOutput(plan.output, keep_existing=resume, compress=compress)
        else:
            self.out = NullOutput()
        self.rejects = AtomicOutput(plan.rejects, keep_existing=resume) if plan.rejects else None
        self.writer = writers.make_writer(
            plan.fmt, self.out.stream, plan.options, write_header=not resume,
            gzip_members=plan.fmt == "warc" and plan.output.endswith(".gz"))
        self.report = None
        if plan.report:
            from garble_fix.report import ReportCollector

            self.report = ReportCollector(REPORT_LIMIT)
        self.bar = _progress_bar(plan.progress)

    def loop(self) -> int:
        """Process every record; return the exit status."""
        start = time.perf_counter()
        items = ((pair, None if pair[1] else pair[0].text)
                 for pair in _skip(_read_all(self.plan), self.skip))
        restore_signals = _defer_signals(self)
        try:
            for (record, replayed), outcome in ordered_map(items, self.plan.jobs,
                                                           self.plan.config):
                self._handle(record, outcome, replayed)
                if self.stop_requested:
                    raise KeyboardInterrupt
        except KeyboardInterrupt:
            self.interrupted = "interrupted"
        except WorkerDied as exc:
            self.interrupted = str(exc)
        except (FormatError, RestorerUnavailable) as exc:  # e.g. another CSV header
            self.error = str(exc)
        finally:
            restore_signals()
            self.stats.seconds = time.perf_counter() - start
        return self._finish()

    def _handle(self, record: Record, outcome: Any, replayed: bool) -> None:
        """Send one record to the output, the rejects or the filtered count."""
        if replayed:  # a CSV header of a resumed output: only tell the writer the layout
            self.writer.write(record, None)
            return
        if record.problem == "header":
            self.writer.write(record, None)
        else:
            self.stats.records_in += 1
            if isinstance(outcome, Failure):
                record = record._replace(problem=outcome.reason, bad=True)
                outcome = None
            if outcome is None:
                self._unrestored(record)
            else:
                self._restored(record, outcome)
            self._tick()
        # Counted once written: the resume state must never cover an unwritten record.
        self.consumed += 1

    def _unrestored(self, record: Record) -> None:
        """A record without a restoration: reject it, filter it, or pass it through."""
        stats = self.stats
        reason = record.problem or "unknown"
        if record.bad and (self.rejects is not None or not record.passable):
            self._reject(record)
        elif self.plan.min_score is not None:
            stats.filtered += 1
        else:
            self.writer.write(record, None)
            stats.records_out += 1
            stats.count("skipped", reason)

    def _reject(self, record: Record) -> None:
        """Count a record as rejected and log it (to --rejects, or stderr without one)."""
        self.stats.rejected += 1
        self.stats.count("rejects_by_reason", record.problem or "unknown")
        line = writers.reject_line(record)
        if self.rejects is not None:
            self.rejects.stream.write(line)
        else:
            print(f"garble-fix: rejected {record.source} {record.location}: {record.problem}",
                  file=sys.stderr)

    def _restored(self, record: Record, result: RestoredText) -> None:
        """Write a restored record (unless filtered) and count it."""
        stats = self.stats
        stats.words += len(record.text.split()) if record.text else 0
        spun = result.spun_score >= (self.plan.min_score if self.plan.min_score is not None
                                     else SPUN_THRESHOLD)
        stats.spun += spun
        if self.report is not None:
            self.report.add(record, result)
        if self.plan.min_score is not None and result.spun_score < self.plan.min_score:
            stats.filtered += 1
            return
        self.writer.write(record, result)
        stats.records_out += 1
        stats.edits += len(result.edits)
        if result.edits:
            stats.restored += 1
        else:
            stats.unchanged += 1

    def _tick(self) -> None:
        """Advance the progress bar."""
        if self.bar is None:
            return
        self.bar.update(1)
        if self.stats.records_in % PROGRESS_EVERY == 0:
            elapsed = max(self.bar.format_dict.get("elapsed", 0.0), 1e-9)
            self.bar.set_postfix(words_s=f"{self.stats.words / elapsed:,.0f}",
                                 spun=self.stats.spun, refresh=False)

    def _finish(self) -> int:
        """Close the outputs, write stats/report/state, print the summary; pick the status."""
        plan = self.plan
        self.writer.close()
        if self.error and self.consumed == self.skip:
            return self._fail(self.error)  # nothing written: leave no empty output behind
        self.out.commit()
        if self.rejects is not None:
            self.rejects.commit()
        if self.error:
            self.interrupted = self.error
        if self.bar is not None:
            self.bar.close()
        self._save_state()
        current = self.stats
        if self.previous:
            current.merge(self.previous)
        data = current.as_dict()
        if self.interrupted:
            data["interrupted"] = self.interrupted
        if plan.stats:
            write_json_atomic(plan.stats, data)
        if self.report is not None:
            from garble_fix.report import write_report

            write_report(plan.report, self.report, data)  # type: ignore[arg-type]
        if not plan.quiet:
            print(current.summary(), file=sys.stderr)
        if self.interrupted:
            where = plan.output if plan.output not in ("", "-") else "the output"
            print(f"garble-fix error: {self.interrupted} after {self.consumed} records; "
                  f"{where} holds the complete records so far"
                  + ("; rerun with --resume to continue" if plan.output not in ("", "-") else ""),
                  file=sys.stderr)
            return EXIT_INTERRUPTED if self.interrupted == "interrupted" else EXIT_ERROR
        if not current.balanced:
            print("garble-fix error: record count mismatch (please report this bug): "
                  f"{current.records_in} in != {current.records_out} out + {current.rejected} "
                  f"rejected + {current.filtered} filtered", file=sys.stderr)
            return EXIT_ERROR
        return EXIT_SPUN if plan.check and current.spun else EXIT_OK

    def _fail(self, message: str) -> int:
        """Report an error that stopped the run before any record was written."""
        self.close()
        if self.bar is not None:
            self.bar.close()
        print(f"garble-fix error: {message}", file=sys.stderr)
        return EXIT_ERROR

    def _save_state(self) -> None:
        """Leave a resume state beside a partial output; remove it after a complete run."""
        if self.plan.output in ("", "-") or not _regular_target(self.plan.output):
            return
        state_file = _state_path(self.plan.output)
        if self.interrupted:
            stats = Stats()
            stats.merge(self.previous)
            stats.merge(asdict(self.stats))
            write_json_atomic(state_file, {"inputs": self.plan.inputs, "consumed": self.consumed,
                                           "stats": asdict(stats)})
        elif os.path.exists(state_file):
            os.unlink(state_file)

    def close(self) -> None:
        """Drop temporary files left by an error before :meth:`_finish` committed them."""
        self.out.discard()
        if self.rejects is not None:
            self.rejects.discard()


def _defer_signals(run: _Run) -> Any:
    """Turn the first Ctrl-C (or SIGTERM) into a request to stop between two records.

    Stopping between records, never inside a write, is what keeps the partial
    output valid. A second Ctrl-C interrupts at once. Returns a function that
    puts the previous handlers back.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def request_stop(signum: int, frame: Any) -> None:
        if run.stop_requested:
            raise KeyboardInterrupt
        run.stop_requested = True

    for sig in previous:
        signal.signal(sig, request_stop)

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def _progress_bar(enabled: bool) -> Any:
    """A tqdm bar on stderr when wanted and installed, else ``None`` (tqdm is optional)."""
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked
    return tqdm(unit=" records", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
