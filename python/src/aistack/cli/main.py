"""Entry point of the ``aistack`` console script.

Each sub-command lives in its own module exposing ``register(subparsers)``;
the module sets ``func`` on its parser, which receives the parsed namespace and
returns the process exit code. Command modules keep their heavy imports
(FastAPI, uvicorn, torch) inside the function that runs the command, so
building the parser stays cheap.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from aistack import __version__
from aistack.cli.help_text import plain_parser

# Sub-command modules, in the order ``aistack --help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "aistack.cli.render",
    "aistack.cli.render_policy",
    "aistack.cli.config_cmd",
    "aistack.cli.facts",
    "aistack.cli.serve",
    "aistack.cli.dev",
    "aistack.cli.guard",
    "aistack.cli.audit",
    "aistack.cli.verify_model",
    "aistack.cli.fetch_model",
    "aistack.cli.secrets",
    "aistack.cli.rate",
    "aistack.cli.learn",
    "aistack.cli.reload_model",
    "aistack.cli.postflight",
    "aistack.cli.eval_cmd",
    "aistack.cli.knowledge_cmds",
    "aistack.cli.sync_sources",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every available sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="aistack",
        description="Render, check and run the nixos-ai-stack services.",
    )
    parser.add_argument("--version", action="version", version=f"aistack {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    register_commands(sub, COMMAND_MODULES)
    plain_parser(parser)
    return parser


def register_commands(sub: argparse._SubParsersAction, module_names: Sequence[str]) -> None:
    """Let each named module add its sub-command(s) to ``sub``."""
    for name in module_names:
        importlib.import_module(name).register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen sub-command; returns its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
