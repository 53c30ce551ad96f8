"""``aistack render-policy --policies FILE --out DIR``: AppArmor profiles and the
nftables ruleset from a plan's ``policies`` alone.

The NixOS module runs it at build time (``pkgs.runCommand``) with the
policies as JSON, so a host's files come from the same renderer as
``aistack render``'s.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from aistack.render.apparmor import read_closure
from aistack.render.files import write_policy_tree
from aistack.render.nftables import PolicyError


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack render-policy``."""
    parser = sub.add_parser(
        "render-policy",
        help="render AppArmor profiles and the nftables ruleset from a plan's policies",
        description=(
            "Writes DIR/apparmor/<profile> and DIR/nftables.nft from FILE, the plan's "
            "`policies` (unit name -> policy) as JSON; `-` reads standard input."
        ),
    )
    parser.add_argument("--policies", required=True, metavar="FILE")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument(
        "--closure",
        type=Path,
        metavar="FILE",
        help="store paths the services may read, one per line (pkgs.closureInfo's "
        "store-paths); without it the profiles allow all of /nix/store",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read, render, write; a bad input is one message and exit 1."""
    try:
        if args.policies == "-":
            policies = json.load(sys.stdin)
        else:
            policies = json.loads(Path(args.policies).read_text(encoding="utf-8"))
        if not isinstance(policies, dict):
            raise PolicyError("the policies JSON must be an object: unit name -> policy")
        closure = read_closure(args.closure) if args.closure else None
        written = write_policy_tree(policies, args.out, closure)
    except (OSError, json.JSONDecodeError, PolicyError, KeyError) as exc:
        detail = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)
        print(f"aistack render-policy: {detail}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files to {args.out}")
    return 0
