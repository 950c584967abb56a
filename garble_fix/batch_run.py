"""Running a checked :class:`~garble_fix.batch_plan.Plan`: the record loop of ``garble-fix restore``.

Records are read (see :mod:`garble_fix.formats`), restored in worker
processes in input order (see :mod:`garble_fix.workers`), and each one is
written out (see :mod:`garble_fix.writers`), sent to the rejects file, or
counted as filtered, so that ``records_out + rejected + filtered ==
records_in`` holds at the end of every run. Outputs go through
:class:`~garble_fix.outputs.AtomicOutput`, so they are committed whole even
when the run is interrupted; the first Ctrl-C stops between two records, and
the resume state written beside a partial output lets ``--resume`` continue
it (it is read back by :func:`~garble_fix.batch_plan.load_resume`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from itertools import chain
from typing import Any

from garble_fix import formats, writers
from garble_fix.batch_plan import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SPUN,
    SPUN_THRESHOLD,
    Plan,
    load_resume,
    regular_target,
    state_path,
)
from garble_fix.formats import FormatError, Record
from garble_fix.outputs import AtomicOutput, NullOutput, write_json_atomic
from garble_fix.stats import Stats
from garble_fix.types import RestoredText
from garble_fix.workers import Failure, RestorerUnavailable, WorkerDied, ordered_map

# Documents kept for the HTML report: enough to review in one sitting.
REPORT_LIMIT = 50

# Progress-bar postfix refresh interval in records (refreshing per record
# costs more than the bar is worth on fast inputs).
PROGRESS_EVERY = 16


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


def execute(plan: Plan) -> int:
    """Open the outputs, run the records through, and close everything properly."""
    resume = load_resume(plan) if plan.resume else (0, {})
    if resume is None:
        print(f"garble-fix: {plan.output} is complete (no {state_path(plan.output)}); "
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
        self.bar = progress_bar(plan.progress)

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
        if self.plan.output in ("", "-") or not regular_target(self.plan.output):
            return
        state_file = state_path(self.plan.output)
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


def progress_bar(enabled: bool) -> Any:
    """A tqdm bar on stderr when wanted and installed, else ``None`` (tqdm is optional)."""
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked
    return tqdm(unit=" records", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
