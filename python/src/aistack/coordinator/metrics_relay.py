"""``GET /metrics/upstream/{name}``: the coordinator relays socket-only services' metrics.

Prometheus scrapes TCP targets only, and the embeddings and knowledge services
listen on Unix sockets with no IP network at all (``PrivateNetwork=yes``).
The coordinator can reach those sockets, so it fetches their ``/metrics`` and
returns the text unchanged; lib/monitoring.nix points each such scrape job at
``/metrics/upstream/<name>`` on the coordinator.

Only upstreams that are Unix-socket endpoints *and* speak HTTP are relayed:
anything else is a 404, so the route cannot be turned into a proxy to TCP
services. A relay never answers 500 and never hangs: an upstream that does not
answer within the timeout, answers with an error, or sends more than the size
limit is a 502 with the reason, which Prometheus records as ``up == 0`` for
that job (and the service-down alert fires).
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from aistack.common.events import log_event
from aistack.config.common import UnixEndpoint
from aistack.config.coordinator import CoordinatorConfig

# Upstreams that serve HTTP with a /metrics route. Redis speaks RESP and the
# audit writer JSON lines: a name is relayed only when it is listed here.
HTTP_UPSTREAMS: frozenset[str] = frozenset({"embeddings", "knowledge", "llama_cpp"})

# Whole-exchange deadline: connect, request and the full body.
DEFAULT_TIMEOUT_S = 3.0
# A service's exposition is a few hundred KiB at most; anything bigger is a bug.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024


class RelayError(Exception):
    """The upstream's metrics could not be relayed; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def relayable_upstreams(config: CoordinatorConfig) -> dict[str, UnixEndpoint]:
    """The upstreams whose ``/metrics`` may be relayed: HTTP services on Unix sockets."""
    upstreams = config.upstreams
    return {
        name: endpoint
        for name in type(upstreams).model_fields
        if name in HTTP_UPSTREAMS and isinstance(endpoint := getattr(upstreams, name), UnixEndpoint)
    }


async def fetch_metrics(
    endpoint: UnixEndpoint, timeout_s: float, max_bytes: int
) -> tuple[bytes, str]:
    """GET ``/metrics`` over ``endpoint``'s socket; returns (body, content type).

    Raises :class:`RelayError` on any failure, with a reason fit for the caller.
    """
    transport = httpx.AsyncHTTPTransport(uds=endpoint.path)
    async with httpx.AsyncClient(
        base_url=endpoint.base_url, transport=transport, timeout=timeout_s
    ) as client:
        try:
            async with asyncio.timeout(timeout_s):
                async with client.stream("GET", "/metrics") as response:
                    if response.status_code != 200:
                        raise RelayError(f"upstream answered HTTP {response.status_code}")
                    chunks: list[bytes] = []
                    size = 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise RelayError(f"upstream sent more than {max_bytes} bytes")
                        chunks.append(chunk)
                    content_type = response.headers.get("content-type", CONTENT_TYPE_LATEST)
        except TimeoutError as exc:
            raise RelayError(f"no complete answer within {timeout_s:g}s") from exc
        except httpx.HTTPError as exc:
            raise RelayError(f"{type(exc).__name__}: {exc or 'no detail'}") from exc
    # Only Prometheus text is passed on; anything else is the wrong service.
    if not content_type.startswith(("text/plain", "application/openmetrics-text")):
        raise RelayError(f"upstream answered with content type {content_type!r}")
    return b"".join(chunks), content_type


def create_metrics_relay(
    config: CoordinatorConfig,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> APIRouter:
    """A router serving ``GET /metrics/upstream/{name}`` for ``config``'s socket upstreams."""
    upstreams = relayable_upstreams(config)
    logger = logging.getLogger("aistack.coordinator")
    router = APIRouter()

    @router.get("/metrics/upstream/{name}")
    async def relay(name: str) -> Response:
        endpoint = upstreams.get(name)
        if endpoint is None:
            return JSONResponse(
                {
                    "detail": f"no relayable upstream named {name!r}",
                    "relayable": sorted(upstreams),
                },
                status_code=404,
            )
        try:
            body, content_type = await fetch_metrics(endpoint, timeout_s, max_bytes)
        except RelayError as exc:
            log_event(
                logger,
                "metrics_relay_failed",
                logging.WARNING,
                upstream=name,
                reason=exc.reason,
            )
            return JSONResponse(
                {"detail": f"upstream {name!r} did not relay: {exc.reason}", "upstream": name},
                status_code=502,
            )
        return Response(body, media_type=None, headers={"content-type": content_type})

    return router
