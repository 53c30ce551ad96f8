"""``aistack postflight [--timeout 15]``: after a deploy, ask the dashboard for a probe.

Prints ``Dashboard OK — <url>`` and the overall status; when something is not
healthy, a warning naming the failing units and the ``journalctl`` line to run
for each. Never fails the deploy itself: the exit code says what it found.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

EXIT_HEALTHY = 0
EXIT_DEGRADED = 1
EXIT_UNREACHABLE = 2
DEFAULT_CONFIG = "/etc/aistack/dashboard.json"


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack postflight``."""
    parser = sub.add_parser("postflight", help="probe the deployed stack through its dashboard")
    parser.add_argument(
        "--timeout",
        type=float,
        default=15.0,
        metavar="SECONDS",
        help="how long to wait for the dashboard and for a healthy probe (default 15)",
    )
    parser.add_argument(
        "--config",
        default=DEFAULT_CONFIG,
        help=f"the dashboard's JSON config, for its address (default {DEFAULT_CONFIG})",
    )
    parser.set_defaults(func=run)


def dashboard_url(config_path: str) -> str:
    """The dashboard's base URL from its config's ``listen``."""
    from aistack.config import load_config_or_exit
    from aistack.config.dashboard import DashboardConfig

    config = load_config_or_exit(config_path, DashboardConfig)
    if config.listen.kind != "tcp":
        raise SystemExit(
            f"aistack postflight: {config_path} listens on a Unix socket; expected TCP"
        )
    return config.listen.base_url + "/"


def summarize(report: dict[str, Any], url: str) -> tuple[list[str], int]:
    """The lines to print and the exit code for one probe report."""
    overall = report.get("overall_status", "down")
    lines = [f"Dashboard OK — {url}", f"overall: {overall}"]
    if overall == "healthy":
        return lines, EXIT_HEALTHY
    failing = [e for e in report.get("entries", []) if e.get("status") in ("down", "degraded")]
    lines.append(f"warning: {len(failing)} unit(s) not healthy (the deploy itself went through):")
    for entry in failing:
        lines.append(f"  {entry['unit']}: {entry['status']} — {entry['reason']}")
        lines.append(f"    {entry['journal']}")
    return lines, EXIT_DEGRADED


def run(args: argparse.Namespace) -> int:
    """Wait for the dashboard, probe until healthy or the timeout, report."""
    import httpx

    if not Path(args.config).is_file():
        print(
            f"warning: no dashboard config at {args.config}; "
            "is services.aistack.services.dashboard enabled on this host?"
        )
        return EXIT_UNREACHABLE
    url = dashboard_url(args.config)
    deadline = time.monotonic() + args.timeout
    report: dict[str, Any] | None = None
    error = "no answer"
    while True:
        remaining = max(0.5, deadline - time.monotonic())
        try:
            response = httpx.post(url + "api/health/probe", timeout=min(remaining, 10.0))
            response.raise_for_status()
            report = response.json()
            if report.get("overall_status") == "healthy":
                break
        except (httpx.HTTPError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        if time.monotonic() >= deadline:
            break
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
    if report is None:
        print(f"warning: dashboard unreachable at {url} ({error})")
        print("    journalctl -u aistack-dashboard -n 20")
        return EXIT_UNREACHABLE
    lines, code = summarize(report, url)
    print("\n".join(lines))
    sys.stdout.flush()
    return code
