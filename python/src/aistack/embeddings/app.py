"""App factory of the embeddings service: OpenAI's ``/v1/embeddings`` and ``/v1/models``."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from aistack.common.app import HealthChecks, create_base_app
from aistack.common.events import log_event
from aistack.config.embeddings import EmbeddingsConfig
from aistack.embeddings.backend import BackendError, Encoded, EngineDied, ModelLoadError
from aistack.embeddings.batcher import BatchObserver, MicroBatcher
from aistack.embeddings.cache import EmbeddingCache, cache_redis_client
from aistack.embeddings.engine import Engine, model_fingerprint, start_backend
from aistack.embeddings.metrics import EmbeddingMetrics
from aistack.embeddings.requests import (
    MAX_BODY_BYTES,
    Limits,
    RequestRefused,
    check_request,
    encode_vector,
    parse_body,
)
from aistack.embeddings.service import EmbeddingService

FINGERPRINT_HEADER = "X-Aistack-Model-Fingerprint"
# Long enough for the failing requests' 503s to go out.
EXIT_AFTER_ENGINE_DEATH_S = 0.5


def model_aliases(config: EmbeddingsConfig) -> frozenset[str]:
    """Names a request's ``model`` may use: the registry id, the HF repo, its last part."""
    repo = config.model.hf_repo
    return frozenset(a.lower() for a in (config.model.id, repo, repo.rsplit("/", 1)[-1]))


def _error(status: int, message: str, error_type: str, code: str | None) -> JSONResponse:
    body = {"error": {"message": message, "type": error_type, "param": None, "code": code}}
    return JSONResponse(body, status_code=status)


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestRefused(
            413, f"the body is {declared} bytes, more than {limit}", "request_too_large"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestRefused(413, f"the body is more than {limit} bytes", "request_too_large")
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(config: EmbeddingsConfig) -> FastAPI:
    """Build the embeddings service's app from its validated config."""
    fingerprint = model_fingerprint(config)
    # First, before any thread exists: the engine may fork a process.
    wait_for_engine = start_backend(config)
    redis = cache_redis_client(config.upstreams.redis)
    # One thread: the engine loads, then encodes one batch at a time.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embeddings-engine")
    engine = Engine(config, wait_for_engine, executor)

    async def redis_ping() -> None:
        await redis.ping()

    async def engine_ready() -> None:
        status = engine.status()
        if status != "ok":
            raise RuntimeError(status)
        await asyncio.to_thread(engine.loaded().check)

    async def close() -> None:
        await redis.aclose()

    # Neither check turns /health into a 503: with Redis down the service still
    # computes, and while the model loads requests wait for it.
    app = create_base_app(
        config,
        HealthChecks(required={}, optional={"redis": redis_ping, "engine": engine_ready}),
        on_shutdown=[close],
    )
    logger: logging.Logger = app.state.logger
    metrics = EmbeddingMetrics.register(app.state.metrics_registry, config.backend)
    cache = EmbeddingCache(
        redis,
        fingerprint=fingerprint,
        epoch=config.cache_epoch,
        ttl_s=config.cache_ttl_s,
        dimensions=config.model.embedding_dim,
        count=metrics.count_cache,
        logger=logger,
    )

    def encode_sync(texts: list[str]) -> Encoded:
        # Runs on the engine thread, after Engine.get() succeeded once.
        return engine.loaded().encode(texts)

    batcher = MicroBatcher(
        encode_sync,
        max_batch=config.max_batch,
        max_latency_s=config.batch_max_latency_ms / 1000.0,
        executor=executor,
        observer=BatchObserver(metrics.set_queue_depth, metrics.observe_batch),
    )
    service = EmbeddingService(cache, batcher)
    limits = Limits(config.max_inputs, config.max_input_bytes, config.model.embedding_dim)
    aliases = model_aliases(config)
    created = int(time.time())
    app.state.fingerprint = fingerprint

    base_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[None]:
        async with base_lifespan(a):
            log_event(
                logger,
                "embedding_model_selected",
                model=config.model.id,
                backend=config.backend,
                fingerprint=fingerprint,
                cache_epoch=config.cache_epoch,
            )
            batcher.start()
            flush = asyncio.create_task(cache.keep_flushing_until_done(), name="cache-flush")
            try:
                yield
            finally:
                flush.cancel()
                with suppress(asyncio.CancelledError):
                    await flush
                await batcher.stop()
                executor.shutdown(wait=False, cancel_futures=True)
                engine.close()

    app.router.lifespan_context = lifespan

    @app.exception_handler(RequestRefused)
    async def _refused(_: Request, exc: RequestRefused) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
        return _error(exc.status_code, str(exc.detail), "invalid_request_error", code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(400, str(exc.errors()[:3]), "invalid_request_error", "invalid_request")

    @app.post("/v1/embeddings")
    async def embeddings(request: Request) -> Response:
        body = parse_body(await read_body(request, MAX_BODY_BYTES))
        req = check_request(body, limits)
        if req.model is not None and req.model.lower() not in aliases:
            raise RequestRefused(
                404,
                f"model {req.model!r} is not served here; this service serves {config.model.id!r}",
                "model_not_found",
                param="model",
            )
        try:
            await engine.get()
            result = await service.embed(req.texts)
        except EngineDied as exc:
            # Nothing in this process can bring the model back: exit with
            # EX_SOFTWARE so systemd (Restart=on-failure) starts a fresh one.
            log_event(logger, "embedding_engine_died", logging.CRITICAL, error=str(exc))
            asyncio.get_running_loop().call_later(EXIT_AFTER_ENGINE_DEATH_S, os._exit, 70)
            return _error(
                503, f"the embedding engine failed: {exc}", "server_error", "engine_unavailable"
            )
        except (ModelLoadError, BackendError) as exc:
            log_event(logger, "embedding_engine_failed", logging.ERROR, error=str(exc))
            return _error(
                503, f"the embedding engine failed: {exc}", "server_error", "engine_unavailable"
            )
        total = sum(result.tokens)
        payload: dict[str, Any] = {
            "object": "list",
            "data": [
                {
                    "object": "embedding",
                    "index": i,
                    "embedding": encode_vector(v, req.encoding_format),
                }
                for i, v in enumerate(result.vectors)
            ],
            "model": config.model.id,
            "usage": {"prompt_tokens": total, "total_tokens": total},
            "fingerprint": fingerprint,
        }
        # orjson writes float32 arrays natively: ~30x faster than json on
        # 384 floats, which is most of a cache hit's time otherwise.
        return Response(
            orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY),
            media_type="application/json",
            headers={FINGERPRINT_HEADER: fingerprint},
        )

    @app.get("/v1/models")
    async def models() -> JSONResponse:
        entry = {
            "id": config.model.id,
            "object": "model",
            "created": created,
            "owned_by": "aistack",
            "dimensions": config.model.embedding_dim,
            "fingerprint": fingerprint,
        }
        return JSONResponse(
            {"object": "list", "data": [entry]}, headers={FINGERPRINT_HEADER: fingerprint}
        )

    return app
