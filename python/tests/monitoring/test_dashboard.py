"""The Grafana dashboard kept in the repo: structure, PromQL that promtool
parses, and only metrics that exist (aistack's catalogue or a known exporter)."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from monitoring_helpers import (
    DASHBOARD_FILE,
    dashboard_exprs,
    load_dashboard,
    metric_names_in,
    recording_rules_for,
    run_promtool,
)

from aistack.common import metric_names as m

# The uid modules/monitoring.nix provisions the Prometheus datasource under
# (test_monitoring_module.py checks the module provisions exactly this one).
DATASOURCE_UID = "aistack-prometheus"


def dashboard_problems(dashboard: dict) -> list[str]:
    """Everything structurally wrong with a dashboard; empty when it is sound."""
    problems = []
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", str(dashboard.get("uid", ""))):
        problems.append("uid missing or not a Grafana uid")
    if not dashboard.get("title"):
        problems.append("title missing")
    panels = dashboard.get("panels")
    if not isinstance(panels, list) or not panels:
        return [*problems, "no panels"]
    ids = [p.get("id") for p in panels]
    if len(set(ids)) != len(ids) or not all(isinstance(i, int) for i in ids):
        problems.append(f"panel ids not unique integers: {ids}")
    for panel in panels:
        name = panel.get("title") or f"panel {panel.get('id')}"
        if not panel.get("title") or not panel.get("type"):
            problems.append(f"{name}: title or type missing")
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")):
            problems.append(f"{name}: gridPos incomplete")
        elif grid["x"] + grid["w"] > 24:
            problems.append(f"{name}: wider than the 24-column grid")
        if panel.get("datasource") != {"type": "prometheus", "uid": DATASOURCE_UID}:
            problems.append(f"{name}: datasource is not the provisioned one")
        targets = panel.get("targets")
        if not targets:
            problems.append(f"{name}: no targets")
            continue
        refs = [t.get("refId") for t in targets]
        if len(set(refs)) != len(refs) or not all(refs):
            problems.append(f"{name}: refIds missing or repeated")
        for target in targets:
            if not str(target.get("expr", "")).strip():
                problems.append(f"{name}/{target.get('refId')}: empty expr")
            if target.get("datasource", {}).get("uid") != DATASOURCE_UID:
                problems.append(
                    f"{name}/{target.get('refId')}: datasource is not the provisioned one"
                )
    return problems


def test_dashboard_is_structurally_sound() -> None:
    dashboard = load_dashboard()
    assert dashboard_problems(dashboard) == []
    print(
        f"{DASHBOARD_FILE.name}: {len(dashboard['panels'])} panels, "
        f"{len(dashboard_exprs(dashboard))} queries"
    )


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda d: d.pop("uid"), "uid missing"),
        (
            lambda d: d["panels"][1].update(datasource={"type": "prometheus", "uid": "other"}),
            "datasource",
        ),
        (lambda d: d["panels"][1]["targets"][0].update(expr=""), "empty expr"),
        (lambda d: d["panels"][2].update(id=d["panels"][1]["id"]), "not unique"),
        (lambda d: d["panels"][1].update(targets=[]), "no targets"),
    ],
)
def test_structural_check_catches_broken_dashboards(breakage, expected: str) -> None:
    dashboard = copy.deepcopy(load_dashboard())
    breakage(dashboard)
    problems = dashboard_problems(dashboard)
    assert any(expected in p for p in problems), problems


def test_every_query_parses_with_promtool(tmp_path: Path) -> None:
    rules = tmp_path / "dashboard-exprs.rules.yml"
    rules.write_text(recording_rules_for(dashboard_exprs(load_dashboard())))
    proc = run_promtool("check", "rules", str(rules))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_promtool_rejects_a_broken_query(tmp_path: Path) -> None:
    exprs = [
        *dashboard_exprs(load_dashboard()),
        ("broken", "histogram_quantile(0.95, sum by (le) ("),
    ]
    rules = tmp_path / "dashboard-exprs.rules.yml"
    rules.write_text(recording_rules_for(exprs))
    assert run_promtool("check", "rules", str(rules)).returncode != 0


def test_queries_use_only_known_metrics() -> None:
    used = {name for _, expr in dashboard_exprs(load_dashboard()) for name in metric_names_in(expr)}
    assert {n for n in used if not m.is_known_metric(n)} == set()


def test_the_metric_check_flags_an_undefined_metric() -> None:
    assert not m.is_known_metric("aistack_routing_decisions")  # missing _total
    assert not m.is_known_metric("aistack_made_up_total")
    assert "aistack_made_up_total" in metric_names_in(
        "sum by (x) (rate(aistack_made_up_total[5m]))"
    )


def test_dashboard_has_the_required_panels() -> None:
    """Routing by reason, p95 per backend, cache hit ratio, queue depth, rate-limit
    refusals and memory against MemoryMax each have a query."""
    exprs = [expr for _, expr in dashboard_exprs(load_dashboard())]
    used = set().union(*(metric_names_in(e) for e in exprs))
    for spec in (
        m.ROUTING_DECISIONS,
        m.CACHE_REQUESTS,
        m.QUEUE_DEPTH,
        m.RATE_LIMIT_REFUSALS,
        m.UNIT_MEMORY_CURRENT,
        m.UNIT_MEMORY_MAX,
    ):
        assert spec.name in used, spec.name
    assert f"{m.BACKEND_REQUEST_DURATION.name}_bucket" in used
    assert any("reason" in e and m.ROUTING_DECISIONS.name in e for e in exprs)
    assert any("histogram_quantile(0.95" in e and "backend" in e for e in exprs)


def test_catalogue_is_well_formed() -> None:
    names = [spec.name for spec in m.ALL_METRICS]
    assert len(set(names)) == len(names)
    for spec in m.ALL_METRICS:
        assert re.fullmatch(r"aistack_[a-z0-9_]+", spec.name), spec.name
        assert spec.name.endswith("_total") == (spec.kind == "counter"), spec.name
        if spec.kind == "histogram":
            # A unit suffix (time, or what a count-valued histogram counts), or
            # a token count before/after a step.
            assert spec.name.endswith(("_seconds", "_bytes", "_texts", "_tokens")) or (
                "_tokens_" in spec.name
            ), spec.name
        assert spec.help and spec.producer
        assert all(re.fullmatch(r"[a-z_]+", label) for label in spec.labels)
