"""``aistack audit verify FILE``: check the audit log's hash chain.

Prints one JSON line: ``{"ok": true, "records": N, "head": HASH}`` or
``{"ok": false, "records": N, "head": HASH, "line": L, "reason": "..."}`` where
``L`` is the first bad line (1-based). Exit 0 intact, 1 tampered, 2 usage
(missing or unreadable file).
"""

from __future__ import annotations

import argparse
import sys

from aistack.cli.streams import EX_FOUND, EX_USAGE, write_jsonl


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack audit`` with its ``verify`` sub-command."""
    parser = sub.add_parser("audit", help="work with the tamper-evident audit log")
    audit_sub = parser.add_subparsers(dest="audit_command", metavar="ACTION")
    audit_sub.required = True
    verify = audit_sub.add_parser(
        "verify", help="check the hash chain; name the first edited/deleted/inserted/moved line"
    )
    verify.add_argument("file", help="the audit log (JSON lines)")
    verify.set_defaults(func=_verify)


def _verify(args: argparse.Namespace) -> int:
    from aistack.audit.verify import verify_file

    try:
        result = verify_file(args.file)
    except OSError as exc:
        print(f"aistack audit verify: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EX_USAGE
    write_jsonl(sys.stdout, result.as_dict())
    if not result.ok:
        print(f"{args.file}: line {result.bad_line}: {result.reason}", file=sys.stderr)
        return EX_FOUND
    return 0
