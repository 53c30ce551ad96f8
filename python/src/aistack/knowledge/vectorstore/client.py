"""qdrant-client: a Qdrant server (``mode: server``) or the client's embedded local mode.

The same query shape as the Edge store: dense and BM25 prefetches, RRF with
the configured ``k``, and a formula query for the boosts, all in one
``query_points`` call. Collection names are prefixed so a shared server can
hold other users' collections too.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client import models as m

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

PREFIX = "aistack_"


def _condition(cond: Cond) -> m.FieldCondition:
    if cond.any is not None:
        return m.FieldCondition(key=cond.field, match=m.MatchAny(any=list(cond.any)))
    if cond.eq is not None:
        return m.FieldCondition(key=cond.field, match=m.MatchValue(value=cond.eq))
    return m.FieldCondition(key=cond.field, range=m.Range(gte=cond.gte, lt=cond.lt))


def _filter(where: Where) -> m.Filter | None:
    if not where.must and not where.must_not:
        return None
    return m.Filter(
        must=[_condition(c) for c in where.must] or None,
        must_not=[_condition(c) for c in where.must_not] or None,
    )


def _formula(boosts: list[Boost]) -> m.FormulaQuery:
    terms: list[Any] = ["$score"]
    for b in boosts:
        cond = m.FieldCondition(key=b.field, range=m.Range(gte=b.gte, lt=b.lt))
        terms.append(m.SumExpression(sum=[1.0, m.MultExpression(mult=[b.factor - 1.0, cond])]))
    return m.FormulaQuery(formula=m.MultExpression(mult=terms))


def _dense_of(vector: Any) -> list[float] | None:
    if isinstance(vector, dict) and DENSE in vector:
        return list(vector[DENSE])
    return None


class ClientVectorStore(VectorStore):
    """A :class:`VectorStore` over a ``QdrantClient`` (server, or ``path=``/``":memory:"``)."""

    def __init__(self, client: QdrantClient) -> None:
        self.client = client

    def ensure_collection(self, name: str, dim: int) -> None:
        full = PREFIX + name
        if self.client.collection_exists(full):
            return
        self.client.create_collection(
            full,
            vectors_config={DENSE: m.VectorParams(size=dim, distance=m.Distance.COSINE)},
            sparse_vectors_config={SPARSE: m.SparseVectorParams(modifier=m.Modifier.IDF)},
        )
        schema = (
            [(f, m.PayloadSchemaType.KEYWORD) for f in KEYWORD_FIELDS]
            + [(f, m.PayloadSchemaType.FLOAT) for f in FLOAT_FIELDS]
            + [(f, m.PayloadSchemaType.INTEGER) for f in INTEGER_FIELDS]
        )
        with warnings.catch_warnings():
            # The embedded local mode says indexes have no effect there; a server uses them.
            warnings.simplefilter("ignore", UserWarning)
            for field, kind in schema:
                self.client.create_payload_index(full, field, kind)

    def collections(self) -> list[str]:
        names = [c.name for c in self.client.get_collections().collections]
        return sorted(n.removeprefix(PREFIX) for n in names if n.startswith(PREFIX))

    def drop_collection(self, name: str) -> None:
        self.client.delete_collection(PREFIX + name)

    def upsert(self, name: str, points: Sequence[PointData]) -> None:
        if not points:
            return
        self.client.upsert(
            PREFIX + name,
            [
                m.PointStruct(
                    id=p.id,
                    vector={
                        DENSE: [float(x) for x in p.dense],
                        SPARSE: m.SparseVector(
                            indices=list(p.sparse_indices), values=list(p.sparse_values)
                        ),
                    },
                    payload=p.payload,
                )
                for p in points
            ],
            wait=True,
        )

    def delete(self, name: str, where: Where) -> None:
        self.client.delete(
            PREFIX + name, m.FilterSelector(filter=_filter(where) or m.Filter()), wait=True
        )

    def set_payload(self, name: str, where: Where, payload: dict[str, Any]) -> None:
        self.client.set_payload(
            PREFIX + name, payload, points=_filter(where) or m.Filter(), wait=True
        )

    def set_payload_ids(self, name: str, ids: Sequence[str], payload: dict[str, Any]) -> None:
        if ids:
            self.client.set_payload(PREFIX + name, payload, points=list(ids), wait=True)

    def search(self, name: str, spec: SearchSpec) -> list[Hit]:
        flt = _filter(spec.where)
        dense = m.Prefetch(
            query=[float(x) for x in spec.dense], using=DENSE, limit=spec.prefetch_limit, filter=flt
        )
        sparse = m.Prefetch(
            query=m.SparseVector(
                indices=list(spec.sparse_indices), values=list(spec.sparse_values)
            ),
            using=SPARSE,
            limit=spec.prefetch_limit,
            filter=flt,
        )
        if spec.mode == "hybrid":
            first = m.Prefetch(
                prefetch=[dense, sparse],
                query=m.RrfQuery(rrf=m.Rrf(k=spec.rrf_k)),
                limit=spec.prefetch_limit,
                filter=flt,
            )
        else:
            first = dense if spec.mode == "dense" else sparse
        result = self.client.query_points(
            PREFIX + name,
            prefetch=[first],
            query=_formula(spec.boosts),
            query_filter=flt,
            limit=spec.limit,
            with_payload=True,
            with_vectors=[DENSE] if spec.with_dense else False,
        )
        return [
            Hit(str(p.id), dict(p.payload or {}), float(p.score), _dense_of(p.vector))
            for p in result.points
        ]

    def retrieve(self, name: str, ids: Sequence[str], with_dense: bool = False) -> list[Hit]:
        records = self.client.retrieve(
            PREFIX + name,
            list(ids),
            with_payload=True,
            with_vectors=[DENSE] if with_dense else False,
        )
        return [Hit(str(r.id), dict(r.payload or {}), 0.0, _dense_of(r.vector)) for r in records]

    def scroll(self, name: str, where: Where, batch: int = 256) -> Iterator[Hit]:
        offset = None
        while True:
            records, offset = self.client.scroll(
                PREFIX + name,
                scroll_filter=_filter(where),
                limit=batch,
                offset=offset,
                with_payload=True,
                with_vectors=[DENSE],
            )
            for r in records:
                yield Hit(str(r.id), dict(r.payload or {}), 0.0, _dense_of(r.vector))
            if offset is None:
                return

    def count(self, name: str, where: Where) -> int:
        return int(self.client.count(PREFIX + name, count_filter=_filter(where), exact=True).count)

    def close(self) -> None:
        self.client.close()
