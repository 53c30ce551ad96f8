"""App factory of the knowledge base: ingest, hybrid search, feedback links, gaps, GC."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from prometheus_client import Counter, Gauge

from aistack.common.app import HealthChecks, create_base_app
from aistack.common.clients import redis_client
from aistack.common.events import log_event
from aistack.common.guarding import build_guard_state
from aistack.common.metric_names import (
    KNOWLEDGE_GAPS,
    KNOWLEDGE_QUARANTINED,
    KNOWLEDGE_REEMBED_REMAINING,
)
from aistack.config.knowledge import KnowledgeConfig
from aistack.guard.deps import api_key_from_request, guard_state
from aistack.guard.identity import caller_identity
from aistack.guard.ratelimit import RateLimitBackendError
from aistack.guard.secrets import SecretEngineUnavailable
from aistack.knowledge import api, feedback, gc, state
from aistack.knowledge.body_limit import BodyLimitMiddleware
from aistack.knowledge.core import KnowledgeCore
from aistack.knowledge.doc_ratelimit import DocumentRateLimiter
from aistack.knowledge.embedder import Embedder, EmbeddingsUnavailable, HttpEmbedder
from aistack.knowledge.errors import ApiError, install_error_handlers
from aistack.knowledge.ingest import ingest_prepared
from aistack.knowledge.prepare import EmptyDocument, prepare_document
from aistack.knowledge.search import search as run_search
from aistack.knowledge.vectorstore import Cond, Where, open_vector_store
from aistack.statestore import StateStoreError, open_state_store


def _unavailable(exc: Exception) -> ApiError:
    return ApiError(503, "embeddings_unavailable", f"the embeddings service is unavailable: {exc}")


def create_app(config: KnowledgeConfig, embedder: Embedder | None = None) -> FastAPI:
    """Build the knowledge base's app from its validated config.

    ``embedder`` replaces the embeddings-service client (benchmarks use an
    in-process model); the service itself always talks to its upstream.
    """
    redis = redis_client(config.upstreams.redis, config.guard.redis)
    holder: dict[str, Any] = {}

    async def redis_ping() -> None:
        await redis.ping()

    async def embeddings_health() -> None:
        core: KnowledgeCore | None = holder.get("core")
        if core is None:
            raise RuntimeError("starting")
        await core.embedder.model()

    # Search needs neither Redis nor a fresh model check to answer: both optional.
    checks = HealthChecks(optional={"redis": redis_ping, "embeddings": embeddings_health})

    async def close() -> None:
        core = holder.pop("core", None)
        if core is not None:
            await core.close()
        await redis.aclose()

    async def start() -> None:
        try:
            await core_()
        except StateStoreError as exc:
            log_event(logger, "knowledge_state_store_unavailable", logging.ERROR, error=str(exc))
            raise

    app = create_base_app(config, checks, on_shutdown=[close], on_startup=[start])
    logger: logging.Logger = app.state.logger
    app.state.aistack_guard = build_guard_state(
        config.guard, redis, app.state.metrics_registry, config.service
    )
    doc_limiter = DocumentRateLimiter(redis, config.guard.rate_limits)
    install_error_handlers(app)
    registry = app.state.metrics_registry
    quarantined = Gauge(
        KNOWLEDGE_QUARANTINED.name, KNOWLEDGE_QUARANTINED.help, ["service"], registry=registry
    )
    gaps = Counter(
        KNOWLEDGE_GAPS.name.removesuffix("_total"),
        KNOWLEDGE_GAPS.help,
        ["service"],
        registry=registry,
    )

    reembed_remaining = Gauge(
        KNOWLEDGE_REEMBED_REMAINING.name,
        KNOWLEDGE_REEMBED_REMAINING.help,
        ["service"],
        registry=registry,
    )
    reembed_remaining.labels(config.service).set(0)

    async def core_() -> KnowledgeCore:
        core = holder.get("core")
        if core is None:
            async with holder.setdefault("lock", asyncio.Lock()):
                core = holder.get("core")
                if core is None:
                    core = await _open_core(config, embedder, logger)
                    core.gaps_counter = gaps.labels(config.service)
                    core.reembed_gauge = reembed_remaining.labels(config.service)
                    holder["core"] = core
        return core

    async def body(request: Request) -> Any:
        return api.parse_json(await request.body())

    @app.post("/documents")
    async def documents(request: Request) -> JSONResponse:
        guard = guard_state(request)
        key = api_key_from_request(request, guard.api_key_header)
        docs = api.parse_documents(await body(request), config)
        identity = caller_identity(key, guard.identity_secret)
        try:
            decision = await doc_limiter.hit(identity, len(docs))
        except RateLimitBackendError as exc:
            log_event(logger, "rate_limit_backend_unavailable", logging.ERROR, error=str(exc))
            raise ApiError(
                503, "rate_limit_backend_unavailable", "rate limiter unavailable"
            ) from None
        if not decision.allowed:
            if guard.refusals is not None:
                guard.refusals.labels(config.service, "ingestion_documents").inc()
            limit = config.guard.rate_limits.ingestion
            if decision.retry_after is None:
                raise ApiError(
                    429,
                    "batch_exceeds_rate_limit",
                    f"{len(docs)} documents can never fit {limit.limit} per "
                    f"{limit.window_seconds:g}s; send smaller batches",
                )
            raise ApiError(
                429,
                "ingestion_rate_limit_exceeded",
                f"more than {limit.limit} documents per {limit.window_seconds:g}s for this key",
                headers={"Retry-After": str(decision.retry_after)},
            )
        try:
            prepared = await asyncio.to_thread(
                lambda: [
                    prepare_document(
                        d,
                        config.chunking,
                        config.guard,
                        config.guard.secret_layers,
                    )
                    for d in docs
                ]
            )
        except EmptyDocument as exc:
            raise ApiError(400, "empty_document", str(exc)) from None
        except SecretEngineUnavailable as exc:
            # Configured, installed, but its library does not load here.
            raise ApiError(503, "secret_engine_unavailable", str(exc)) from None
        core = await core_()
        try:
            results = await ingest_prepared(core, prepared)
        except EmbeddingsUnavailable as exc:
            raise _unavailable(exc) from None
        quarantined.labels(config.service).set(await _quarantined(core))
        return JSONResponse({"results": [r.to_dict() for r in results]})

    @app.post("/search")
    async def search(request: Request) -> JSONResponse:
        req = api.parse_search(await body(request), config)
        core = await core_()
        try:
            return JSONResponse(await run_search(core, req))
        except EmbeddingsUnavailable as exc:
            raise _unavailable(exc) from None

    @app.post("/feedback-links")
    async def feedback_links(request: Request) -> JSONResponse:
        interaction, chunk_ids, rating = api.parse_feedback(await body(request))
        core = await core_()
        try:
            linked = await feedback.link(core, interaction, chunk_ids, rating)
        except EmbeddingsUnavailable as exc:
            raise _unavailable(exc) from None
        return JSONResponse({"linked": linked})

    @app.get("/gaps")
    async def get_gaps(days: float = 7, limit: int = 10) -> JSONResponse:
        if not 0 < days <= 3650 or not 1 <= limit <= 1000:
            raise ApiError(400, "invalid_range", "days must be in (0, 3650], limit in [1, 1000]")
        rows = await state.top_gaps((await core_()).store, days, limit)
        return JSONResponse(
            {
                "gaps": [
                    {
                        "query_text": r["query_text"],
                        "count": int(r["count"]),
                        "best_score": float(r["best_score"]),
                        "collection": r["collection"],
                        "last_seen": float(r["last_seen"]),
                    }
                    for r in rows
                ]
            }
        )

    @app.get("/status")
    async def status() -> JSONResponse:
        core = await core_()
        docs = await state.document_counts(core.store)
        collections: dict[str, dict[str, int]] = {}
        if core.active is not None:
            for name in sorted(docs):
                chunks = await core.engine(
                    core.vectors.count,
                    core.active,
                    Where(must=(Cond("collection", eq=name), Cond("visible", eq=1))),
                )
                collections[name] = {"chunks": chunks, "documents": docs[name]}
        q = await _quarantined(core)
        quarantined.labels(config.service).set(q)
        return JSONResponse(
            {
                "collections": collections,
                "quarantined": q,
                "embedding_fingerprint": (core.active or "")[2:],
                "state_store": core.store.dialect,
                "vector_store": config.vector_store.mode,
                "reembedding": core.reembedding,
            }
        )

    @app.post("/gc")
    async def run_gc(request: Request) -> JSONResponse:
        raw = await request.body()
        data = api.parse_json(raw) if raw.strip() else {}
        dry_run = data.get("dry_run", False) if isinstance(data, dict) else None
        if not isinstance(dry_run, bool):
            raise ApiError(400, "invalid_type", "dry_run must be true or false")
        try:
            return JSONResponse(await gc.collect(await core_(), dry_run))
        except EmbeddingsUnavailable as exc:
            raise _unavailable(exc) from None

    @app.get("/ledger")
    async def ledger(state_name: str | None = None, limit: int = 100) -> JSONResponse:
        if state_name not in (None, state.PENDING, state.SWAPPING, state.DONE, state.INTERRUPTED):
            raise ApiError(400, "invalid_state", "state_name: pending, swapping, done, interrupted")
        rows = await state.ledger_rows((await core_()).store, state_name, max(1, min(limit, 1000)))
        keep = ("batch_id", "doc_id", "collection", "source", "title", "state", "started_at")
        return JSONResponse({"entries": [{k: r[k] for k in keep} for r in rows]})

    @app.get("/chunks/{chunk_id}")
    async def chunk(chunk_id: str, with_vector: bool = False) -> JSONResponse:
        core = await core_()
        if core.active is None:
            raise ApiError(404, "not_found", f"no chunk {chunk_id}")
        try:
            hits = await core.engine(core.vectors.retrieve, core.active, [chunk_id], with_vector)
        except Exception:
            hits = []
        if not hits:
            raise ApiError(404, "not_found", f"no chunk {chunk_id}")
        out: dict[str, Any] = {"chunk_id": hits[0].id, "payload": hits[0].payload}
        if with_vector:
            out["vector"] = hits[0].dense
        return JSONResponse(out)

    app.add_middleware(BodyLimitMiddleware, max_bytes=config.limits.max_request_bytes)
    return app


async def _quarantined(core: KnowledgeCore) -> int:
    row = await core.store.fetchone(
        "SELECT COUNT(*) AS n FROM knowledge_documents WHERE quarantine = 1"
    )
    return int(row["n"]) if row else 0


async def _open_core(
    config: KnowledgeConfig, embedder: Embedder | None, logger: logging.Logger
) -> KnowledgeCore:
    store = await open_state_store(config.state_store, {state.COMPONENT: state.MIGRATIONS})
    vectors = await asyncio.to_thread(open_vector_store, config.vector_store)
    core = KnowledgeCore(
        config,
        vectors,
        store,
        embedder or HttpEmbedder(config.upstreams.embeddings),
        logger,
    )
    await core.start()
    return core
