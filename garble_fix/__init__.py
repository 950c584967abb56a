"""garble_fix: restore spun English text.

Spam sites run copied articles through "article spinners" that swap words
for thesaurus synonyms ("told reporters" -> "instructed reporters", "White
House" -> "White Home"). garble_fix finds those unnatural phrases and puts
the original wording back, and leaves natural text alone.

>>> from garble_fix import restore
>>> restore("He met reporters at the White Home.")
'He met reporters at the White House.'
"""

from __future__ import annotations

from garble_fix.config import RestoreConfig
from garble_fix.errors import DataError, GarbleFixError, ModelError
from garble_fix.restore import (
    analyze,
    apply_edits,
    restore,
    restore_and_explain,
    spun_score,
)
from garble_fix.types import Candidate, Edit, RestoredText, Suspect

__version__ = "0.1.0"

__all__ = [
    "Candidate",
    "DataError",
    "Edit",
    "GarbleFixError",
    "ModelError",
    "RestoreConfig",
    "RestoredText",
    "Suspect",
    "analyze",
    "apply_edits",
    "restore",
    "restore_and_explain",
    "spun_score",
]


def restore_many(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Restore many texts or records in order; see :func:`garble_fix.batch.restore_many`."""
    from garble_fix.batch import restore_many as _restore_many

    return _restore_many(*args, **kwargs)
