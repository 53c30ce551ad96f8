"""Token counters for :func:`aistack.coordinator.compression.compress`.

A backend that has a tokenizer endpoint (llama.cpp's ``POST /tokenize``) counts
exactly: :func:`llama_token_counter` tokenizes the texts about to be compressed
(chunks and messages, concurrently) and answers those exactly; for other texts
(the sentences trimming looks at) it scales :func:`estimate_tokens` by the ratio
measured on the same texts, so the estimate is calibrated for this model and
this request. When the endpoint fails or is slow, the plain estimate is used and
``tokenizer_unavailable`` is logged.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Sequence

import httpx

from aistack.common.events import log_event
from aistack.coordinator.compression import TokenCounter, estimate_tokens

logger = logging.getLogger("aistack.coordinator.tokens")

# Tokenizing is local and fast; a slow answer means a busy server, and the
# estimate is good enough then.
TOKENIZE_TIMEOUT_S = 0.5
TOKENIZE_CONCURRENCY = 8


class CalibratedCounter:
    """Exact counts for the texts it was given, a ratio-scaled estimate for the rest."""

    def __init__(self, exact: dict[str, int], ratio: float) -> None:
        self.exact = exact
        self.ratio = ratio

    def __call__(self, text: str) -> int:
        known = self.exact.get(text)
        if known is not None:
            return known
        return math.ceil(estimate_tokens(text) * self.ratio)


async def _tokenize(client: httpx.AsyncClient, text: str, limit: asyncio.Semaphore) -> int:
    async with limit:
        response = await client.post(
            "/tokenize",
            json={"content": text, "add_special": False},
            timeout=TOKENIZE_TIMEOUT_S,
        )
    response.raise_for_status()
    tokens = response.json().get("tokens")
    if not isinstance(tokens, list):
        raise ValueError("tokenize reply has no token list")
    return len(tokens)


async def llama_token_counter(client: httpx.AsyncClient, texts: Sequence[str]) -> TokenCounter:
    """A counter backed by llama.cpp ``/tokenize`` on ``client`` for ``texts``.

    Falls back to :func:`estimate_tokens` (logged) when the server cannot answer.
    """
    unique = [t for t in dict.fromkeys(texts) if t]
    if not unique:
        return estimate_tokens
    limit = asyncio.Semaphore(TOKENIZE_CONCURRENCY)
    try:
        counts = await asyncio.gather(*(_tokenize(client, t, limit) for t in unique))
    except (httpx.HTTPError, ValueError) as exc:
        log_event(
            logger,
            "tokenizer_unavailable",
            logging.WARNING,
            error=f"{type(exc).__name__}: {exc}",
        )
        return estimate_tokens
    exact = dict(zip(unique, counts, strict=True))
    estimated = sum(estimate_tokens(t) for t in unique)
    ratio = sum(counts) / estimated if estimated else 1.0
    return CalibratedCounter(exact, ratio)


async def context_token_counter(state: object, texts: Sequence[str]) -> TokenCounter:
    """The local model's tokenizer when llama-server is up, else the estimate.

    ``state`` is the coordinator's request-path state (its ``health`` and ``local``).
    """
    health = getattr(state, "health", None)
    local = getattr(state, "local", None)
    if health is None or local is None or not getattr(health, "healthy", False):
        return estimate_tokens
    return await llama_token_counter(local.client, texts)
