"""``aistack eval [--suite FILE] [--threshold PCT]``: the domain suite against the
running coordinator; every run appended to the score history (SQLite + CSV).

Exit 0 at or above the threshold, 1 under it (with a warning), 2 when the
suite or the arguments are unusable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

DEFAULT_COORDINATOR_CONFIG = "/etc/aistack/coordinator.json"
DEFAULT_THRESHOLD_PCT = 60.0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack eval``."""
    parser = sub.add_parser("eval", help="run the evaluation suite against the running stack")
    parser.add_argument("--suite", type=Path, help="a suite YAML (default: the shipped one)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD_PCT,
        metavar="PCT",
        help=f"warn and exit 1 under this score (default {DEFAULT_THRESHOLD_PCT:g})",
    )
    parser.add_argument(
        "--config",
        default=DEFAULT_COORDINATOR_CONFIG,
        help="the coordinator's JSON config, for its address and the knowledge base's",
    )
    parser.add_argument("--url", help="the coordinator's base URL (overrides --config)")
    parser.add_argument("--knowledge", help="the knowledge base: a Unix socket path or a URL")
    parser.add_argument("--api-key-file", type=Path, help="a file holding a coordinator API key")
    parser.add_argument(
        "--history",
        type=Path,
        help="the score history (SQLite; a .csv is kept beside it); "
        "default $STATE_DIRECTORY/history.sqlite or /var/lib/aistack-eval/history.sqlite",
    )
    parser.add_argument("--json", action="store_true", help="print the run as JSON")
    parser.set_defaults(func=run)


def _addresses(args: argparse.Namespace) -> tuple[str | None, str | None]:
    url, knowledge = args.url, args.knowledge
    config_path = Path(args.config)
    if (url is None or knowledge is None) and config_path.is_file():
        config = json.loads(config_path.read_text(encoding="utf-8"))
        listen = config.get("listen", {})
        if url is None and listen.get("kind") == "tcp":
            url = f"http://{listen['host']}:{listen['port']}"
        upstream = config.get("upstreams", {}).get("knowledge", {})
        if knowledge is None and upstream.get("kind") == "unix":
            knowledge = upstream["path"]
        elif knowledge is None and upstream.get("kind") == "tcp":
            knowledge = f"http://{upstream['host']}:{upstream['port']}"
    return url, knowledge


def _history_path(args: argparse.Namespace) -> Path:
    if args.history is not None:
        return args.history
    state = os.environ.get("STATE_DIRECTORY")
    return Path(state.split(":")[0] if state else "/var/lib/aistack-eval") / "history.sqlite"


def run(args: argparse.Namespace) -> int:
    """Load the suite, run it, record it, report it."""
    from aistack.evalsuite.history import record_run
    from aistack.evalsuite.runner import Target, case_json, run_suite
    from aistack.evalsuite.suite import SuiteError, default_suite_path, load_suite

    suite_path = args.suite or default_suite_path()
    try:
        suite, suite_hash = load_suite(suite_path)
    except SuiteError as exc:
        print(f"aistack eval: {exc}", file=sys.stderr)
        return 2
    url, knowledge = _addresses(args)
    if url is None:
        print(
            f"aistack eval: no coordinator address: pass --url or --config (none at {args.config})",
            file=sys.stderr,
        )
        return 2
    api_key = args.api_key_file.read_text(encoding="utf-8").strip() if args.api_key_file else None
    result = asyncio.run(run_suite(suite, Target(url, api_key, knowledge)))
    history = _history_path(args)
    run_id = asyncio.run(record_run(history, result, suite_path, suite_hash, args.threshold))
    retrieval = result.retrieval_metrics()
    if args.json:
        print(
            json.dumps(
                {
                    "run_id": run_id,
                    "model_id": result.model_id,
                    "suite_hash": suite_hash,
                    "passed": result.passed,
                    "total": result.total,
                    "score_pct": result.score_pct,
                    "retrieval": retrieval,
                    "cases": [case_json(c) for c in result.cases],
                }
            )
        )
    else:
        for case in result.cases:
            if case.passed:
                print(
                    f"PASS {case.id} ({case.kind}, {case.backend or '-'}, {case.latency_ms:.0f} ms)"
                )
            else:
                why = case.error or "; ".join(c.reason for c in case.checks if not c.passed)
                print(f"FAIL {case.id} ({case.kind}): {why}")
        print(
            f"score: {result.passed}/{result.total} ({result.score_pct:.1f} %) "
            f"model {result.model_id}, suite {suite_hash[:12]}"
        )
        if retrieval is not None:
            print(
                f"retrieval: MRR {retrieval['mrr']:.3f}, hit rate {retrieval['hit_rate']:.3f} "
                f"over {retrieval['cases']:.0f} case(s)"
            )
        print(f"history: {history} (run {run_id}), {history.with_suffix('.csv')}")
    if result.score_pct < args.threshold:
        print(
            f"warning: score {result.score_pct:.1f} % is under the threshold "
            f"of {args.threshold:g} %",
            file=sys.stderr,
        )
        return 1
    return 0
