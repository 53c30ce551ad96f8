"""The one decision of which LLM backend answers a request, and why.

:func:`select_llm_backend` is pure: it reads a description of the request, the
retrieved context's score, a snapshot of the backends' state and the routing
policy, and returns a :class:`Decision`. No other code chooses a backend; the
request path only carries the decision out (and falls back when the chosen
backend fails, which it logs as a fallback, not as a new decision).

Order of the checks, first match wins:

1. ``forced_local`` / ``forced_remote``: the caller named the backend (by
   ``model`` or the ``X-Aistack-Backend`` header).
2. What the request needs: ``structured_output_required`` (``response_format``
   and a local model not set up for grammar-constrained JSON),
   ``context_too_long`` (prompt over the local window minus the answer reserve),
   ``context_quality_below_threshold`` (retrieval found too little),
   ``latency_budget_exceeded`` (local p95 over its budget). Otherwise local,
   with ``context_quality_ok`` (a score was given) or ``local_preferred``.
3. Whether local can answer: ``local_unhealthy`` (down, circuit open) and
   ``local_loading_queue_full`` (loading, and the waiting room is full) send
   the request remote.
4. Whether remote can: a wish to go remote ends local with
   ``remote_unconfigured`` or ``remote_unavailable`` (circuit open).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Backend = Literal["local", "remote"]

REASONS: tuple[str, ...] = (
    "forced_local",
    "forced_remote",
    "local_unhealthy",
    "local_loading_queue_full",
    "structured_output_required",
    "context_too_long",
    "context_quality_below_threshold",
    "context_quality_ok",
    "local_preferred",
    "latency_budget_exceeded",
    "remote_unconfigured",
    "remote_unavailable",
)


@dataclass(frozen=True, slots=True)
class RouteRequest:
    """What routing needs to know about a request."""

    prompt_tokens: int
    forced: Backend | None = None
    structured_output: bool = False


@dataclass(frozen=True, slots=True)
class BackendsState:
    """A snapshot of both backends, taken once per request."""

    local_healthy: bool
    local_loading: bool
    loading_queue_depth: int
    local_circuit_open: bool
    local_p95_ms: float | None
    remote_configured: bool
    remote_circuit_open: bool


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    """The settings the decision reads (from the config and the threshold file)."""

    threshold: float
    local_context_tokens: int
    answer_reserve_tokens: int
    local_structured_output: bool
    local_p95_budget_ms: float
    loading_queue_size: int


@dataclass(frozen=True, slots=True)
class Decision:
    """The chosen backend and the stable reason token for it."""

    backend: Backend
    reason: str


def select_llm_backend(
    request: RouteRequest,
    context_score: float | None,
    state: BackendsState,
    config: RoutingPolicy,
) -> Decision:
    """Choose the backend for ``request``; ``context_score`` is None when nothing was retrieved."""
    if request.forced == "local":
        return Decision("local", "forced_local")
    if request.forced == "remote":
        return Decision("remote", "forced_remote")

    wish: Decision
    if request.structured_output and not config.local_structured_output:
        wish = Decision("remote", "structured_output_required")
    elif request.prompt_tokens > config.local_context_tokens - config.answer_reserve_tokens:
        wish = Decision("remote", "context_too_long")
    elif context_score is not None and context_score < config.threshold:
        wish = Decision("remote", "context_quality_below_threshold")
    elif state.local_p95_ms is not None and state.local_p95_ms > config.local_p95_budget_ms:
        wish = Decision("remote", "latency_budget_exceeded")
    elif context_score is not None:
        wish = Decision("local", "context_quality_ok")
    else:
        wish = Decision("local", "local_preferred")

    if wish.backend == "local":
        if state.local_circuit_open or not (state.local_healthy or state.local_loading):
            wish = Decision("remote", "local_unhealthy")
        elif state.local_loading and state.loading_queue_depth >= config.loading_queue_size:
            wish = Decision("remote", "local_loading_queue_full")
        else:
            return wish

    if not state.remote_configured:
        return Decision("local", "remote_unconfigured")
    if state.remote_circuit_open:
        return Decision("local", "remote_unavailable")
    return wish
