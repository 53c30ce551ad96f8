"""What the request path calls to take part in learning: arm and threshold, then the record.

Kept apart from the routes so they stay one call each:

* :func:`route_threshold` before routing: the threshold for this request and
  its A/B arm (``control`` without a test);
* :func:`record_answer` after answering: the redacted interaction into the
  state store and a telemetry line; never raises.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request

from aistack.coordinator.interactions import Interaction
from aistack.coordinator.threshold import ARM_CONTROL

INTERACTION_HEADER = "X-Aistack-Interaction-Id"


def route_threshold(request: Request, interaction_id: str) -> tuple[float | None, str]:
    """``(threshold, arm)`` for this request; ``(None, "control")`` without learning parts."""
    learning = getattr(request.app.state, "learning", None)
    if learning is None:
        return None, ARM_CONTROL
    return learning.threshold.for_request(interaction_id)


def _usage(answer: Mapping[str, Any] | None) -> tuple[int, int]:
    usage = (answer or {}).get("usage") or {}
    try:
        return int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
    except (TypeError, ValueError, AttributeError):
        return 0, 0


async def record_answer(
    request: Request,
    *,
    interaction_id: str,
    query: str,
    backend: str,
    reason: str,
    context_score: float | None,
    started: float,
    answer: Mapping[str, Any] | None = None,
    chunk_ids: Sequence[str] = (),
    threshold: float | None = None,
    arm: str = ARM_CONTROL,
    endpoint: str = "query",
    prompt_tokens: int | None = None,
) -> None:
    """Record one answered request (query redacted inside ``Interaction.create``)."""
    learning = getattr(request.app.state, "learning", None)
    if learning is None:
        return
    prompt, completion = _usage(answer)
    interaction = Interaction.create(
        interaction_id=interaction_id,
        query=query,
        backend=backend,
        reason=reason,
        context_score=context_score,
        latency_ms=(time.perf_counter() - started) * 1000.0,
        prompt_tokens=prompt or (prompt_tokens or 0),
        completion_tokens=completion,
        arm=arm,
        chunk_ids=chunk_ids,
        threshold=threshold,
        endpoint=endpoint,
    )
    await learning.record(interaction)


def last_user_text(messages: Sequence[Mapping[str, Any]]) -> str:
    """The last user message's text (what a chat interaction is about)."""
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return ""
