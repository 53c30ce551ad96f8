"""Entry point of the ``aistack`` console script.

Each sub-command lives in its own module exposing ``register(subparsers)``;
the module sets ``func`` on its parser, which receives the parsed namespace and
returns the process exit code. Modules are imported lazily by name so that a
quick command (``aistack config check``) never pays for FastAPI or torch.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

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
)

EX_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every available sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="aistack",
        description="Render, check and run the nixos-ai-stack services.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A sub-command whose module is not there yet is simply absent;
            # a missing third-party import inside it is a real error.
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen sub-command; returns its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
