"""Exceptions raised by garble_fix, rooted at :class:`GarbleFixError`."""

from __future__ import annotations


class GarbleFixError(Exception):
    """Base class of every error garble_fix raises on purpose."""


class DataError(GarbleFixError):
    """A shipped data table is missing, truncated or of the wrong version."""


class ModelError(GarbleFixError):
    """A language model could not be loaded (missing package or bad file)."""
