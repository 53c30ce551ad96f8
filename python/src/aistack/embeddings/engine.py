"""Choosing, loading and fingerprinting the configured embedding engine."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path

from aistack.config.embeddings import EmbeddingsConfig
from aistack.embeddings.backend import EmbeddingBackend, ModelLoadError
from aistack.embeddings.fingerprint import fingerprint, hash_weights, weight_files


def weights_location(config: EmbeddingsConfig) -> Path | None:
    """The weights on this machine, or None when only llama.cpp reads them."""
    if config.backend == "sentence-transformers":
        from aistack.embeddings.st_backend import weights_dir

        return weights_dir(config.model.weights_path)
    return Path(config.model.weights_path) if config.model.weights_path else None


def model_fingerprint(config: EmbeddingsConfig) -> str:
    """16 hex of (model id + weights hash): the files' sha256 when they are on
    this machine (cached in the state dir), else the registry's sha256."""
    location = weights_location(config)
    if location is not None:
        try:
            digest = hash_weights(weight_files(location), Path(config.state_dir))
        except OSError as exc:
            raise ModelLoadError(f"cannot read the model's weights at {location}: {exc}") from exc
    elif config.model.weights_sha256 is not None:
        digest = config.model.weights_sha256
    else:  # the config model refuses this combination
        raise ModelLoadError("neither model.weights_path nor model.weights_sha256 is set")
    return fingerprint(config.model.id, digest)


def start_backend(config: EmbeddingsConfig) -> Callable[[], EmbeddingBackend]:
    """Start the configured engine; returns a call that waits until it is loaded.

    sentence-transformers runs in a forked child (see ``worker``): call this
    before the process starts any thread. llama.cpp is a client, built at once.
    """
    if config.backend == "sentence-transformers":
        from aistack.embeddings.st_backend import weights_dir
        from aistack.embeddings.worker import EngineProcess

        model_dir = weights_dir(config.model.weights_path)  # a missing dir fails here, early

        def load_in_child() -> EmbeddingBackend:
            from aistack.embeddings.st_backend import SentenceTransformerBackend

            return SentenceTransformerBackend(model_dir, threads=config.threads)

        process = EngineProcess("sentence-transformers", load_in_child)
        return lambda: _checked(config, process.wait_loaded())

    from aistack.embeddings.llama_backend import LlamaServerBackend

    assert config.upstreams.llama_cpp is not None  # the config model ensures it
    client = LlamaServerBackend(
        config.upstreams.llama_cpp, config.model.embedding_dim, config.backend_timeout_s
    )
    return lambda: _checked(config, client)


def _checked(config: EmbeddingsConfig, backend: EmbeddingBackend) -> EmbeddingBackend:
    if backend.dimensions != config.model.embedding_dim:
        backend.close()
        raise ModelLoadError(
            f"{config.model.id} gives {backend.dimensions}-dimensional vectors; "
            f"the config says model.embedding_dim = {config.model.embedding_dim}"
        )
    return backend


def _load(config: EmbeddingsConfig, wait: Callable[[], EmbeddingBackend]) -> EmbeddingBackend:
    try:
        return wait()
    except ModelLoadError:
        raise
    except Exception as exc:  # torch/transformers raise many kinds; callers see one
        raise ModelLoadError(
            f"loading {config.model.id} failed: {type(exc).__name__}: {exc}"
        ) from exc


class Engine:
    """The backend, loaded on a worker thread while the server already answers."""

    def __init__(
        self, config: EmbeddingsConfig, wait: Callable[[], EmbeddingBackend], executor: Executor
    ) -> None:
        self._future: Future[EmbeddingBackend] = executor.submit(_load, config, wait)

    async def get(self) -> EmbeddingBackend:
        """The loaded backend (waits for the load; re-raises its failure)."""
        return await asyncio.wrap_future(self._future)

    def loaded(self) -> EmbeddingBackend:
        """The backend, from the engine thread once :meth:`get` has succeeded."""
        return self._future.result()

    def status(self) -> str:
        """``ok``, ``loading`` or the load error."""
        if not self._future.done():
            return "loading"
        exc = self._future.exception()
        return "ok" if exc is None else f"error: {type(exc).__name__}: {exc}"

    def close(self) -> None:
        """Release the backend if it finished loading."""
        if self._future.done() and self._future.exception() is None:
            self._future.result().close()
