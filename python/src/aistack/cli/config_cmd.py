"""``aistack config check FILE...``: validate configs (exit 0, or 78 naming the field)."""

from __future__ import annotations

import argparse
import sys

from aistack.config import EX_CONFIG, ConfigError, load_config, model_for_service
from aistack.config.registry import SERVICE_MODELS


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack config check``."""
    parser = sub.add_parser("config", help="work with service configs")
    config_sub = parser.add_subparsers(dest="config_command", metavar="ACTION")
    config_sub.required = True
    check = config_sub.add_parser("check", help="validate config files against their schema")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument(
        "--service",
        choices=sorted(SERVICE_MODELS),
        help="validate as this service's config (default: the file's own 'service' key)",
    )
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Check every file; report each; exit 78 if any is invalid."""
    model = model_for_service(args.service) if args.service else None
    status = 0
    for path in args.files:
        try:
            config = load_config(path, model)
        except ConfigError as exc:
            print(exc.render(), file=sys.stderr)
            status = EX_CONFIG
        else:
            print(f"{path}: ok ({config.service}, schema_version {config.schema_version})")
    return status
