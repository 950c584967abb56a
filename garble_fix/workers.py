"""Worker processes for batch restoration: ordered, bounded, and loaded once per worker.

:func:`ordered_map` sends chunks of texts to a process pool and yields the
results in input order. It keeps only a few chunks in flight, so memory stays
constant however long the input is (``Pool.imap`` would read the whole input
ahead into its task queue). Each worker loads the restorer's data once, in
its initializer, by restoring one tiny text.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, NamedTuple, TypeVar

from garble_fix import restore_and_explain
from garble_fix.config import RestoreConfig
from garble_fix.errors import GarbleFixError
from garble_fix.types import RestoredText

P = TypeVar("P")

# A chunk is closed at this many records, or at this many characters,
# whichever comes first. A news article (~4,000 characters) takes the
# restorer a few hundred milliseconds, over a thousand times an IPC round
# trip, so one or two articles per chunk cost nothing in overhead and keep
# the workers evenly loaded; short records (lines, titles) are batched up to
# 64 so that their round trips stay a small fraction of the work.
CHUNK_RECORDS = 64
CHUNK_CHARS = 8_000

# Chunks kept in flight per worker: two keeps every worker busy while the
# main process writes results; more would only hold more records in memory.
INFLIGHT_PER_WORKER = 3

# Warm-up text for each worker: one spun phrase, so the first real record
# does not pay for loading the tables and the language model.
WARMUP_TEXT = "He told reporters at the White Home."


class Failure(NamedTuple):
    """The restorer raised on one record; the batch goes on and counts it."""

    reason: str


Outcome = RestoredText | Failure | None


class RestorerUnavailable(GarbleFixError):
    """The restorer could not start (missing data table, broken model): nothing can be restored."""


class WorkerDied(Exception):
    """A worker process was killed (OOM killer, signal); the output so far is kept."""


_CONFIG: RestoreConfig | None = None
_KEEP_ALTERNATIVES = False
_INIT_ERROR: str | None = None


# Peak memory of one worker with every table loaded (measured by
# benchmarks/bench_batch.py: about 400 MB), with a margin for large records.
WORKER_MEMORY_BYTES = 500 * 1024 * 1024


def default_jobs() -> int:
    """All the cores this process may run on, as far as the available memory allows.

    >>> default_jobs() >= 1
    True
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    available = _available_memory()
    if available is None:
        return cores
    return max(1, min(cores, available // WORKER_MEMORY_BYTES))


def _available_memory() -> int | None:
    """MemAvailable from /proc/meminfo in bytes, or None where it cannot be read."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def init_worker(config: RestoreConfig | None, keep_alternatives: bool = False,
                in_pool: bool = True) -> None:
    """Load the restorer once in this process (the pool initializer).

    ``in_pool`` is False when restoring in the main process (``jobs=1``).
    Workers ignore Ctrl-C: the main process handles it, writes what is done
    and shuts the pool down, rather than every worker dying mid-record.
    """
    global _CONFIG, _KEEP_ALTERNATIVES, _INIT_ERROR
    if in_pool:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _CONFIG = config
    _KEEP_ALTERNATIVES = keep_alternatives
    try:
        restore_and_explain(WARMUP_TEXT, config)
        _INIT_ERROR = None
    except Exception as exc:
        # Raised from restore_chunk instead: an initializer that raises only
        # breaks the pool, and the reason would be lost.
        _INIT_ERROR = f"the restorer cannot start: {type(exc).__name__}: {exc}"
        if not in_pool:  # in-process: say so now
            raise RestorerUnavailable(_INIT_ERROR) from exc


def restore_chunk(texts: list[str | None]) -> list[Outcome]:
    """Restore each text of a chunk; ``None`` stays ``None``, an exception becomes a Failure."""
    if _INIT_ERROR is not None:
        raise RestorerUnavailable(_INIT_ERROR)
    return [None if text is None else _restore_one(text) for text in texts]


def _restore_one(text: str) -> RestoredText | Failure:
    """Restore one text, turning any exception into a counted failure."""
    try:
        result = restore_and_explain(text, _CONFIG)
    except Exception as exc:  # a bug on one record must not stop a million-record batch
        return Failure(f"restore-error: {type(exc).__name__}: {exc}"[:300])
    if not _KEEP_ALTERNATIVES and any(e.alternatives for e in result.edits):
        # Alternatives are not written anywhere by the batch; do not pickle them back.
        result = result._replace(edits=[e._replace(alternatives=()) for e in result.edits])
    return result


def chunked(items: Iterable[tuple[P, str | None]]) -> Iterator[list[tuple[P, str | None]]]:
    """Group ``(payload, text)`` pairs into chunks bounded in records and characters.

    >>> [len(c) for c in chunked((i, "x") for i in range(150))]
    [64, 64, 22]
    """
    chunk: list[tuple[P, str | None]] = []
    chars = 0
    for item in items:
        chunk.append(item)
        chars += len(item[1] or "")
        if len(chunk) >= CHUNK_RECORDS or chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _context() -> Any:
    """``fork`` where it exists (workers start in milliseconds), else the platform default."""
    if sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def ordered_map(items: Iterable[tuple[P, str | None]], jobs: int = 1,
                config: RestoreConfig | None = None,
                keep_alternatives: bool = False) -> Iterator[tuple[P, Outcome]]:
    """Restore the texts of ``(payload, text)`` pairs; yield ``(payload, outcome)`` in input order.

    ``payload`` never leaves this process (only the text goes to a worker).

    >>> [o.text for _, o in ordered_map([(1, "Plain text.")])]
    ['Plain text.']
    """
    if jobs <= 1:
        init_worker(config, keep_alternatives, in_pool=False)
        for chunk in chunked(items):
            outcomes = restore_chunk([text for _, text in chunk])
            yield from zip([payload for payload, _ in chunk], outcomes)
        return
    yield from _parallel_map(items, jobs, config, keep_alternatives)


def _parallel_map(items: Iterable[tuple[P, str | None]], jobs: int,
                  config: RestoreConfig | None,
                  keep_alternatives: bool) -> Iterator[tuple[P, Outcome]]:
    """The pool version of :func:`ordered_map`, with a bounded window of chunks in flight."""
    executor = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=init_worker,
                                   initargs=(config, keep_alternatives))
    pending: deque[tuple[list[P], Future[list[Outcome]]]] = deque()
    limit = jobs * INFLIGHT_PER_WORKER
    try:
        for chunk in chunked(items):
            texts = [text for _, text in chunk]
            future: Future[list[Outcome]]
            if all(text is None for text in texts):  # nothing to restore: no round trip
                future = Future()
                future.set_result([None] * len(texts))
            else:
                future = executor.submit(restore_chunk, texts)
            pending.append(([payload for payload, _ in chunk], future))
            while len(pending) >= limit:
                yield from _collect(pending.popleft())
        while pending:
            yield from _collect(pending.popleft())
    finally:
        for _, future in pending:
            future.cancel()
        executor.shutdown(wait=False, cancel_futures=True)


def _collect(entry: tuple[list[P], Future[list[Outcome]]]) -> Iterator[tuple[P, Outcome]]:
    """Wait for one chunk and pair its outcomes with their payloads."""
    payloads, future = entry
    try:
        outcomes = future.result()
    except BrokenProcessPool as exc:
        raise WorkerDied("a worker process died (killed or out of memory)") from exc
    yield from zip(payloads, outcomes)
