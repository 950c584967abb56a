"""What a ``garble-fix restore`` run is asked to do, checked before any record is read.

:func:`build_plan` turns the parsed options into a :class:`Plan`, refusing
combinations that cannot work (:class:`UsageError`) up front, so that a long
run never fails halfway on something the options already said. The resume
state of a partial output is read here too, for the same reason: whether a
run starts afresh, continues, or has nothing to do is decided before the
first record (:mod:`garble_fix.batch_run` writes that state). The threshold
and exit statuses live here because the options, the run and the command all
share them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

from garble_fix import formats
from garble_fix.config import RestoreConfig, config_from_kwargs
from garble_fix.formats import Options
from garble_fix.workers import default_jobs

# A document counts as spun (for --check, --only-spun and the summary) when
# its spun_score is at least this: the score is a probability, so 0.5 is
# "more likely spun than not".
SPUN_THRESHOLD = 0.5

EXIT_OK, EXIT_ERROR, EXIT_SPUN, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Options that cannot work together; reported as ``garble-fix error: ...``."""


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


def build_plan(args: argparse.Namespace) -> Plan:
    """Check the options and inputs; raise UsageError with a clear message."""
    inputs = list(args.inputs) or ["-"]
    for path in inputs:
        if path != "-" and not os.path.isfile(path):
            raise UsageError(f"no such file: {path}")
    fmt = args.format or _common_format(inputs)
    output = args.output or ("" if args.check else "-")
    _refuse_overwriting_inputs(inputs, [output, args.rejects, args.stats, args.report])
    if args.resume and (output in ("", "-") or not regular_target(output)):
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


def regular_target(path: str) -> bool:
    """True for a regular file or a name not taken yet (not /dev/null, a FIFO...)."""
    return not os.path.exists(path) or os.path.isfile(path)


def state_path(output: str) -> str:
    """Where a partial output records how far it got."""
    return output + ".resume.json"


def load_resume(plan: Plan) -> tuple[int, dict[str, Any]] | None:
    """How many input records a partial output covers and its stats; None if it is complete.

    Only the state file says how far a run got: records that were rejected
    or filtered leave no trace in the output, so counting the output's
    records could repeat some. A run that finished removes its state file,
    so an output without one is complete (or not ours) and is left alone.
    """
    state_file = state_path(plan.output)
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
