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
    from garble_fix import __version__

    parser.add_argument("--version", action="version", version=f"garble-fix {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    from garble_fix import eval_cli

    eval_cli.add_eval_command(commands)
    from garble_fix import batch

    batch.add_restore_command(commands)
    return parser


COMMANDS = ("restore", "eval")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 error, 2 spun found with --check).

    ``restore`` is the default command: ``garble-fix dump.jsonl -o out.jsonl``
    works like ``garble-fix restore dump.jsonl -o out.jsonl``.
    """
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] not in (*COMMANDS, "-h", "--help", "--version"):
        arguments.insert(0, "restore")
    args = parser.parse_args(arguments)
    try:
        return int(args.handler(args))
    except BrokenPipeError:
        # The reader went away (``garble-fix eval ... | head``): not an error of ours.
        # Point stdout at /dev/null so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
