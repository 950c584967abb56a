"""Counts of a batch run: what ``garble-fix restore`` prints at the end and ``--stats`` writes.

The record invariant lives here: every record read is written, rejected or
filtered (:attr:`Stats.balanced`).
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Stats:
    """What a run did; printed at the end and written by ``--stats``."""

    records_in: int = 0
    records_out: int = 0
    rejected: int = 0
    filtered: int = 0
    restored: int = 0
    unchanged: int = 0
    spun: int = 0
    edits: int = 0
    words: int = 0
    seconds: float = 0.0
    skipped: dict[str, int] = field(default_factory=dict)
    rejects_by_reason: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, reason: str) -> None:
        """Add one to ``table[reason]`` (reason codes with a detail keep only the code)."""
        key = reason.split(":", 1)[0]
        counts = getattr(self, table)
        counts[key] = counts.get(key, 0) + 1

    @property
    def balanced(self) -> bool:
        """The record invariant: every record read went somewhere."""
        return self.records_in == self.records_out + self.rejected + self.filtered

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, with rates added."""
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        data["records_per_second"] = round(self.records_in / self.seconds, 2) if self.seconds else 0
        data["words_per_second"] = round(self.words / self.seconds, 1) if self.seconds else 0
        data["balanced"] = self.balanced
        data["peak_rss_mb"] = _peak_rss_mb()
        return data

    def merge(self, previous: dict[str, Any]) -> None:
        """Add the counts of an earlier (interrupted) run that this one resumes."""
        for name in ("records_in", "records_out", "rejected", "filtered", "restored",
                     "unchanged", "spun", "edits", "words", "seconds"):
            setattr(self, name, getattr(self, name) + previous.get(name, 0))
        for table in ("skipped", "rejects_by_reason"):
            merged = Counter(getattr(self, table)) + Counter(previous.get(table, {}))
            setattr(self, table, dict(merged))

    def summary(self) -> str:
        """One paragraph for stderr."""
        def reasons(table: dict[str, int]) -> str:
            return ", ".join(f"{k}: {v}" for k, v in sorted(table.items())) or "none"
        rate = self.words / self.seconds if self.seconds else 0.0
        return (
            f"garble-fix: {self.records_in} records in, {self.records_out} out, "
            f"{self.rejected} rejected ({reasons(self.rejects_by_reason)}), "
            f"{self.filtered} filtered; restored {self.restored}, unchanged {self.unchanged}, "
            f"spun {self.spun}, {self.edits} edits; skipped ({reasons(self.skipped)}); "
            f"{self.words} words in {self.seconds:.1f} s ({rate:,.0f} words/s)"
        )


def _peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished worker, in MB."""
    try:
        import resource
    except ImportError:  # not on Windows
        return {}
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)  # KiB on Linux
    return {
        "main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, 1),
        "largest_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale, 1),
    }
