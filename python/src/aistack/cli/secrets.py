"""``aistack secrets init --dir DIR``: create the host's keys once (a oneshot unit runs it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from aistack.common.events import configure_json_logging, log_event


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack secrets``."""
    parser = sub.add_parser("secrets", help="create the host's keys")
    secrets_sub = parser.add_subparsers(dest="secrets_command", metavar="ACTION")
    secrets_sub.required = True
    init = secrets_sub.add_parser("init", help="create missing keys (never replaces one)")
    init.add_argument("--dir", type=Path, required=True, help="the secrets directory")
    init.set_defaults(func=run_init)


def run_init(args: argparse.Namespace) -> int:
    """Create the identity key and the clients' API keys unless they exist; log whether it did."""
    import logging

    from aistack.guard.api_keys import API_KEYS_NAME, ensure_api_keys_file
    from aistack.guard.keys import IDENTITY_KEY_NAME, ensure_key_file

    configure_json_logging("info")
    for path, ensure in (
        (args.dir / IDENTITY_KEY_NAME, ensure_key_file),
        (args.dir / API_KEYS_NAME, ensure_api_keys_file),
    ):
        created = ensure(path)
        # The path only, never the key.
        log_event(
            logging.getLogger("aistack.secrets"),
            "secret_created" if created else "secret_present",
            path=str(path),
        )
    return 0
