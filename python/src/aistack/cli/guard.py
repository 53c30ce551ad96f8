"""``aistack guard {scan,redact,url}``: the guards, from outside Python.

Each guard's command lives in its own module with ``register(subparsers)``;
this module only groups them. Exit codes for all of them: 0 nothing found or
blocked, 1 something was, 2 bad usage.
"""

from __future__ import annotations

import argparse

GUARD_COMMAND_MODULES = (
    "aistack.cli.guard_scan",
    "aistack.cli.guard_redact",
    "aistack.cli.guard_url",
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack guard`` and its guard commands."""
    parser = sub.add_parser("guard", help="run a guard over text or URLs")
    guard_sub = parser.add_subparsers(dest="guard_command", metavar="GUARD")
    guard_sub.required = True
    from aistack.cli.main import register_commands

    register_commands(guard_sub, GUARD_COMMAND_MODULES)
