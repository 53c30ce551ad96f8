"""``aistack rate ID up|down [--note TEXT]`` (also ``aq-rate``): rate an answer.

Sends ``POST /feedback`` to the coordinator, which stores the rating and
forwards it to the knowledge base. Exit 0 when stored, 1 when refused (an
unknown interaction id...), 69 when the coordinator cannot be reached.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from aistack.cli.coordinator_client import (
    EX_UNAVAILABLE,
    add_client_arguments,
    coordinator_client,
    error_text,
)

RATINGS = {"up": 1, "down": -1, "+1": 1, "-1": -1, "good": 1, "bad": -1}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The rate command's arguments."""
    parser.add_argument("interaction_id", help="the interaction_id an answer carried")
    parser.add_argument("rating", choices=sorted(RATINGS), help="up or down")
    parser.add_argument("--note", help="what was good or wrong (secrets are redacted)")
    add_client_arguments(parser)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack rate``."""
    parser = sub.add_parser("rate", help="rate an answer up or down (feedback for learning)")
    add_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Send the rating; print what happened."""
    import httpx

    body = {"interaction_id": args.interaction_id, "rating": RATINGS[args.rating]}
    if args.note:
        body["note"] = args.note
    try:
        with coordinator_client(args) as client:
            response = client.post("/feedback", json=body)
    except httpx.HTTPError as exc:
        print(f"aistack rate: coordinator unreachable: {exc}", file=sys.stderr)
        return EX_UNAVAILABLE
    if response.status_code != 200:
        print(
            f"aistack rate: refused ({response.status_code}): {error_text(response)}",
            file=sys.stderr,
        )
        return 1
    doc = response.json()
    forwarded = (
        "linked to the knowledge base"
        if doc.get("forwarded")
        else "stored; knowledge base link pending"
    )
    print(f"rated {args.interaction_id} {args.rating}: {forwarded}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The ``aq-rate`` console script: ``aq-rate ID up|down``."""
    parser = argparse.ArgumentParser(prog="aq-rate", description="Rate an aistack answer.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
