"""``aistack facts``: print this machine's facts.nix, for onboarding a host."""

from __future__ import annotations

import argparse
import json

from aistack.facts.detect import detect, facts_fields, to_facts_nix


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack facts``."""
    parser = sub.add_parser("facts", help="detect this machine's hardware and print a facts.nix")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Nix")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Detect and print."""
    facts = detect()
    if args.json:
        print(json.dumps(facts_fields(facts), indent=2))
    else:
        print(to_facts_nix(facts), end="")
    return 0
