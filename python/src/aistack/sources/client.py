"""Handing documents to the running knowledge service: batches within its limits,
rate-limit waits honoured."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from aistack.config.common import Endpoint
from aistack.config.knowledge import KnowledgeConfig
from aistack.sources.documents import Document

# A request stays well under the service's body cap; JSON escaping can double text.
REQUEST_BUDGET_BYTES = 8 * 1024 * 1024
# sysexits.h EX_UNAVAILABLE: the service is not there to talk to.
EX_UNAVAILABLE = 69
# One rate window is a minute; a batch that fits the limit waits at most about that.
MAX_RATE_WAIT_S = 180.0
# The service's bound on a document's source name.
MAX_SOURCE_CHARS = 2048


class ServiceUnavailable(Exception):
    """The knowledge service could not be reached or answered 5xx."""


class IngestRefused(Exception):
    """The service refused a batch with a 4xx; ``code`` is its error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Outgoing:
    """One document as ``POST /documents`` takes it."""

    source: str
    text: str
    collection: str | None
    fmt: str | None
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The request item (trust is always ``imported``: it came from a source)."""
        item: dict[str, Any] = {"text": self.text, "source": self.source, "trust": "imported"}
        if self.collection is not None:
            item["collection"] = self.collection
        if self.fmt is not None:
            item["format"] = self.fmt
        if self.title is not None:
            item["title"] = self.title[:512]
        return item


def source_name(source_id: str, name: str) -> str:
    """``<source id>:<path or url>``, shortened (with a hash, so still unique) past
    what the service accepts."""
    full = f"{source_id}:{name}"
    if len(full) <= MAX_SOURCE_CHARS:
        return full
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{full[: MAX_SOURCE_CHARS - 20]}~{digest}"


def outgoing(source_id: str, collection: str | None, doc: Document) -> Outgoing:
    """``doc`` named ``<source id>:<path or url>``."""
    return Outgoing(source_name(source_id, doc.name), doc.text, collection, doc.fmt, doc.title)


def batches(items: Iterable[Outgoing], max_count: int, max_bytes: int) -> Iterator[list[Outgoing]]:
    """Consecutive batches of at most ``max_count`` items and about ``max_bytes`` of text."""
    batch: list[Outgoing] = []
    size = 0
    for item in items:
        item_size = 2 * len(item.text.encode("utf-8")) + len(item.source) + 128
        if batch and (len(batch) >= max_count or size + item_size > max_bytes):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += item_size
    if batch:
        yield batch


def batch_limit(config: KnowledgeConfig) -> int:
    """Documents per request: the service's batch cap and its per-key rate, whichever is lower."""
    return max(1, min(config.limits.max_batch_documents, config.guard.rate_limits.ingestion.limit))


def _refusal(response: httpx.Response) -> IngestRefused:
    try:
        error = response.json()["error"]
        return IngestRefused(response.status_code, str(error.get("code")), str(error["message"]))
    except (ValueError, KeyError, TypeError):
        return IngestRefused(response.status_code, "unknown", response.text[:300])


class KnowledgeWriter:
    """``POST /documents`` on the knowledge service's socket (or address), ``config.listen``."""

    def __init__(
        self,
        listen: Endpoint,
        timeout: float = 600.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if listen.kind == "unix":
            self.where = listen.path
            transport = httpx.HTTPTransport(uds=listen.path)
            self._http = httpx.Client(
                base_url="http://localhost", transport=transport, timeout=timeout
            )
        else:
            self.where = listen.base_url
            self._http = httpx.Client(base_url=listen.base_url, timeout=timeout)
        self._key = os.environ.get("AISTACK_API_KEY") or "aistack-sync-sources"
        self._sleep = sleep

    def post(self, batch: list[Outgoing]) -> list[dict[str, Any]]:
        """Store one batch; waits out a 429 with Retry-After; the per-document results."""
        body = {"documents": [item.to_json() for item in batch]}
        waited = 0.0
        while True:
            try:
                response = self._http.post(
                    "/documents", json=body, headers={"X-API-Key": self._key}
                )
            except httpx.TransportError as exc:
                raise ServiceUnavailable(
                    f"the knowledge service is not answering at {self.where} ({exc})"
                ) from None
            if response.status_code == 429 and "retry-after" in response.headers:
                wait = max(1.0, float(response.headers["retry-after"]))
                if waited + wait <= MAX_RATE_WAIT_S:
                    self._sleep(wait)
                    waited += wait
                    continue
            if response.status_code >= 500:
                raise ServiceUnavailable(
                    f"POST /documents -> {response.status_code}: {response.text[:300]}"
                )
            if response.status_code >= 400:
                raise _refusal(response)
            return list(response.json()["results"])

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()
