"""``aistack guard redact``: replace secrets with ``[REDACTED:<kind>]``.

Plain mode: all of stdin is one text; the redacted text goes to stdout (bytes
that are not UTF-8 pass through untouched). ``--jsonl``: one ``{"text": ...}``
per input line, one ``{"text", "findings": [{"kind", "start", "end"}]}`` per
output line, offsets in characters of the *original* text.

``--engine`` adds the maintained provider rule engine (betterleaks) to the
project's rules (needs the ``secrets-engine`` extra).

Exit 0 when nothing was found, 1 when something was redacted, 2 on bad input
or when ``--engine`` is asked for and not installed.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from aistack.cli.streams import EX_FOUND, EX_USAGE, UsageError, iter_jsonl_texts, write_jsonl


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack guard redact``."""
    parser = sub.add_parser(
        "redact",
        help="replace secrets (API keys, tokens, passwords, private keys) in text",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"text"} per line, write {"text", "findings"} per line',
    )
    parser.add_argument(
        "--engine",
        action="store_true",
        help="also run the betterleaks provider rules (pip install 'aistack[secrets-engine]')",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Redact stdin to stdout; returns the exit code."""
    from aistack.guard.secrets import SecretEngineUnavailable, redact

    layers = ("rules", "engine") if args.engine else ("rules",)
    try:
        return _run(args, lambda text: redact(text, layers))
    except SecretEngineUnavailable as exc:
        print(f"aistack guard redact: {exc}", file=sys.stderr)
        return EX_USAGE


def _run(args: argparse.Namespace, redact) -> int:
    found = 0
    if args.jsonl:
        try:
            for text in iter_jsonl_texts(sys.stdin):
                result = redact(text)
                found += len(result.findings)
                write_jsonl(
                    sys.stdout,
                    {
                        "text": result.text,
                        "findings": [
                            {"kind": f.kind, "start": f.start, "end": f.end}
                            for f in result.findings
                        ],
                    },
                )
        except UsageError as exc:
            print(f"aistack guard redact: {exc}", file=sys.stderr)
            return EX_USAGE
        return EX_FOUND if found else 0

    # surrogateescape: a log with stray non-UTF-8 bytes is still redacted and
    # comes out byte-for-byte the same everywhere else.
    text = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
    result = redact(text)
    sys.stdout.buffer.write(result.text.encode("utf-8", "surrogateescape"))
    sys.stdout.flush()
    if result.findings:
        kinds = Counter(f.kind for f in result.findings)
        summary = ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items()))
        print(f"aistack guard redact: redacted {len(result.findings)} ({summary})", file=sys.stderr)
        return EX_FOUND
    return 0
