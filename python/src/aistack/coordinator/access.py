"""Who may call, how often, and the audit record of each call.

Every coordinator endpoint that does work depends on :class:`Guarded`: the
``Authorization: Bearer`` key is looked up in the clients' key ring (constant
time), then the call is counted against the caller's rate limits by the tool's
risk tier (``aistack.guard.deps``), with ``risk_ack`` demanded for high-risk
tools. :func:`audit_call` sends one audit record per call; a writer that is
down is logged (``audit_send_failed``) and does not take answers down with it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import HTTPException, Request

from aistack.audit.record import AuditRecord, Outcome, parameters_hash
from aistack.common.events import log_event
from aistack.guard.api_keys import Identity
from aistack.guard.deps import GuardTool, guard_state
from aistack.guard.identity import caller_identity
from aistack.guard.risk import RiskTier

logger = logging.getLogger("aistack.coordinator.access")


@dataclass(frozen=True)
class Caller:
    """An authenticated call: the key's identity, its keyed hash, the tool and its tier."""

    identity: Identity
    caller_hash: str
    tool: str
    tier: RiskTier
    started: float


def bearer_key(request: Request) -> str | None:
    """The key from ``Authorization: Bearer``, or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class Guarded:
    """Dependency: valid API key (401), then risk ack (403) and rate limits (429) for ``tool``."""

    def __init__(self, tool: str) -> None:
        self.tool = tool
        self._guard = GuardTool(tool)

    async def __call__(self, request: Request) -> Caller:
        started = time.perf_counter()
        key = bearer_key(request)
        if key is None:
            raise HTTPException(
                401,
                {"reason": "missing_api_key", "message": "send Authorization: Bearer <API key>"},
                headers={"WWW-Authenticate": "Bearer"},
            )
        identity = request.app.state.coordinator.api_keys.lookup(key)
        if identity is None:
            log_event(logger, "api_key_rejected", logging.WARNING, tool=self.tool)
            raise HTTPException(
                401,
                {"reason": "invalid_api_key", "message": "the API key is not valid"},
                headers={"WWW-Authenticate": "Bearer"},
            )
        tier = await self._guard(request)
        secret = guard_state(request).identity_secret
        return Caller(identity, caller_identity(key, secret), self.tool, tier, started)


async def audit_call(
    request: Request, caller: Caller, outcome: Outcome, parameters: object
) -> None:
    """Send the call's audit record (parameters hashed); failures are logged, not raised."""
    audit = getattr(request.app.state, "audit_client", None)
    if audit is None:
        return
    try:
        record = AuditRecord(
            timestamp=datetime.now(UTC),
            tool_name=caller.tool,
            caller_identity=caller.caller_hash,
            parameters_hash=parameters_hash(parameters),
            risk_tier=caller.tier,
            outcome=outcome,
            latency_ms=round((time.perf_counter() - caller.started) * 1000, 3),
        )
        await audit.send(record)
    except Exception as exc:  # the audit path must never break an answer
        log_event(logger, "audit_send_failed", logging.ERROR, tool=caller.tool, error=str(exc))
