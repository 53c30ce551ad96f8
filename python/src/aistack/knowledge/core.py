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
        # Where the background copy of an older model's collection stands
        # (``GET /status``); None when no copy runs.
        self.reembedding: dict[str, Any] | None = None
        self.reembed_gauge: Any = None
        self._reembed_task: asyncio.Task[Any] | None = None
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
        # An older model's collection left by a crash or a stop mid-copy: resume.
        self.schedule_reembed()
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

    async def use_model(
        self, fingerprint: str, info: ModelInfo | None = None, dim: int | None = None
    ) -> str:
        """Make ``fingerprint``'s collection active (creating it; re-embedding the old one).

        ``dim`` is the length of a vector the model just made: a new model's
        collection gets its size from there (or ``info``), not from the config.
        """
        name = collection_for(fingerprint)
        if self.active == name:
            if info is not None:
                self.model = info
            return name
        async with self._model_lock:
            if self.active == name:
                return name
            size = dim or (info.dimensions if info is not None else self.config.embedding_dim)
            await self.engine(self.vectors.ensure_collection, name, size)
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
            if previous is not None and self.reembedding is None:
                # Published before the copier starts, so the very next search
                # already asks the old collection too.
                from aistack.knowledge.reembed import Progress
                from aistack.knowledge.vectorstore import Where

                total = await self.engine(self.vectors.count, previous, Where())
                self.set_reembed_progress(Progress(previous, name, total))
            if previous is not None:
                self.schedule_reembed()
        return name

    # --- re-embedding after a model change ------------------------------------

    def schedule_reembed(self) -> None:
        """Copy every older model's collection into the active one, in the background.

        One copier at a time; a running one picks up what appeared meanwhile.
        """
        if self._reembed_task is not None and not self._reembed_task.done():
            return
        self._reembed_task = asyncio.get_running_loop().create_task(
            self._reembed_all(), name="reembed"
        )
        self._tasks.add(self._reembed_task)
        self._reembed_task.add_done_callback(self._tasks.discard)

    def set_reembed_progress(self, progress: Any) -> None:
        """Publish a copy's progress (``/status`` and the remaining-chunks gauge)."""
        self.reembedding = None if progress is None else progress.as_dict()
        if self.reembed_gauge is not None:
            left = 0 if progress is None else max(0, progress.total - progress.scanned)
            self.reembed_gauge.set(left)

    async def _reembed_all(self) -> None:
        from aistack.knowledge.reembed import reembed, stale_collections

        delay = 1.0
        while True:
            stale = stale_collections(await self.engine(self.vectors.collections), self.active)
            if not stale:
                self.set_reembed_progress(None)
                return
            target = self.active
            assert target is not None
            try:
                for old in stale:
                    if not await reembed(self, old, target):
                        # The service runs yet another model: make it active first.
                        info = await self.embedder.model()
                        await self.use_model(info.fingerprint, info)
                        break
                delay = 1.0
            except EmbeddingsUnavailable as exc:
                log_event(self.logger, "knowledge_reembed_waiting", logging.WARNING, error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
            except Exception as exc:  # logged; the old collection stays for the next start
                log_event(
                    self.logger,
                    "knowledge_reembed_failed",
                    logging.ERROR,
                    error=f"{type(exc).__name__}: {exc}",
                )
                self.set_reembed_progress(None)
                return

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
        # Only chunks still there: one replaced or collected meanwhile would
        # fail the whole update.
        present = [h.id for h in await self.engine(self.vectors.retrieve, self.active, ids)]
        await self.engine(
            self.vectors.set_payload_ids, self.active, present, {"last_accessed_at": time.time()}
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
