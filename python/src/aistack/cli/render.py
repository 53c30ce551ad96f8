"""``aistack render HOST_DIR --out DIR``: a host's plan, as files on disk."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aistack.render.files import write_rendered_tree
from aistack.render.nftables import PolicyError
from aistack.render.nixeval import NixEvalError, current_executable, evaluate_host_plan
from aistack.render.safe_paths import unit_path_problem
from aistack.render.units import UnitRenderError


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack render``."""
    parser = sub.add_parser(
        "render",
        help="evaluate a host's plan and write its configs and unit files",
        description=(
            "Writes DIR/plan.json, DIR/etc/aistack/<service>.json and "
            "DIR/systemd/<unit>.service for the host in HOST_DIR."
        ),
    )
    parser.add_argument("host_dir", type=Path, metavar="HOST_DIR")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument(
        "--local",
        action="store_true",
        help="re-root every state, runtime and config path under DIR, to run the services "
        "unprivileged from there (the units then differ from a host's)",
    )
    parser.add_argument(
        "--source", type=Path, help="the nixos-ai-stack checkout (default: found above HOST_DIR)"
    )
    parser.add_argument(
        "--nixpkgs-lib",
        type=Path,
        help="nixpkgs lib checkout (default: NIXPKGS_LIB, ~/.cache/nixpkgs-lib, <nixpkgs>)",
    )
    parser.add_argument(
        "--aistack-bin",
        help="the aistack executable the units start (default: this one)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate, then write all or nothing; any error is one message and exit 1."""
    out = args.out.resolve()
    aistack_bin = args.aistack_bin or current_executable()
    # Paths that end up inside unit files and AppArmor rules.
    for what, path in [("--aistack-bin", aistack_bin)] + (
        [("--out", str(out))] if args.local else []
    ):
        problem = unit_path_problem(path)
        if problem is not None:
            print(f"aistack render: {what}: {problem}", file=sys.stderr)
            return 2
    try:
        plan = evaluate_host_plan(
            args.host_dir,
            aistack_bin=aistack_bin,
            root=str(out) if args.local else "",
            source=args.source,
            nixpkgs_lib=args.nixpkgs_lib,
        )
    except NixEvalError as exc:
        print(f"aistack render: {exc}", file=sys.stderr)
        return 1
    try:
        written = write_rendered_tree(plan, out)
    except (PolicyError, UnitRenderError) as exc:
        print(f"aistack render: nothing written: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"aistack render: {exc.strerror or exc}: {exc.filename}",
            file=sys.stderr,
        )
        return 1
    model = plan["model"]["chat"]["id"]
    host, tier = plan["hostName"], plan["tier"]
    print(f"{host}: tier {tier}, model {model}; wrote {len(written)} files to {out}")
    for warning in plan.get("warnings", []):
        print(f"warning: {warning}", file=sys.stderr)
    return 0
