"""Qdrant Edge (``qdrant-edge-py``): Qdrant's engine in-process, one shard per collection.

Each collection is a shard directory under the configured path. Updates go
through the shard's write-ahead log, so one ``update`` is applied whole after
a crash or not at all; ``flush`` makes everything acknowledged durable.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from aistack.knowledge.ranking import Boost
from aistack.knowledge.vectorstore.base import (
    DENSE,
    FLOAT_FIELDS,
    INTEGER_FIELDS,
    KEYWORD_FIELDS,
    SPARSE,
    Cond,
    Hit,
    PointData,
    SearchSpec,
    VectorStore,
    Where,
)


def _condition(cond: Cond) -> Any:
    if cond.any is not None:
        return qe.FieldCondition(cond.field, match=qe.MatchAny(list(cond.any)))
    if cond.eq is not None:
        return qe.FieldCondition(cond.field, match=qe.MatchValue(cond.eq))
    return qe.FieldCondition(cond.field, range=qe.RangeFloat(gte=cond.gte, lt=cond.lt))


def _filter(where: Where) -> Any:
    if not where.must and not where.must_not:
        return None
    return qe.Filter(
        must=[_condition(c) for c in where.must] or None,
        must_not=[_condition(c) for c in where.must_not] or None,
    )


def _formula(boosts: list[Boost]) -> Any:
    E = qe.Expression
    terms = [E.Variable("$score")]
    for b in boosts:
        cond = qe.FieldCondition(b.field, range=qe.RangeFloat(gte=b.gte, lt=b.lt))
        terms.append(
            E.Sum([E.Constant(1.0), E.Mult([E.Constant(b.factor - 1.0), E.Condition(cond)])])
        )
    return qe.Formula(E.Mult(terms))


def _dense_of(vector: Any) -> list[float] | None:
    if isinstance(vector, dict) and DENSE in vector:
        return list(vector[DENSE])
    return None


class EdgeVectorStore(VectorStore):
    """Collections as Qdrant Edge shards under ``root``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._shards: dict[str, Any] = {}
        self._lock = threading.RLock()

    def _shard(self, name: str) -> Any:
        with self._lock:
            shard = self._shards.get(name)
            if shard is None:
                path = self.root / name
                if not path.is_dir():
                    raise KeyError(f"no collection {name!r}")
                shard = qe.EdgeShard.load(str(path))
                self._shards[name] = shard
            return shard

    def ensure_collection(self, name: str, dim: int) -> None:
        with self._lock:
            path = self.root / name
            if name in self._shards or path.is_dir():
                self._shard(name)
                return
            config = qe.EdgeConfig(
                vectors={DENSE: qe.EdgeVectorParams(size=dim, distance=qe.Distance.Cosine)},
                sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
            )
            tmp = self.root / f".{name}.creating"
            shutil.rmtree(tmp, ignore_errors=True)
            shard = qe.EdgeShard.create(str(tmp), config)
            for field in KEYWORD_FIELDS:
                shard.update(
                    qe.UpdateOperation.create_field_index(field, qe.PayloadSchemaType.Keyword)
                )
            for field in FLOAT_FIELDS:
                shard.update(
                    qe.UpdateOperation.create_field_index(field, qe.PayloadSchemaType.Float)
                )
            for field in INTEGER_FIELDS:
                shard.update(
                    qe.UpdateOperation.create_field_index(field, qe.PayloadSchemaType.Integer)
                )
            shard.flush()
            shard.close()
            # A half-created shard never appears under the collection's name.
            tmp.rename(path)
            self._shards[name] = qe.EdgeShard.load(str(path))

    def collections(self) -> list[str]:
        return sorted(
            p.name for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def drop_collection(self, name: str) -> None:
        with self._lock:
            shard = self._shards.pop(name, None)
            if shard is not None:
                shard.close()
            shutil.rmtree(self.root / name, ignore_errors=True)

    def upsert(self, name: str, points: Sequence[PointData]) -> None:
        if not points:
            return
        batch = [
            qe.Point(
                id=p.id,
                vector={
                    DENSE: [float(x) for x in p.dense],
                    SPARSE: qe.SparseVector(list(p.sparse_indices), list(p.sparse_values)),
                },
                payload=p.payload,
            )
            for p in points
        ]
        self._shard(name).update(qe.UpdateOperation.upsert_points(batch))

    def delete(self, name: str, where: Where) -> None:
        self._shard(name).update(qe.UpdateOperation.delete_points_by_filter(_filter(where)))

    def set_payload(self, name: str, where: Where, payload: dict[str, Any]) -> None:
        self._shard(name).update(qe.UpdateOperation.set_payload_by_filter(_filter(where), payload))

    def set_payload_ids(self, name: str, ids: Sequence[str], payload: dict[str, Any]) -> None:
        if ids:
            self._shard(name).update(qe.UpdateOperation.set_payload(list(ids), payload))

    def search(self, name: str, spec: SearchSpec) -> list[Hit]:
        flt = _filter(spec.where)
        dense = qe.Prefetch(
            limit=spec.prefetch_limit,
            query=qe.Query.Nearest([float(x) for x in spec.dense], using=DENSE),
            filter=flt,
        )
        sparse = qe.Prefetch(
            limit=spec.prefetch_limit,
            query=qe.Query.Nearest(
                qe.SparseVector(list(spec.sparse_indices), list(spec.sparse_values)), using=SPARSE
            ),
            filter=flt,
        )
        if spec.mode == "hybrid":
            first = qe.Prefetch(
                limit=spec.prefetch_limit,
                query=qe.Fusion.Rrf(k=spec.rrf_k),
                prefetches=[dense, sparse],
                filter=flt,
            )
        else:
            first = dense if spec.mode == "dense" else sparse
        request = qe.QueryRequest(
            limit=spec.limit,
            prefetches=[first],
            query=_formula(spec.boosts),
            filter=flt,
            with_payload=True,
            with_vector=[DENSE] if spec.with_dense else False,
        )
        return [
            Hit(str(p.id), dict(p.payload or {}), float(p.score), _dense_of(p.vector))
            for p in self._shard(name).query(request)
        ]

    def retrieve(self, name: str, ids: Sequence[str], with_dense: bool = False) -> list[Hit]:
        records = self._shard(name).retrieve(
            list(ids), with_payload=True, with_vector=[DENSE] if with_dense else False
        )
        return [Hit(str(r.id), dict(r.payload or {}), 0.0, _dense_of(r.vector)) for r in records]

    def scroll(self, name: str, where: Where, batch: int = 256) -> Iterator[Hit]:
        offset = None
        shard = self._shard(name)
        while True:
            records, offset = shard.scroll(
                qe.ScrollRequest(
                    offset=offset,
                    limit=batch,
                    filter=_filter(where),
                    with_payload=True,
                    with_vector=[DENSE],
                )
            )
            for r in records:
                yield Hit(str(r.id), dict(r.payload or {}), 0.0, _dense_of(r.vector))
            if offset is None:
                return

    def count(self, name: str, where: Where) -> int:
        return int(self._shard(name).count(qe.CountRequest(filter=_filter(where), exact=True)))

    def optimize(self) -> None:
        """Merge segments and build HNSW now (benchmarks; the service leaves it to the engine)."""
        with self._lock:
            for shard in self._shards.values():
                shard.optimize()

    def flush(self) -> None:
        with self._lock:
            for shard in self._shards.values():
                shard.flush()

    def close(self) -> None:
        with self._lock:
            for shard in self._shards.values():
                shard.flush()
                shard.close()
            self._shards.clear()
