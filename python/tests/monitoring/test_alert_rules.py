"""The alert rules: promtool accepts them, their unit tests pass on synthetic
series, and both checks fail on deliberately broken input."""

from __future__ import annotations

from pathlib import Path

import yaml
from monitoring_helpers import (
    RULES_FILE,
    RULES_TEST_FILE,
    metric_names_in,
    rule_exprs,
    run_promtool,
)

from aistack.common import metric_names as m

REQUIRED_ALERTS = {
    "AistackServiceDown",
    "AistackLatencyOverBudget",
    "AistackDiskPressure",
    "AistackCacheHitRatioCollapse",
    "AistackUnitProbeFailing",
}


def test_promtool_check_rules_accepts_the_rules() -> None:
    proc = run_promtool("check", "rules", str(RULES_FILE))
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"SUCCESS: {len(REQUIRED_ALERTS)} rules found" in proc.stdout


def test_promtool_check_rules_rejects_a_broken_file(tmp_path: Path) -> None:
    doc = yaml.safe_load(RULES_FILE.read_text())
    doc["groups"][0]["rules"][0]["expr"] = "sum(rate(up[5m])"  # unbalanced
    broken = tmp_path / "broken.rules.yml"
    broken.write_text(yaml.safe_dump(doc))
    proc = run_promtool("check", "rules", str(broken))
    assert proc.returncode != 0
    assert "parse error" in (proc.stdout + proc.stderr)


def test_promtool_check_rules_rejects_a_bad_template(tmp_path: Path) -> None:
    doc = yaml.safe_load(RULES_FILE.read_text())
    doc["groups"][0]["rules"][0]["annotations"]["summary"] = "{{ $labels.job "
    broken = tmp_path / "broken.rules.yml"
    broken.write_text(yaml.safe_dump(doc))
    assert run_promtool("check", "rules", str(broken)).returncode != 0


def test_every_required_alert_is_defined() -> None:
    names = {name for name, _ in rule_exprs()}
    assert names == REQUIRED_ALERTS


def test_rules_use_only_known_metrics() -> None:
    used = {name for _, expr in rule_exprs() for name in metric_names_in(expr)}
    unknown = {name for name in used if not m.is_known_metric(name)}
    assert unknown == set()
    # The alerts watch what the brief asks for.
    assert {"up", "node_filesystem_avail_bytes", "aistack_latency_budget_seconds"} <= used
    assert "aistack_backend_request_duration_seconds_bucket" in used
    assert m.CACHE_REQUESTS.name in used


def test_alerts_fire_on_synthetic_series() -> None:
    """promtool test rules: service down, cache collapse, p95 over budget and disk
    pressure each fire where expected and stay silent before (alerts.test.yml)."""
    proc = run_promtool("test", "rules", str(RULES_TEST_FILE))
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS" in proc.stdout
    tested = {
        case["alertname"]
        for test in yaml.safe_load(RULES_TEST_FILE.read_text())["tests"]
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    assert tested == REQUIRED_ALERTS


def _unit_tests_against(tmp_path: Path, rules: dict, tests: dict) -> str:
    (tmp_path / "rules.yml").write_text(yaml.safe_dump(rules))
    tests["rule_files"] = [str(tmp_path / "rules.yml")]
    (tmp_path / "tests.yml").write_text(yaml.safe_dump(tests))
    proc = run_promtool("test", "rules", str(tmp_path / "tests.yml"))
    assert proc.returncode != 0, proc.stdout
    return proc.stdout + proc.stderr


def test_unit_tests_fail_when_an_alert_cannot_fire(tmp_path: Path) -> None:
    """A service-down rule with a wrong comparison never fires: the unit tests say so."""
    rules = yaml.safe_load(RULES_FILE.read_text())
    for rule in rules["groups"][0]["rules"]:
        if rule["alert"] == "AistackServiceDown":
            rule["expr"] = "up == 2"
    out = _unit_tests_against(tmp_path, rules, yaml.safe_load(RULES_TEST_FILE.read_text()))
    assert "AistackServiceDown" in out


def test_unit_tests_fail_when_collapse_fires_on_a_healthy_cache(tmp_path: Path) -> None:
    """Dropping the 'relative to the 6-hour ratio' part makes the collapse alert fire
    on the healthy cache too: the unit tests catch the extra alert."""
    rules = yaml.safe_load(RULES_FILE.read_text())
    for rule in rules["groups"][0]["rules"]:
        if rule["alert"] == "AistackCacheHitRatioCollapse":
            rule["expr"] = (
                'sum by (cache) (rate(aistack_cache_requests_total{result="hit"}[15m]))'
                " / sum by (cache) (rate(aistack_cache_requests_total[15m])) < 0.9"
            )
    out = _unit_tests_against(tmp_path, rules, yaml.safe_load(RULES_TEST_FILE.read_text()))
    assert "AistackCacheHitRatioCollapse" in out
