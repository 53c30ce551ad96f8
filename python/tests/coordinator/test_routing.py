"""select_llm_backend: one table row per reason, plus the precedence between them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from aistack.coordinator.routing import (
    REASONS,
    BackendsState,
    Decision,
    RouteRequest,
    RoutingPolicy,
    select_llm_backend,
)

POLICY = RoutingPolicy(
    threshold=0.5,
    local_context_tokens=4096,
    answer_reserve_tokens=512,
    local_structured_output=False,
    local_p95_budget_ms=5000.0,
    loading_queue_size=10,
)
HEALTHY = BackendsState(
    local_healthy=True,
    local_loading=False,
    loading_queue_depth=0,
    local_circuit_open=False,
    local_p95_ms=800.0,
    remote_configured=True,
    remote_circuit_open=False,
)
SMALL = RouteRequest(prompt_tokens=100)

# (request, context_score, state changes, policy changes) -> expected decision
TABLE: list[tuple[str, RouteRequest, float | None, dict, dict, Decision]] = [
    (
        "forced local",
        RouteRequest(100, forced="local"),
        0.0,
        {"local_healthy": False},
        {},
        Decision("local", "forced_local"),
    ),
    (
        "forced remote",
        RouteRequest(100, forced="remote"),
        0.9,
        {},
        {},
        Decision("remote", "forced_remote"),
    ),
    ("local down", SMALL, 0.9, {"local_healthy": False}, {}, Decision("remote", "local_unhealthy")),
    (
        "local circuit open",
        SMALL,
        0.9,
        {"local_circuit_open": True},
        {},
        Decision("remote", "local_unhealthy"),
    ),
    (
        "loading, queue full",
        SMALL,
        0.9,
        {"local_healthy": False, "local_loading": True, "loading_queue_depth": 10},
        {},
        Decision("remote", "local_loading_queue_full"),
    ),
    (
        "loading, room in queue",
        SMALL,
        0.9,
        {"local_healthy": False, "local_loading": True, "loading_queue_depth": 9},
        {},
        Decision("local", "context_quality_ok"),
    ),
    (
        "json wanted, local has no grammar",
        RouteRequest(100, structured_output=True),
        0.9,
        {},
        {},
        Decision("remote", "structured_output_required"),
    ),
    (
        "json wanted, local has grammar",
        RouteRequest(100, structured_output=True),
        0.9,
        {},
        {"local_structured_output": True},
        Decision("local", "context_quality_ok"),
    ),
    (
        "prompt over the window",
        RouteRequest(3585),
        None,
        {},
        {},
        Decision("remote", "context_too_long"),
    ),
    ("prompt just fits", RouteRequest(3584), None, {}, {}, Decision("local", "local_preferred")),
    ("weak retrieval", SMALL, 0.49, {}, {}, Decision("remote", "context_quality_below_threshold")),
    ("retrieval at the threshold", SMALL, 0.5, {}, {}, Decision("local", "context_quality_ok")),
    ("no retrieval", SMALL, None, {}, {}, Decision("local", "local_preferred")),
    (
        "local slow",
        SMALL,
        0.9,
        {"local_p95_ms": 5001.0},
        {},
        Decision("remote", "latency_budget_exceeded"),
    ),
    (
        "local slow, no samples",
        SMALL,
        0.9,
        {"local_p95_ms": None},
        {},
        Decision("local", "context_quality_ok"),
    ),
    (
        "remote wanted, none configured",
        SMALL,
        0.1,
        {"remote_configured": False},
        {},
        Decision("local", "remote_unconfigured"),
    ),
    (
        "local down, none configured",
        SMALL,
        0.9,
        {"local_healthy": False, "remote_configured": False},
        {},
        Decision("local", "remote_unconfigured"),
    ),
    (
        "remote wanted, its circuit open",
        SMALL,
        0.1,
        {"remote_circuit_open": True},
        {},
        Decision("local", "remote_unavailable"),
    ),
    (
        "json wanted, remote circuit open",
        RouteRequest(100, structured_output=True),
        0.9,
        {"remote_circuit_open": True},
        {},
        Decision("local", "remote_unavailable"),
    ),
    (
        "structured beats long context",
        RouteRequest(9999, structured_output=True),
        0.1,
        {},
        {},
        Decision("remote", "structured_output_required"),
    ),
    (
        "long context beats weak retrieval",
        RouteRequest(9999),
        0.1,
        {},
        {},
        Decision("remote", "context_too_long"),
    ),
]


@pytest.mark.parametrize(
    ("request_", "score", "state_changes", "policy_changes", "expected"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_decision_table(request_, score, state_changes, policy_changes, expected) -> None:
    state = replace(HEALTHY, **state_changes)
    policy = replace(POLICY, **policy_changes)
    assert select_llm_backend(request_, score, state, policy) == expected


def test_every_reason_has_a_row() -> None:
    covered = {row[-1].reason for row in TABLE}
    assert covered == set(REASONS)


def test_the_decision_is_pure() -> None:
    """Same inputs, same decision; the inputs are not changed."""
    state, policy = replace(HEALTHY), replace(POLICY)
    first = select_llm_backend(SMALL, 0.3, state, policy)
    assert all(select_llm_backend(SMALL, 0.3, state, policy) == first for _ in range(100))
    assert state == HEALTHY and policy == POLICY
