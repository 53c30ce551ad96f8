"""The knowledge base's working parts in one object, with their lifecycle.

:class:`KnowledgeCore` holds the vector store, the state store, the embedder
and the BM25 encoder, knows which vector collection is active (one per
embedding-model fingerprint), and runs the background work: recovery of an
interrupted ingest at start, ``last_accessed_at`` updates, gap records, and
re-embedding after a model change. No module-level state: the app factory
builds one per app.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from aistack.common.events import log_event
from aistack.config.knowledge import KnowledgeConfig
from aistack.knowledge import state
from aistack.knowledge.embedder import Embedder, EmbeddingsUnavailable, ModelInfo
from aistack.knowledge.sparse import Bm25Encoder
from aistack.knowledge.vectorstore import VectorStore
from aistack.statestore import StateStore

T = TypeVar("T")

ACTIVE_KEY = "active_vector_collection"
# How often the background writer applies queued access times.
ACCESS_FLUSH_S = 1.0


def collection_for(fingerprint: str) -> str:
    """The vector collection of an embedding model."""
    return f"m_{fingerprint}"


class KnowledgeCore:
    """Everything the endpoints and the CLI-facing operations share."""

    def __init__(
        self,
        config: KnowledgeConfig,
        vectors: VectorStore,
        store: StateStore,
        embedder: Embedder,
        logger: logging.Logger | None = None,
    ) -> None:
        self.config = config
        self.vectors = vectors
        self.store = store
        self.embedder = embedder
        self.bm25 = Bm25Encoder()
        self.logger = logger or logging.getLogger("aistack.knowledge")
        # One thread owns the vector engine: its calls never overlap and never
        # block the event loop.
        self._engine = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aistack-vectors")
        self.active: str | None = None
        self.model: ModelInfo | None = None
        self.reembedding: dict[str, Any] | None = None
        self._write_lock = asyncio.Lock()
        self._access_queue: set[str] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._model_lock = asyncio.Lock()
        self.reranker: Any = None
        self.gaps_counter: Any = None

    # --- plumbing ------------------------------------------------------------

    async def engine(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a vector-store call on the engine thread."""
        return await asyncio.get_running_loop().run_in_executor(self._engine, fn, *args)

    @property
    def write_lock(self) -> asyncio.Lock:
        """Held while chunks of a batch are swapped in, so two batches never interleave."""
        return self._write_lock

    def spawn(self, coro: Any, name: str) -> None:
        """Run ``coro`` in the background; its failure is logged, never raised."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                log_event(
                    self.logger,
                    "knowledge_background_failed",
                    logging.ERROR,
                    task=name,
                    error=f"{type(t.exception()).__name__}: {t.exception()}",
                )

        task.add_done_callback(done)

    # --- lifecycle -----------------------------------------------------------

    async def start(self) -> None:
        """Recover an interrupted ingest, pick the active collection, start the workers."""
        from aistack.knowledge.recovery import recover
        from aistack.knowledge.reranker import load_reranker

        self.reranker = await asyncio.to_thread(
            load_reranker, self.config.search.reranker, self.logger
        )
        self.active = await state.get_setting(self.store, ACTIVE_KEY)
        if self.active is not None:
            await self.engine(
                self.vectors.ensure_collection, self.active, self.config.embedding_dim
            )
        await recover(self)
        self.spawn(self._access_writer(), "access-writer")
        self.spawn(self._watch_model(), "model-watch")

    async def close(self) -> None:
        """Stop the workers, apply queued access times, close the stores."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._flush_access()
        await self.engine(self.vectors.close)
        self._engine.shutdown(wait=True)
        await self.store.close()
        await self.embedder.aclose()

    # --- the embedding model ------------------------------------------------

    async def _watch_model(self) -> None:
        # The embeddings service may start after us (aistack dev starts all at
        # once); keep asking until it answers, then now and then for changes.
        delay = 0.5
        while True:
            try:
                info = await self.embedder.model()
                await self.use_model(info.fingerprint, info)
                delay = 30.0
            except EmbeddingsUnavailable:
                delay = min(delay * 2, 10.0) if self.model is None else 30.0
            await asyncio.sleep(delay)

    async def use_model(self, fingerprint: str, info: ModelInfo | None = None) -> str:
        """Make ``fingerprint``'s collection active (creating it; re-embedding the old one)."""
        name = collection_for(fingerprint)
        if self.active == name:
            if info is not None:
                self.model = info
            return name
        async with self._model_lock:
            if self.active == name:
                return name
            dim = info.dimensions if info is not None else self.config.embedding_dim
            await self.engine(self.vectors.ensure_collection, name, dim)
            previous = self.active
            await state.set_setting(self.store, ACTIVE_KEY, name)
            self.active = name
            if info is not None:
                self.model = info
            log_event(
                self.logger,
                "knowledge_collection_active",
                collection=name,
                previous=previous,
                fingerprint=fingerprint,
            )
            if previous is not None:
                from aistack.knowledge.reembed import reembed

                self.spawn(reembed(self, previous, name), "reembed")
        return name

    async def require_active(self) -> str:
        """The active collection; asks the embeddings service when none is known yet."""
        if self.active is None:
            info = await self.embedder.model()
            await self.use_model(info.fingerprint, info)
        assert self.active is not None
        return self.active

    # --- last_accessed_at, off the request path ------------------------------

    def note_access(self, chunk_ids: list[str]) -> None:
        """Queue ``chunk_ids`` for a ``last_accessed_at`` update."""
        self._access_queue.update(chunk_ids)

    async def _flush_access(self) -> None:
        if not self._access_queue or self.active is None:
            return
        import time

        ids, self._access_queue = sorted(self._access_queue), set()
        await self.engine(
            self.vectors.set_payload_ids, self.active, ids, {"last_accessed_at": time.time()}
        )

    async def _access_writer(self) -> None:
        while True:
            await asyncio.sleep(ACCESS_FLUSH_S)
            try:
                await self._flush_access()
            except Exception as exc:  # keep the writer alive; the next round retries
                log_event(
                    self.logger, "knowledge_access_update_failed", logging.WARNING, error=str(exc)
                )
