"""The optional cross-encoder reranker: loaded from a local directory only.

No reranker model ships with the stack and nothing is downloaded at run time,
so by default it is off. Enabled, it is loaded in-process (torch) only when
the service's own cgroup leaves room for it; otherwise, or when the directory
is missing or does not load, the service logs one ``reranker_unavailable``
line and searches without it.
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

MIB = 1 << 20
# torch and a MiniLM-sized model at peak: bench/embeddings_rss.py measured the
# MiniLM embedding engine (same architecture, 87 MiB of weights) at 690 MiB;
# larger models add their weights. A quarter on top, as the plan allows.
TORCH_BASE_MIB = 600
HEADROOM = 1.25


class CrossEncoderReranker:
    """Reorders the engine's candidates by a cross-encoder's score of (query, chunk)."""

    def __init__(self, model: Any) -> None:
        self._model = model

    async def rerank(self, query: str, hits: Sequence[Hit], limit: int) -> list[Hit]:
        """The ``limit`` best of ``hits`` by the cross-encoder (ties keep engine order)."""
        pairs = [(query, str(h.payload.get("text", ""))) for h in hits]
        scores = await asyncio.to_thread(self._model.predict, pairs)
        return [hits[i] for i in rerank_order(scores)[:limit]]


def rerank_order(scores: Sequence[float]) -> list[int]:
    """Indexes by descending score; equal scores keep their engine order."""
    return sorted(range(len(scores)), key=lambda i: (-float(scores[i]), i))


def memory_needed_mib(model_dir: Path) -> int:
    """What loading the cross-encoder in ``model_dir`` takes, with headroom."""
    weights = sum(
        p.stat().st_size for p in model_dir.rglob("*") if p.suffix in (".safetensors", ".bin")
    )
    return int((TORCH_BASE_MIB + weights / MIB) * HEADROOM)


def memory_refusal(limit: int | None, current: int, needed_mib: int) -> str | None:
    """Why the model does not fit under the cgroup's ``limit`` (bytes), or None."""
    if limit is None:
        return None
    free_mib = (limit - current) // MIB
    if free_mib >= needed_mib:
        return None
    return (
        f"needs ~{needed_mib} MiB in-process, the service's MemoryMax "
        f"({limit // MIB} MiB) leaves {free_mib} MiB"
    )


def cgroup_memory(proc: Path = Path("/proc/self/cgroup")) -> tuple[int | None, int]:
    """This process's cgroup v2 ``memory.max`` (None: no limit) and ``memory.current``."""
    try:
        line = next(x for x in proc.read_text().splitlines() if x.startswith("0::"))
        base = Path("/sys/fs/cgroup") / line[3:].lstrip("/")
        raw = (base / "memory.max").read_text().strip()
        current = int((base / "memory.current").read_text().strip())
    except (OSError, StopIteration, ValueError):
        return None, 0
    return (None if raw == "max" else int(raw)), current


def load_reranker(
    settings: RerankerSettings,
    logger: logging.Logger,
    memory: tuple[int | None, int] | None = None,
) -> CrossEncoderReranker | None:
    """The configured reranker, or None (logged once, with the reason).

    ``memory`` is (limit, current) in bytes; the process's cgroup by default.
    Blocking (torch import, weights): the service calls it in a thread.
    """
    if not settings.enabled:
        log_event(logger, "reranker_disabled")
        return None

    def unavailable(reason: str) -> None:
        log_event(
            logger,
            "reranker_unavailable",
            logging.WARNING,
            model_path=settings.model_path,
            reason=reason,
        )

    if settings.model_path is None or not Path(settings.model_path).is_dir():
        unavailable("no cross-encoder model directory there")
        return None
    model_dir = Path(settings.model_path)
    limit, current = memory if memory is not None else cgroup_memory()
    refusal = memory_refusal(limit, current, memory_needed_mib(model_dir))
    if refusal is not None:
        unavailable(refusal)
        return None
    try:
        from sentence_transformers import CrossEncoder

        model = CrossEncoder(str(model_dir), local_files_only=True)
    except Exception as exc:  # any load failure leaves search working without it
        unavailable(f"{type(exc).__name__}: {exc}")
        return None
    log_event(logger, "reranker_loaded", model_path=settings.model_path)
    return CrossEncoderReranker(model)
