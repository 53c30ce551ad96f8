"""Helpers for the monitoring tests: the repo's monitoring files, promtool, PromQL names."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT

MONITORING_DIR = REPO_ROOT / "modules" / "monitoring"
RULES_FILE = MONITORING_DIR / "alerts.rules.yml"
DASHBOARD_FILE = MONITORING_DIR / "aistack-dashboard.json"
UNIT_MEMORY_SCRIPT = MONITORING_DIR / "unit-memory.sh"
RULES_TEST_FILE = Path(__file__).resolve().parent / "alerts.test.yml"


def promtool() -> str:
    """The promtool binary; the test fails (never skips) when it is missing."""
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool not found: apt-get install -y prometheus", pytrace=False)
    return path


def run_promtool(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``promtool ARGS``; returns the finished process (check its returncode)."""
    return subprocess.run(
        [promtool(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_dashboard(path: Path = DASHBOARD_FILE) -> dict:
    """The dashboard JSON as a dict."""
    return json.loads(path.read_text())


def dashboard_exprs(dashboard: dict) -> list[tuple[str, str]]:
    """(panel title / refId, expr) for every target of every panel."""
    return [
        (f"{panel.get('title')} / {target.get('refId')}", target.get("expr", ""))
        for panel in dashboard.get("panels", [])
        for target in panel.get("targets", [])
    ]


def rule_exprs(path: Path = RULES_FILE) -> list[tuple[str, str]]:
    """(alert or record name, expr) for every rule in a rules file."""
    doc = yaml.safe_load(path.read_text())
    return [
        (rule.get("alert") or rule.get("record"), rule["expr"])
        for group in doc["groups"]
        for rule in group["rules"]
    ]


_KEYWORDS = frozenset(
    {
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "and",
        "or",
        "unless",
        "bool",
        "offset",
        "inf",
        "nan",
    }
)


def metric_names_in(expr: str) -> set[str]:
    """The metric names a PromQL expression selects.

    Strips strings, label matchers, ranges, grouping clauses and offsets, then
    keeps identifiers that are not function calls or keywords. Good enough for
    the expressions this repo writes; promtool checks their syntax separately.
    """
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    # Dropped whole, so "sum by (x) (" reads as the call "sum (".
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\boffset\s+\S+", " ", text)
    names = set()
    for match in re.finditer(r"(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?", text):
        name, call = match.group(1), match.group(2)
        if call or name.lower() in _KEYWORDS:
            continue
        names.add(name)
    return names


def recording_rules_for(exprs: list[tuple[str, str]]) -> str:
    """A rules file with one recording rule per expression, for `promtool check rules`."""
    rules = [
        {"record": f"aistack_check:expr_{i}", "expr": expr} for i, (_, expr) in enumerate(exprs)
    ]
    return yaml.safe_dump({"groups": [{"name": "syntax", "rules": rules}]}, sort_keys=False)
