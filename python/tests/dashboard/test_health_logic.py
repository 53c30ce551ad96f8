"""The aggregate's rules as pure functions: check modes, verdicts, overall status,
systemctl's output, and the config's refusals."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from aistack.config.common import TcpEndpoint
from aistack.config.dashboard import ProbeTarget
from aistack.dashboard.health import check_mode, judge, overall_status
from aistack.dashboard.probes import ProbeResult
from aistack.dashboard.systemd_state import UnitState, parse_systemctl_show

EP = TcpEndpoint(kind="tcp", host="127.0.0.1", port=8470)
HTTP = ProbeTarget(
    name="coordinator", unit="aistack-coordinator", check="http", endpoint=EP, path="/health"
)
REDIS = ProbeTarget(name="redis", unit="redis-aistack", check="redis", endpoint=EP)
ONESHOT = ProbeTarget(name="secrets", unit="aistack-secrets", check="none", endpoint=None)
OK = ProbeResult(True, 3.2, "HTTP 200", "ok")
FROZEN = ProbeResult(False, None, "no answer within 2s")


def unit(active: str, sub: str = "running", load: str = "loaded") -> UnitState:
    return UnitState(load, active, sub, 1024, 2048)


@pytest.mark.parametrize(
    ("target", "known", "mode"),
    [
        (HTTP, True, "systemd+http"),
        (HTTP, False, "http"),
        (REDIS, True, "systemd+protocol"),
        (REDIS, False, "protocol"),
        (ONESHOT, True, "systemd"),
        (ONESHOT, False, "none"),
    ],
)
def test_check_mode(target: ProbeTarget, known: bool, mode: str) -> None:
    assert check_mode(target, known) == mode


def test_active_unit_with_a_dead_port_is_down() -> None:
    """systemd says active (the SIGSTOP case); the probe decides."""
    entry = judge(HTTP, unit("active"), FROZEN)
    assert entry.status == "down" and entry.check_mode == "systemd+http"
    assert entry.reason == "http probe: no answer within 2s"


def test_failed_unit_is_down_whatever_the_probe() -> None:
    entry = judge(HTTP, unit("failed", "failed"), OK)
    assert entry.status == "down" and entry.reason == "systemd: failed (failed)"


def test_finished_oneshot_is_up() -> None:
    assert judge(ONESHOT, unit("inactive", "dead"), None).status == "up"
    assert judge(ONESHOT, unit("failed", "failed"), None).status == "down"


def test_not_installed_unit_falls_back_to_the_probe() -> None:
    entry = judge(HTTP, unit("inactive", "dead", load="not-found"), OK)
    assert entry.status == "up" and entry.check_mode == "http" and entry.systemd is None


def test_service_reporting_itself_degraded_is_degraded() -> None:
    entry = judge(HTTP, None, ProbeResult(True, 1.0, "HTTP 200", "degraded"))
    assert entry.status == "degraded"


def test_nothing_to_ask_is_unknown() -> None:
    entry = judge(ONESHOT, None, None)
    assert entry.status == "unknown" and entry.check_mode == "none"


def test_overall_status_rules() -> None:
    up = judge(HTTP, None, OK)
    redis_up = judge(REDIS, None, ProbeResult(True, 0.1, "PONG"))
    redis_down = judge(REDIS, None, FROZEN)
    coordinator_down = judge(HTTP, None, FROZEN)
    unknown = judge(ONESHOT, None, None)
    assert overall_status([up, redis_up, unknown]) == "healthy"
    assert overall_status([up, redis_down]) == "degraded"
    assert overall_status([coordinator_down, redis_up]) == "down"
    assert overall_status([unknown]) == "down"
    assert overall_status([]) == "down"


SYSTEMCTL_SHOW = """Id=aistack-coordinator.service
LoadState=loaded
ActiveState=active
SubState=running
MemoryCurrent=73400320
MemoryMax=2147483648

Id=aistack-secrets.service
LoadState=loaded
ActiveState=active
SubState=exited
MemoryCurrent=[not set]
MemoryMax=infinity

Id=open-webui.service
LoadState=not-found
ActiveState=inactive
SubState=dead
MemoryCurrent=[not set]
MemoryMax=infinity
"""


def test_parse_systemctl_show() -> None:
    states = parse_systemctl_show(SYSTEMCTL_SHOW)
    assert states["aistack-coordinator"] == UnitState(
        "loaded", "active", "running", 73400320, 2147483648
    )
    assert states["aistack-secrets"].memory_current is None
    assert states["aistack-secrets"].memory_max is None
    assert not states["open-webui"].known


def test_config_refuses_a_probe_without_what_it_needs() -> None:
    with pytest.raises(ValidationError, match="an http check needs a path"):
        ProbeTarget(name="x", unit="x", check="http", endpoint=EP)
    with pytest.raises(ValidationError, match="needs an endpoint"):
        ProbeTarget(name="x", unit="x", check="redis", endpoint=None)
    with pytest.raises(ValidationError, match="needs database and user"):
        ProbeTarget(name="x", unit="x", check="postgresql", endpoint=EP)
