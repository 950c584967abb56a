"""Output files of a batch run, written atomically.

Every file the batch writes (output, rejects, stats, report) goes to a
temporary file in the target's directory and is renamed onto the target
only when complete (``os.replace`` is atomic within a directory), so the
target never holds a half-written record, even after Ctrl-C.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from typing import IO, Any


class AtomicOutput:
    """A binary output that appears under its final name only when committed.

    Writes go to a temporary file in the target's directory (so that
    ``os.replace`` is atomic); ``keep_existing`` first copies the current
    target in, which is how ``--resume`` appends. ``-`` is stdout, written
    directly.
    """

    def __init__(self, path: str, keep_existing: bool = False, compress: bool = False) -> None:
        self.path = path
        self.temp: str | None = None
        self.file: IO[bytes] | None = None
        self.direct: IO[bytes] | None = None
        if path == "-":
            self.stream: IO[bytes] = sys.stdout.buffer
            return
        if os.path.exists(path) and not os.path.isfile(path):
            # /dev/null, a FIFO, a terminal: nothing to replace, write straight to it.
            self.direct = open(path, "ab")  # noqa: SIM115 - closed in commit/discard
            self.stream = _gzip_writer(self.direct) if compress else self.direct
            return
        directory = os.path.dirname(os.path.abspath(path))
        fd, self.temp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.",
                                         suffix=".tmp")
        self.file = os.fdopen(fd, "wb")
        if keep_existing and os.path.exists(path):
            with open(path, "rb") as old:
                shutil.copyfileobj(old, self.file)
        # A resumed .gz output gets a second gzip member: gzip readers join them.
        self.stream = _gzip_writer(self.file) if compress else self.file

    def commit(self) -> None:
        """Close and move the temporary file onto the target (keeping its permissions)."""
        if self.direct is not None:
            if self.stream is not self.direct:
                self.stream.close()
            self.direct.close()
            self.direct = None
            return
        if self.file is None:
            self.stream.flush()
            return
        if self.stream is not self.file:
            self.stream.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        mode = os.stat(self.path).st_mode if os.path.exists(self.path) else 0o666 & ~_umask()
        os.chmod(self.temp, mode & 0o7777)  # type: ignore[arg-type]
        os.replace(self.temp, self.path)  # type: ignore[arg-type]
        self.file = None

    def discard(self) -> None:
        """Drop the temporary file (the target is left as it was)."""
        if self.direct is not None:
            self.direct.close()
            self.direct = None
        if self.file is not None:
            self.file.close()
            os.unlink(self.temp)  # type: ignore[arg-type]
            self.file = None


def _gzip_writer(file: IO[bytes]) -> IO[bytes]:
    """A gzip stream on ``file`` (level 6: gzip's default trade-off)."""
    import gzip

    return gzip.GzipFile(fileobj=file, mode="wb", compresslevel=6)  # type: ignore[return-value]


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json_atomic(path: str, data: Any) -> None:
    """Write a JSON file through :class:`AtomicOutput`."""
    out = AtomicOutput(path)
    out.stream.write(json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")
    out.commit()


class NullOutput:
    """Where output goes with ``--check`` and no ``-o``: nowhere."""

    def __init__(self) -> None:
        self.stream = _Sink()
        self.path = os.devnull

    def commit(self) -> None:
        """Nothing to keep."""

    def discard(self) -> None:
        """Nothing to drop."""


class _Sink:
    """A binary stream that discards writes."""

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass
