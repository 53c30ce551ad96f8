"""FastAPI dependencies: rate limits and the high-risk acknowledgement, one line per endpoint.

Set up once per app (no module-level state; everything lives on ``app.state``)::

    pool = redis.asyncio.BlockingConnectionPool.from_url(url, max_connections=50)
    app.state.aistack_guard = GuardState(
        redis=redis.asyncio.Redis(connection_pool=pool),
        identity_secret=secret_bytes,
        api_keys=load_api_keys(config.guard.api_keys_file, secret_bytes),
        rate_limits=RateLimitSettings(),
        risk=RiskSettings(),
    )

(a *blocking* pool makes a burst wait for a connection; redis-py's default
pool raises ``MaxConnectionsError`` past 100, which would surface as 503s),
then per endpoint::

    @app.post("/tools/search", dependencies=[Depends(guard_tool("search"))])
    @app.post("/tools/{tool}", dependencies=[Depends(guard_tool())])   # name from the path
    @app.post("/documents", dependencies=[Depends(rate_limit_ingestion())])

Authentication comes first: the presented key is looked up in
``GuardState.api_keys`` (an :class:`aistack.guard.api_keys.ApiKeyRing`,
constant-time through the identity HMAC) and every limit then binds to the
key's identity, so inventing a new key string per request buys nothing: it is
a 401 before any tool runs. Failed authentications are counted per peer (Unix
peer credentials or address) against ``rate_limits.auth_failures``; past it
the peer gets 429 whatever key it presents. With no ring configured every
guarded call is refused (fail closed).

Refusals (all with ``{"detail": {"reason": ..., ...}}``):

* 401 ``missing_api_key``: no ``X-API-Key`` header and no ``Authorization: Bearer``.
* 401 ``invalid_api_key``: a key that is not configured (``no_api_keys_configured``
  when the service has none).
* 429 ``auth_failure_limit_exceeded``: too many failed authentications from this peer.
* 403 ``risk_ack_required`` / ``risk_ack_invalid``: a high-risk tool called without
  ``risk_ack=I_ACCEPT_HIGH_RISK_TOOL_EXECUTION`` (query parameter, ``X-Risk-Ack``
  header, or top-level ``risk_ack`` field of a JSON body).
* 429 ``tool_rate_limit_exceeded`` / ``global_rate_limit_exceeded`` /
  ``ingestion_rate_limit_exceeded`` with a ``Retry-After`` header and
  ``retry_after`` in the body: whole seconds until the window has room again.
* 503 ``rate_limit_backend_unavailable``: Redis is down or failing. The limiter
  **fails closed**: a guard that cannot count must not let unmetered tool calls
  (some of them shell commands) through; an outage of Redis is visible and
  short, an abuse window is neither.

The ack check runs before the rate limit in :func:`guard_tool`, so a refused
call does not use up the caller's quota.

With ``GuardState.audit`` set (an :class:`aistack.audit.client.AuditClient`),
every 403/429 refusal of a caller with an API key is also sent to the audit
log (outcome ``risk_ack_refused`` / ``rate_limited``; parameters hashed from
the path parameters, query and JSON body). Calls that pass are audited by the
endpoint with :func:`aistack.audit.client.audit_tool_call`, which sees the
outcome and the latency. A refusal is still refused when the audit writer is
down; that failure is logged as ``audit_send_failed``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn

from fastapi import HTTPException, Request

from aistack.audit.client import AuditError
from aistack.audit.record import AuditRecord, Outcome, parameters_hash
from aistack.common.events import log_event
from aistack.guard.api_keys import ApiKeyRing, Identity
from aistack.guard.auth_limit import AuthFailureLimiter, auth_failure_spec
from aistack.guard.auth_then_limit import AuthThenLimit
from aistack.guard.identity import caller_identity
from aistack.guard.ratelimit import (
    REASON_BACKEND_UNAVAILABLE,
    TOOL_NAME_RE,
    AsyncRateLimiter,
    RateDecision,
    RateLimitBackendError,
    RateLimitSettings,
    ingestion_limits,
    tool_limits,
)
from aistack.guard.risk import RiskSettings, RiskTier, classify_tool, risk_ack_refusal

STATE_ATTR = "aistack_guard"
REASON_MISSING_API_KEY = "missing_api_key"
REASON_INVALID_API_KEY = "invalid_api_key"
REASON_NO_KEYS = "no_api_keys_configured"
# Where one request's authentication result is kept, so two guards on one
# endpoint authenticate (and count a failure) once.
_IDENTITY_ATTR = "aistack_identity"
REASON_INVALID_TOOL = "invalid_tool_name"
# Name under which refused document ingestions appear in the audit log.
INGESTION_AUDIT_NAME = "document_ingestion"

logger = logging.getLogger("aistack.guard")


@dataclass
class GuardState:
    """What the guard dependencies need, kept on ``app.state.aistack_guard``."""

    redis: Any  # a redis.asyncio.Redis
    identity_secret: bytes | str
    rate_limits: RateLimitSettings = field(default_factory=RateLimitSettings)
    risk: RiskSettings = field(default_factory=RiskSettings)
    api_key_header: str = "x-api-key"
    # The accepted keys; None refuses every guarded call (fail closed).
    api_keys: ApiKeyRing | None = None
    audit: Any = None  # an AuditClient: refusals are audited when set
    # The app's Prometheus registry: refusals are counted there when set.
    metrics_registry: Any = None
    service: str = "unknown"
    limiter: AsyncRateLimiter = field(init=False)
    auth_limiter: AuthFailureLimiter = field(init=False)
    auth_then_limit: AuthThenLimit = field(init=False)
    refusals: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        # Fails here, at start-up, on a short secret rather than on the first call.
        caller_identity("probe", self.identity_secret)
        self.limiter = AsyncRateLimiter(self.redis, self.rate_limits)
        self.auth_limiter = AuthFailureLimiter(
            self.redis, self.rate_limits.key_prefix, self.rate_limits.auth_failures
        )
        self.auth_then_limit = AuthThenLimit(self.redis)
        if self.metrics_registry is not None:
            from prometheus_client import Counter

            from aistack.common.metric_names import RATE_LIMIT_REFUSALS

            self.refusals = Counter(
                RATE_LIMIT_REFUSALS.name.removesuffix("_total"),
                RATE_LIMIT_REFUSALS.help,
                list(RATE_LIMIT_REFUSALS.labels),
                registry=self.metrics_registry,
            )


def guard_state(request: Request) -> GuardState:
    """The app's :class:`GuardState`; a missing one is a wiring bug (500)."""
    state = getattr(request.app.state, STATE_ATTR, None)
    if not isinstance(state, GuardState):
        raise RuntimeError(f"app.state.{STATE_ATTR} is not set to a GuardState")
    return state


def api_key_from_request(request: Request, header: str = "x-api-key") -> str:
    """The caller's API key from ``header`` or ``Authorization: Bearer``; 401 if absent."""
    key = request.headers.get(header)
    if not key:
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        key = token.strip() if scheme.lower() == "bearer" else ""
    if not key:
        raise HTTPException(status_code=401, detail={"reason": REASON_MISSING_API_KEY})
    return key


def request_peer(request: Request) -> str:
    """Who is on the other end: ``unix:uid=N`` (peer credentials), an address, or ``unknown``."""
    client = request.scope.get("client")
    if client and client[0]:
        return str(client[0])
    return "unknown"


def _backend_unavailable(what: str, exc: Exception) -> HTTPException:
    log_event(logger, "rate_limit_backend_unavailable", logging.ERROR, target=what, error=str(exc))
    return HTTPException(status_code=503, detail={"reason": REASON_BACKEND_UNAVAILABLE})


async def authenticate(request: Request, state: GuardState) -> Identity:
    """The caller's :class:`Identity`; 401 for a missing or unknown key, 429 for a peer
    over its failed-authentication limit. Runs once per request."""
    cached = getattr(request.state, _IDENTITY_ATTR, None)
    if isinstance(cached, Identity):
        return cached
    key = api_key_from_request(request, state.api_key_header)
    peer = request_peer(request)
    try:
        blocked = await state.auth_limiter.check(peer)
    except RateLimitBackendError as exc:
        raise _backend_unavailable("authentication", exc) from None
    if not blocked.allowed:
        raise _auth_refusal(state, peer, blocked)
    found = state.api_keys.lookup(key) if state.api_keys is not None else None
    if found is None:
        try:
            decision = await state.auth_limiter.record_failure(peer)
        except RateLimitBackendError as exc:
            raise _backend_unavailable("authentication", exc) from None
        log_event(logger, "auth_failed", logging.WARNING, peer=peer)
        if not decision.allowed:
            raise _auth_refusal(state, peer, decision)
        reason = REASON_INVALID_API_KEY if state.api_keys is not None else REASON_NO_KEYS
        raise HTTPException(
            status_code=401,
            detail={"reason": reason},
            headers={"WWW-Authenticate": "Bearer"},
        )
    setattr(request.state, _IDENTITY_ATTR, found)
    return found


def _auth_refusal(state: GuardState, peer: str, decision: RateDecision) -> HTTPException:
    if state.refusals is not None:
        state.refusals.labels(state.service, decision.reason).inc()
    log_event(logger, "auth_failure_limited", logging.WARNING, peer=peer)
    return HTTPException(
        status_code=429,
        detail={"reason": decision.reason, "retry_after": decision.retry_after},
        headers={"Retry-After": str(decision.retry_after)},
    )


def _tool_name(request: Request, tool: str | None, path_param: str) -> str:
    name = tool if tool is not None else request.path_params.get(path_param)
    if not isinstance(name, str) or not TOOL_NAME_RE.fullmatch(name):
        raise HTTPException(status_code=400, detail={"reason": REASON_INVALID_TOOL})
    return name


async def risk_ack_from_request(request: Request) -> str | None:
    """``risk_ack`` from the query, the ``X-Risk-Ack`` header, or a JSON body."""
    ack = request.query_params.get("risk_ack") or request.headers.get("x-risk-ack")
    if ack:
        return ack
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None  # the endpoint's own validation reports a bad body
        if isinstance(body, dict) and isinstance(body.get("risk_ack"), str):
            return body["risk_ack"]
    return None


async def request_parameters(request: Request) -> dict[str, Any]:
    """What identifies a call's parameters for the audit hash: path, query, JSON body."""
    body: Any = None
    if request.headers.get("content-type", "").startswith("application/json"):
        raw = await request.body()
        try:
            body = json.loads(raw or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = {"raw_body_sha256": hashlib.sha256(raw).hexdigest()}
    return {
        "path": dict(request.path_params),
        "query": sorted(request.query_params.multi_items()),
        "body": body,
    }


async def _audit_refusal(
    state: GuardState,
    request: Request,
    *,
    tool: str,
    identity: str | None,
    tier: RiskTier,
    outcome: Outcome,
    started: float,
) -> None:
    if state.audit is None or identity is None:
        return
    try:
        record = AuditRecord(
            timestamp=datetime.now(UTC),
            tool_name=tool,
            caller_identity=identity,
            parameters_hash=parameters_hash(await request_parameters(request)),
            risk_tier=tier,
            outcome=outcome,
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
        )
        await state.audit.send(record)
    except (AuditError, ValueError) as exc:
        log_event(logger, "audit_send_failed", logging.ERROR, tool=tool, error=str(exc))


async def _apply(
    state: GuardState,
    request: Request,
    specs: Any,
    identity: str,
    what: str,
    tier: RiskTier,
    started: float,
) -> RateDecision:
    try:
        decision = await state.limiter.hit(specs)
    except RateLimitBackendError as exc:
        raise _backend_unavailable(what, exc) from None
    if decision.allowed:
        return decision
    await _refuse(state, request, decision, identity, what, tier, started)


async def _refuse(
    state: GuardState,
    request: Request,
    decision: RateDecision,
    identity: str,
    what: str,
    tier: RiskTier,
    started: float,
) -> NoReturn:
    """Count, log and audit a rate-limit refusal, then raise its 429."""
    if state.refusals is not None:
        state.refusals.labels(state.service, decision.reason).inc()
    log_event(
        logger,
        "rate_limited",
        logging.WARNING,
        caller_identity=identity,
        target=what,
        reason=decision.reason,
        retry_after=decision.retry_after,
    )
    await _audit_refusal(
        state,
        request,
        tool=what,
        identity=identity,
        tier=tier,
        outcome="rate_limited",
        started=started,
    )
    raise HTTPException(
        status_code=429,
        detail={"reason": decision.reason, "retry_after": decision.retry_after},
        headers={"Retry-After": str(decision.retry_after)},
    )


class RateLimit:
    """Dependency: count this call against the caller's limits; 429/503 when it cannot.

    ``tool`` names the tool (its tier sets the limit); ``None`` takes it from the
    path parameter ``tool_path_param``. ``ingestion=True`` applies the document
    ingestion limit instead of a tool limit. Both also count against the
    caller's global hourly limit.
    """

    def __init__(
        self, tool: str | None = None, *, ingestion: bool = False, tool_path_param: str = "tool"
    ) -> None:
        if tool is not None and not TOOL_NAME_RE.fullmatch(tool):
            raise ValueError(f"invalid tool name: {tool!r}")
        self.tool = tool
        self.ingestion = ingestion
        self.tool_path_param = tool_path_param

    async def __call__(self, request: Request) -> RateDecision:
        started = time.perf_counter()
        state = guard_state(request)
        identity = (await authenticate(request, state)).identity
        if self.ingestion:
            specs = ingestion_limits(state.rate_limits, identity)
            return await _apply(
                state, request, specs, identity, INGESTION_AUDIT_NAME, "medium", started
            )
        name = _tool_name(request, self.tool, self.tool_path_param)
        tier = classify_tool(name, state.risk)
        specs = tool_limits(state.rate_limits, identity, name, tier)
        return await _apply(state, request, specs, identity, name, tier, started)


class RequireRiskAck:
    """Dependency: 403 unless a high-risk tool is called with the acknowledgement.

    Returns the tool's tier, so an endpoint can log or audit it.
    """

    def __init__(self, tool: str | None = None, *, tool_path_param: str = "tool") -> None:
        self.tool = tool
        self.tool_path_param = tool_path_param

    async def __call__(self, request: Request) -> RiskTier:
        started = time.perf_counter()
        state = guard_state(request)
        name = _tool_name(request, self.tool, self.tool_path_param)
        tier = classify_tool(name, state.risk)
        # Only a high-risk tool needs the ack: reading (and parsing) the body for
        # the others would cost every call a JSON decode for nothing.
        ack = await risk_ack_from_request(request) if tier == "high" else None
        reason = risk_ack_refusal(tier, ack)
        if reason is not None:
            log_event(logger, "risk_ack_refused", logging.WARNING, tool=name, reason=reason)
            # Attributed only to an authenticated caller: an invented key names nobody.
            found = getattr(request.state, _IDENTITY_ATTR, None)
            identity = found.identity if isinstance(found, Identity) else None
            await _audit_refusal(
                state,
                request,
                tool=name,
                identity=identity,
                tier=tier,
                outcome="risk_ack_refused",
                started=started,
            )
            raise HTTPException(
                status_code=403,
                detail={"reason": reason, "tool": name, "risk_tier": tier},
            )
        return tier


class GuardTool:
    """Dependency: the risk acknowledgement, then the rate limit, for one tool call."""

    def __init__(self, tool: str | None = None, *, tool_path_param: str = "tool") -> None:
        self._ack = RequireRiskAck(tool, tool_path_param=tool_path_param)
        self._rate = RateLimit(tool, tool_path_param=tool_path_param)

    async def __call__(self, request: Request) -> RiskTier:
        state = guard_state(request)
        fast = await self._one_round_trip(request, state)
        if fast is not None:
            return fast
        # Authenticate before anything else runs; then the ack, so a call
        # refused for a missing ack does not spend quota.
        await authenticate(request, state)
        tier = await self._ack(request)
        await self._rate(request)
        return tier

    async def _one_round_trip(self, request: Request, state: GuardState) -> RiskTier | None:
        """The common case in one Redis call: a named tool that needs no ack, a valid key.

        The peer's failed-auth check and the caller's limits run in one script, in
        the order :func:`authenticate` and :class:`RateLimit` keep; anything else
        (a bad key, a high-risk tool, a tool from the path) returns None for the
        general path, which refuses it the same way as before.
        """
        tool = self._rate.tool
        if tool is None or isinstance(getattr(request.state, _IDENTITY_ATTR, None), Identity):
            return None
        tier = classify_tool(tool, state.risk)
        if tier == "high" or state.api_keys is None:
            return None
        key = api_key_from_request(request, state.api_key_header)
        found = state.api_keys.lookup(key)
        if found is None:
            return None
        started = time.perf_counter()
        peer = request_peer(request)
        limits = state.rate_limits
        auth = auth_failure_spec(limits.key_prefix, peer, limits.auth_failures)
        specs = tool_limits(limits, found.identity, tool, tier)
        try:
            decision = await state.auth_then_limit.hit(auth, specs)
        except RateLimitBackendError as exc:
            raise _backend_unavailable("authentication", exc) from None
        if decision.allowed:
            setattr(request.state, _IDENTITY_ATTR, found)
            return tier
        if decision.reason == auth.reason:
            raise _auth_refusal(state, peer, decision)
        setattr(request.state, _IDENTITY_ATTR, found)
        await _refuse(state, request, decision, found.identity, tool, tier, started)


def rate_limit(tool: str | None = None, *, tool_path_param: str = "tool") -> RateLimit:
    """``Depends(rate_limit("search"))``: the per-tool (by tier) and global limits."""
    return RateLimit(tool, tool_path_param=tool_path_param)


def rate_limit_ingestion() -> RateLimit:
    """``Depends(rate_limit_ingestion())``: the ingestion and global limits."""
    return RateLimit(ingestion=True)


def require_risk_ack(tool: str | None = None, *, tool_path_param: str = "tool") -> RequireRiskAck:
    """``Depends(require_risk_ack("run_shell"))``: 403 for an unacknowledged high-risk call."""
    return RequireRiskAck(tool, tool_path_param=tool_path_param)


def guard_tool(tool: str | None = None, *, tool_path_param: str = "tool") -> GuardTool:
    """``Depends(guard_tool("run_shell"))``: ack check, then rate limits."""
    return GuardTool(tool, tool_path_param=tool_path_param)
