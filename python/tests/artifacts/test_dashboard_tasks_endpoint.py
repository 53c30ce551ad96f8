"""The dashboard's config names the task runner's endpoint exactly where the plan runs one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import HOSTS


@pytest.mark.parametrize("host", HOSTS)
def test_dashboard_gets_the_tasks_endpoint_only_with_a_runner(
    rendered: dict[str, Path], host: str
) -> None:
    plan = json.loads((rendered[host] / "plan.json").read_text())
    if "dashboard" not in plan["services"]:
        pytest.fail(f"{host}: the example hosts all run the dashboard")
    dashboard = json.loads((rendered[host] / "etc" / "aistack" / "dashboard.json").read_text())
    tasks = plan["services"].get("tasks")
    if tasks is None:
        assert dashboard["tasks"] is None
    else:
        assert dashboard["tasks"] == tasks["config"]["listen"]
        assert dashboard["tasks"]["path"] in plan["policies"]["aistack-dashboard"]["unixSockets"]
    # Hosts with and without the runner both occur among the examples.
    hosts_with_runner = {"server"}
    assert (tasks is not None) == (host in hosts_with_runner)
