"""``aistack guard scan``: score text for prompt injection from the command line.

Plain mode reads all of stdin as one text and prints one JSON object
``{"score", "flagged", "reasons"}``; the text is scanned in overlapping
windows, so memory stays flat whatever the input size. ``--jsonl`` reads one ``{"text": ...}``
object per line and prints one result object per line, so many inputs are
scanned in one process. Exit 0 when nothing was flagged, 1 when something was,
2 on bad usage (for example a malformed JSONL line, named by its number).
"""

from __future__ import annotations

import argparse
import sys

from aistack.cli.streams import EX_FOUND, EX_USAGE, UsageError, iter_jsonl_texts, write_jsonl


def _threshold(value: str) -> float:
    try:
        t = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 < t <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {value}")
    return t


def register(guard_sub: argparse._SubParsersAction) -> None:
    """Add ``scan`` to the ``aistack guard`` sub-commands."""
    from aistack.guard.injection import DEFAULT_THRESHOLD

    parser = guard_sub.add_parser(
        "scan",
        help="score text on stdin for prompt injection",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help='read one {"text": ...} object per line; write one result per line',
    )
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help=f"score at which text is flagged (default {DEFAULT_THRESHOLD})",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Scan stdin; return 0 (clean), 1 (something flagged) or 2 (bad usage)."""
    from aistack.guard.injection import scan
    from aistack.guard.injection_stream import scan_stream

    flagged_any = False
    try:
        if args.jsonl:
            for text in iter_jsonl_texts(sys.stdin):
                result = scan(text, threshold=args.threshold)
                flagged_any |= result.flagged
                write_jsonl(sys.stdout, result.to_dict())
        else:
            # Undecodable bytes become U+FFFD rather than a crash: the scanner
            # must see binary-ish input too.
            result = scan_stream(sys.stdin.buffer, threshold=args.threshold)
            flagged_any = result.flagged
            write_jsonl(sys.stdout, result.to_dict())
    except UsageError as exc:
        print(f"aistack guard scan: {exc}", file=sys.stderr)
        return EX_USAGE
    return EX_FOUND if flagged_any else 0
