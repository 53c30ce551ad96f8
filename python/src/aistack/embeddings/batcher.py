"""Micro-batching: concurrent requests' texts encoded together in one call.

The first waiting request opens a batch; others join it for up to
``max_latency_s`` or until ``max_batch`` texts are gathered. The batch is
encoded in one call on a worker thread, so the event loop keeps accepting
requests (which then queue for the next batch). Under load a batch fills while
the previous one is being encoded; a lone request waits at most the latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np

from aistack.embeddings.backend import Encoded

Encode = Callable[[list[str]], Encoded]


@dataclass
class _Job:
    texts: list[str]
    future: asyncio.Future[Encoded] = field(repr=False)


@dataclass(frozen=True)
class BatchObserver:
    """Callbacks for metrics: queue depth (texts waiting) and each batch's size."""

    queue_depth: Callable[[int], None] = lambda _n: None
    batch_size: Callable[[int], None] = lambda _n: None


def split_rows(encoded: Encoded, sizes: list[int]) -> list[Encoded]:
    """Cut one batch's result back into the requests' parts, in order."""
    parts: list[Encoded] = []
    start = 0
    for size in sizes:
        parts.append(
            Encoded(encoded.vectors[start : start + size], encoded.tokens[start : start + size])
        )
        start += size
    return parts


class MicroBatcher:
    """Gathers texts from concurrent callers and encodes them in batches."""

    def __init__(
        self,
        encode: Encode,
        *,
        max_batch: int,
        max_latency_s: float,
        executor: Executor,
        observer: BatchObserver | None = None,
    ) -> None:
        self._encode = encode
        self._max_batch = max_batch
        self._max_latency_s = max_latency_s
        self._executor = executor
        self._observer = observer or BatchObserver()
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._waiting = 0
        self._worker: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the worker on the running loop."""
        if self._worker is None:
            self._worker = asyncio.create_task(self._run(), name="embeddings-batcher")

    async def stop(self) -> None:
        """Stop the worker; callers still waiting get a cancellation."""
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None

    async def encode(self, texts: list[str]) -> Encoded:
        """Vectors and per-text token counts for ``texts``, batched with others'."""
        if not texts:
            return Encoded(np.zeros((0, 0), dtype=np.float32), [])
        self.start()
        future: asyncio.Future[Encoded] = asyncio.get_running_loop().create_future()
        self._set_waiting(self._waiting + len(texts))
        await self._queue.put(_Job(texts, future))
        return await future

    def _set_waiting(self, n: int) -> None:
        self._waiting = n
        self._observer.queue_depth(n)

    async def _gather(self) -> list[_Job]:
        jobs = [await self._queue.get()]
        count = len(jobs[0].texts)
        deadline = time.monotonic() + self._max_latency_s
        while count < self._max_batch:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                # Take whatever already queued up, without waiting longer.
                if self._queue.empty():
                    break
                job = self._queue.get_nowait()
            else:
                try:
                    job = await asyncio.wait_for(self._queue.get(), remaining)
                except TimeoutError:
                    break
            jobs.append(job)
            count += len(job.texts)
        return jobs

    def _encode_in_slices(self, texts: list[str]) -> Encoded:
        # A single request may carry more than max_batch texts: never build a
        # tensor larger than the tier allows.
        parts = [
            self._encode(texts[i : i + self._max_batch])
            for i in range(0, len(texts), self._max_batch)
        ]
        for part in parts:
            self._observer.batch_size(len(part.tokens))
        if len(parts) == 1:
            return parts[0]
        return Encoded(
            np.concatenate([p.vectors for p in parts]), [t for p in parts for t in p.tokens]
        )

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            jobs = await self._gather()
            live = [j for j in jobs if not j.future.done()]  # a caller may have gone
            texts = [t for j in live for t in j.texts]
            self._set_waiting(max(0, self._waiting - sum(len(j.texts) for j in jobs)))
            if not texts:
                continue
            try:
                result = await loop.run_in_executor(self._executor, self._encode_in_slices, texts)
            except Exception as exc:  # handed to every caller of the batch
                for job in live:
                    if not job.future.done():
                        job.future.set_exception(exc)
                continue
            for job, part in zip(
                live, split_rows(result, [len(j.texts) for j in live]), strict=True
            ):
                if not job.future.done():
                    job.future.set_result(part)
