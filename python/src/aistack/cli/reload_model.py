"""``aistack reload-model MODEL --accept-risk``: switch the local model.

Sends ``POST /admin/reload-model`` (a high-risk tool: ``--accept-risk`` sends
the acknowledgement). MODEL is a ``.gguf`` file in the models directory (a
name or a path inside it). The llama.cpp supervisor restarts llama-server
with it; requests wait in the coordinator's loading queue meanwhile.
"""

from __future__ import annotations

import argparse
import sys

from aistack.cli.coordinator_client import (
    EX_UNAVAILABLE,
    add_client_arguments,
    coordinator_client,
    error_text,
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack reload-model``."""
    parser = sub.add_parser("reload-model", help="switch the local model (high risk)")
    parser.add_argument("model", help="a .gguf file in the models directory")
    parser.add_argument(
        "--accept-risk", action="store_true", help="acknowledge the high-risk tool (required)"
    )
    add_client_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Request the switch; print the request id."""
    import httpx

    from aistack.guard.risk import RISK_ACK_VALUE

    body = {"model": args.model}
    if args.accept_risk:
        body["risk_ack"] = RISK_ACK_VALUE
    try:
        with coordinator_client(args) as client:
            response = client.post("/admin/reload-model", json=body)
    except httpx.HTTPError as exc:
        print(f"aistack reload-model: coordinator unreachable: {exc}", file=sys.stderr)
        return EX_UNAVAILABLE
    if response.status_code != 202:
        hint = " (add --accept-risk)" if response.status_code == 403 else ""
        print(
            f"aistack reload-model: refused ({response.status_code}): {error_text(response)}{hint}",
            file=sys.stderr,
        )
        return 1
    doc = response.json()
    print(f"switch to {doc['model']} requested ({doc['id']})")
    return 0
