"""``aistack learn`` (weekly timer) and ``aistack proposals list|apply|reject|revert``."""

from __future__ import annotations

import argparse
import json
import sys

from aistack.cli.coordinator_client import DEFAULT_CONFIG


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack learn`` and ``aistack proposals``."""
    learn = sub.add_parser("learn", help="learn from last week's rated answers; write proposals")
    learn.add_argument("--config", default=DEFAULT_CONFIG, help="the coordinator's JSON config")
    learn.add_argument("--json", action="store_true", help="print the report as JSON")
    learn.set_defaults(func=run_learn)

    proposals = sub.add_parser("proposals", help="list, apply, reject or revert proposals")
    proposals.add_argument("--config", default=DEFAULT_CONFIG, help="the coordinator's JSON config")
    actions = proposals.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser("list", help="list proposals")
    listing.add_argument("--status", choices=("pending", "applied", "rejected", "reverted"))
    listing.add_argument("--json", action="store_true")
    for name, text in (
        ("apply", "apply a pending proposal (deterministic kinds)"),
        ("reject", "reject a pending proposal"),
        ("revert", "undo an applied proposal"),
    ):
        p = actions.add_parser(name, help=text)
        p.add_argument("id")
    proposals.set_defaults(func=run_proposals)


def _config(path: str):  # type: ignore[no-untyped-def]
    from aistack.config.coordinator import CoordinatorConfig
    from aistack.config.loader import load_config_or_exit

    return load_config_or_exit(path, CoordinatorConfig)


def run_learn(args: argparse.Namespace) -> int:
    """One learning pass; exit 75 (EX_TEMPFAIL) when another run holds the lock."""
    import asyncio

    from aistack.common.events import configure_json_logging
    from aistack.common.jobstate import LockHeld
    from aistack.coordinator.learn_job import format_report
    from aistack.coordinator.learn_job import run_learn as learn

    config = _config(args.config)
    configure_json_logging(config.log_level)
    try:
        result = asyncio.run(learn(config))
    except LockHeld as exc:
        print(f"aistack learn: another run is in progress ({exc})", file=sys.stderr)
        return 75
    if args.json:
        print(json.dumps(result.report, indent=2, sort_keys=True))
    else:
        print(format_report(result))
    return 0


def run_proposals(args: argparse.Namespace) -> int:
    """List or change proposals; exit 1 with the reason when a change is refused."""
    from aistack.common.events import configure_json_logging
    from aistack.coordinator.proposals import ProposalError, ProposalStore, format_proposals

    config = _config(args.config)
    configure_json_logging(config.log_level)
    store = ProposalStore(
        config.learning.proposals_dir, config.routing.threshold_file, config.routing.threshold
    )
    if args.action == "list":
        docs = store.list(args.status)
        print(json.dumps(docs, indent=2, sort_keys=True) if args.json else format_proposals(docs))
        return 0
    try:
        doc = getattr(store, args.action)(args.id)
    except ProposalError as exc:
        print(f"aistack proposals {args.action}: {exc}", file=sys.stderr)
        return 1
    print(f"{doc['id']} {doc['kind']} {doc['status']}")
    return 0
