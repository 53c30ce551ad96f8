"""The dashboard reads the real task runner's /tasks/summary over its Unix socket,
with the endpoint the plan gives it: queued, running, recent counts and the last
failures in /api/internals and on the page (headless Chromium)."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dashboard_helpers import free_port, start_dashboard, stop, tcp
from tasks.tasks_helpers import TaskStack, new_key, start_stack, submit, wait_final
from test_page_chromium import _screenshot, _wait, browser  # noqa: F401 - the driver fixture

from aistack.dashboard.internals import Observation, tasks

pytestmark = pytest.mark.service


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[TaskStack]:
    if shutil.which("bwrap") is None:
        pytest.fail("bwrap not found: apt-get install -y bubblewrap (.ci/setup does)")
    yield from start_stack(tmp_path_factory.mktemp("tasks-panel"))


@pytest.fixture(scope="module")
def dashboard(stack: TaskStack) -> Iterator[str]:
    """``aistack serve dashboard`` from the rendered config (the plan's targets and
    tasks endpoint), moved to a free port with a one-second cycle."""
    config = stack.config("dashboard")
    config["listen"] = tcp(free_port())
    config["probe_interval_s"] = 1
    config["probe_timeout_s"] = 1
    path = stack.root / "dashboard-test.json"
    path.write_text(json.dumps(config))
    proc, url = start_dashboard(path)
    try:
        yield url
    finally:
        stop(proc)


def _until(
    get: Callable[[], Any], ok: Callable[[Any], bool], what: str, timeout: float = 30
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if ok(value):
            return value
        assert time.monotonic() < deadline, f"{what}: last seen {value}"
        time.sleep(0.2)


def _internals(url: str) -> dict:
    return httpx.get(url + "/api/internals", timeout=10).json()


def test_the_plan_gives_the_dashboard_the_tasks_socket(stack: TaskStack) -> None:
    dashboard = stack.config("dashboard")
    assert dashboard["tasks"] == stack.config("tasks")["listen"]
    assert dashboard["tasks"]["kind"] == "unix"
    unit = stack.plan["units"]["aistack-dashboard"]["serviceConfig"]
    # The runner's socket is the socket group's (socket-activated, mode 0660).
    assert stack.plan["socketGroup"] in unit["SupplementaryGroups"]
    assert dashboard["tasks"]["path"] in stack.plan["policies"]["aistack-dashboard"]["unixSockets"]


def test_internals_and_page_show_the_task_runner(
    stack: TaskStack,
    dashboard: str,
    browser,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    ws = stack.workspaces / "panel"
    ws.mkdir()
    key = new_key()
    with stack.client() as client:
        failing = submit(client, key, "echo broken; exit 3", workspace=str(ws)).json()["task_id"]
        assert wait_final(client, key, failing)["status"] == "failed"
        slow = submit(client, key, "sleep 4", workspace=str(ws)).json()["task_id"]
        waiting = submit(client, key, "echo after", workspace=str(ws)).json()["task_id"]

        # Live: one running, one queued behind the runner's concurrency of one.
        seen = _until(
            lambda: _internals(dashboard)["tasks"],
            lambda t: t is not None and t["running"] == 1 and t["queued"] == 1,
            "one running and one queued task",
        )
        failure = seen["last_failures"][0]
        assert failure["task_id"] == failing and failure["tool"] == "sh"
        assert (failure["status"], failure["exit_code"], failure["reason"]) == (
            "failed",
            3,
            "exit status 3",
        )
        assert seen["tools"]["sh"] is True

        for task_id in (slow, waiting):
            assert wait_final(client, key, task_id)["status"] == "succeeded"
        summary = client.get("/tasks/summary").json()

    done = _until(
        lambda: _internals(dashboard),
        lambda d: (
            d["tasks"]["running"] == 0
            and d["tasks"]["queued"] == 0
            and d["tasks"]["recent"] == summary["recent"]["counts"]
        ),
        "the finished tasks",
    )
    assert done["sources"]["tasks/summary"] == "ok"
    # Its /metrics too: the queue-depth gauge the runner exports.
    assert done["sources"]["tasks/metrics"] == "ok"
    assert done["queues"]["depths"]["tasks/tasks"] == 0
    assert done["tasks"]["recent"]["failed"] >= 1 and done["tasks"]["recent"]["succeeded"] >= 2
    assert done["tasks"]["window_s"] == summary["recent"]["window_s"]
    assert [f["task_id"] for f in done["tasks"]["last_failures"]] == [
        f["task_id"] for f in summary["recent_failures"]
    ]

    _page_shows(browser, dashboard, failing, summary, tmp_path)


def _page_shows(driver, url: str, failing: str, summary: dict, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.get(url + "/")
    selector = f'#tasks-failures li[data-task="{failing}"]'
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, selector), 30, "the failed task")
    item = driver.find_element(By.CSS_SELECTOR, selector)
    assert "sh · failed: exit status 3" in item.text, item.text
    recent = driver.find_element(By.ID, "tasks-recent").text
    for status, count in summary["recent"]["counts"].items():
        assert f"{status} {count}" in recent, recent
    assert driver.find_element(By.ID, "tasks-running").text == "0"
    assert driver.find_element(By.ID, "tasks-queued").text == "0"
    _screenshot(driver, tmp_path, "dashboard-tasks.png")
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


def test_a_stopped_task_runner_is_no_data_with_its_reason(stack: TaskStack, dashboard: str) -> None:
    stack.stop("tasks")
    try:
        gone = _until(
            lambda: _internals(dashboard),
            lambda d: d["tasks"] is None,
            "the task runner gone from the internals",
        )
        assert gone["sources"]["tasks/summary"] != "ok"
    finally:
        stack.start_tasks()
    _until(lambda: _internals(dashboard)["tasks"], lambda t: t is not None, "the runner back")


@pytest.mark.parametrize(
    "summary",
    [None, "down", {"queued": "3", "running": True, "recent": [], "recent_failures": "x"}],
)
def test_a_malformed_summary_is_no_data_not_zero(summary: object) -> None:
    figure = tasks(Observation(now=[], tasks_summary=summary))  # type: ignore[arg-type]
    if not isinstance(summary, dict):
        assert figure is None
    else:
        assert figure is not None
        assert figure["queued"] is None and figure["running"] is None
        assert figure["recent"] == {} and figure["last_failures"] is None
