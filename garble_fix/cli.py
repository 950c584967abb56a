"""The ``garble-fix`` command: ``restore`` (batch cleaning) and ``eval``.

``main(argv) -> int`` so that tests can run it in-process, after
language_tool_python's CLI.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="garble-fix", description="Restore spun English text."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    from garble_fix import evaluate

    evaluate.add_eval_command(commands)
    from garble_fix import batch

    batch.add_restore_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 error, 2 spun found with --check)."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        return int(args.handler(args))
    except BrokenPipeError:
        # The reader went away (``garble-fix eval ... | head``): not an error of ours.
        # Point stdout at /dev/null so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
