"""The optional cross-encoder reranker: loaded from a local directory only.

No reranker model ships with the stack and nothing is downloaded at run time,
so by default it is off and the service says so once in its log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aistack.common.events import log_event
from aistack.config.knowledge import RerankerSettings
from aistack.knowledge.vectorstore import Hit


class CrossEncoderReranker:
    """Reorders the engine's candidates by a cross-encoder's score of (query, chunk)."""

    def __init__(self, model: Any) -> None:
        self._model = model

    async def rerank(self, query: str, hits: Sequence[Hit], limit: int) -> list[Hit]:
        """The ``limit`` best of ``hits`` by the cross-encoder (ties keep engine order)."""
        pairs = [(query, str(h.payload.get("text", ""))) for h in hits]
        scores = await asyncio.to_thread(self._model.predict, pairs)
        order = sorted(range(len(hits)), key=lambda i: (-float(scores[i]), i))
        return [hits[i] for i in order[:limit]]


def load_reranker(
    settings: RerankerSettings, logger: logging.Logger
) -> CrossEncoderReranker | None:
    """The configured reranker, or None (logged once, with the reason)."""
    if not settings.enabled:
        log_event(logger, "knowledge_reranker_off", reason="disabled in the config")
        return None
    if settings.model_path is None or not Path(settings.model_path).is_dir():
        log_event(
            logger,
            "knowledge_reranker_off",
            logging.WARNING,
            reason=f"no cross-encoder model directory at {settings.model_path}",
        )
        return None
    try:
        from sentence_transformers import CrossEncoder

        model = CrossEncoder(settings.model_path, local_files_only=True)
    except Exception as exc:  # any load failure leaves search working without it
        log_event(logger, "knowledge_reranker_off", logging.WARNING, reason=str(exc))
        return None
    log_event(logger, "knowledge_reranker_on", model_path=settings.model_path)
    return CrossEncoderReranker(model)
