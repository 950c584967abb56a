"""``python -m garble_fix`` runs the command-line tool."""

from garble_fix.cli import main

raise SystemExit(main())
