"""The vector-store contract, run against both implementations.

``edge``: Qdrant Edge (``qdrant-edge-py``), Qdrant's engine in-process, the default.
``client``: the qdrant-client implementation used for ``mode: server``. No Qdrant
server can be installed on this machine, so it runs against qdrant-client's own
embedded local mode (``QdrantClient(path=...)``), which speaks the same client API
the server mode uses; only the transport differs.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from aistack.config.knowledge import RankingSettings
from aistack.knowledge.ranking import DAY_S, boost_terms, factor_for
from aistack.knowledge.sparse import Bm25Encoder
from aistack.knowledge.vectorstore import Cond, PointData, SearchSpec, Where

DIM = 8


@pytest.fixture(params=["edge", "client"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "edge":
        from aistack.knowledge.vectorstore.edge import EdgeVectorStore

        s = EdgeVectorStore(tmp_path / "edge")
    else:
        from qdrant_client import QdrantClient

        from aistack.knowledge.vectorstore.client import ClientVectorStore

        s = ClientVectorStore(QdrantClient(path=str(tmp_path / "local")))
    s.ensure_collection("m1", DIM)
    yield s
    s.close()


def vec(*xs: float) -> list[float]:
    v = list(xs) + [0.0] * (DIM - len(xs))
    norm = sum(x * x for x in v) ** 0.5
    return [x / norm for x in v]


BM25 = Bm25Encoder()


def point(text: str, dense: list[float], **payload) -> PointData:
    sp = BM25.document(text)
    base = {
        "text": text,
        "collection": "docs",
        "doc_id": "d-" + text[:8],
        "trust": "trusted",
        "quarantine": 0,
        "visible": 1,
        "ingested_at": time.time(),
        "feedback_good": 0,
    }
    base.update(payload)
    return PointData(str(uuid.uuid4()), dense, sp.indices, sp.values, base)


def spec(query: str, dense: list[float], where: Where | None = None, **kw) -> SearchSpec:
    q = BM25.query(query)
    return SearchSpec(
        dense=dense,
        sparse_indices=q.indices,
        sparse_values=q.values,
        where=where or Where(),
        limit=kw.pop("limit", 5),
        prefetch_limit=50,
        rrf_k=60,
        **kw,
    )


def test_hybrid_query_finds_by_words_and_by_meaning(store) -> None:
    store.upsert(
        "m1",
        [
            point("systemd timers replace cron jobs with OnCalendar", vec(1, 0)),
            point("nftables chains filter packets", vec(0, 1)),
            point("unrelated text about cooking pasta", vec(0, 0, 1)),
        ],
    )
    by_words = store.search("m1", spec("OnCalendar cron", vec(0, 0, 0, 1)))
    assert by_words[0].payload["text"].startswith("systemd timers")
    by_meaning = store.search("m1", spec("zzz", vec(0, 1)))
    assert by_meaning[0].payload["text"].startswith("nftables")
    dense_only = store.search("m1", spec("pasta", vec(1, 0), mode="dense"))
    assert dense_only[0].payload["text"].startswith("systemd")
    sparse_only = store.search("m1", spec("pasta", vec(1, 0), mode="sparse"))
    assert sparse_only[0].payload["text"].startswith("unrelated")


def test_filters_select_collection_and_exclude(store) -> None:
    store.upsert(
        "m1",
        [
            point("alpha note", vec(1), collection="a"),
            point("alpha note quarantined", vec(1), collection="a", quarantine=1),
            point("alpha note generated", vec(1), collection="a", trust="generated"),
            point("alpha note other", vec(1), collection="b"),
        ],
    )
    where = Where(
        must=(Cond("collection", eq="a"), Cond("visible", eq=1)),
        must_not=(Cond("quarantine", eq=1), Cond("trust", eq="generated")),
    )
    hits = store.search("m1", spec("alpha", vec(1), where))
    assert [h.payload["text"] for h in hits] == ["alpha note"]
    assert store.count("m1", Where(must=(Cond("collection", eq="a"),))) == 3
    assert store.count("m1", Where(must=(Cond("collection", any=["a", "b"]),))) == 4


def test_boost_formula_orders_identical_chunks(store) -> None:
    now = time.time()
    ranking = RankingSettings()
    store.upsert(
        "m1",
        [
            point("same words here", vec(1), doc_id="fresh"),
            point("same words here", vec(1), doc_id="old", ingested_at=now - 200 * DAY_S),
            point("same words here", vec(1), doc_id="liked", feedback_good=2),
            point("same words here", vec(1), doc_id="read", last_accessed_at=now - DAY_S),
        ],
    )
    terms = boost_terms(ranking, now)
    hits = store.search("m1", spec("same words", vec(1), boosts=terms))
    order = [h.payload["doc_id"] for h in hits]
    # Both boosted chunks (x1.3 feedback, x1.25 recently read) above the plain
    # one, the decayed one last. Between the two boosts the order is not fixed:
    # identical chunks tie, and RRF's rank positions alone move the fused score
    # by more than 1.3/1.25.
    assert set(order[:2]) == {"liked", "read"} and order[2:] == ["fresh", "old"], order
    fused = {h.payload["doc_id"]: h.score / factor_for(h.payload, terms) for h in hits}
    # The identical chunks' fused scores differ only by their rank in each list.
    assert max(fused.values()) / min(fused.values()) < 1.1


def test_payload_updates_and_delete_by_filter(store) -> None:
    a, b = point("first doc", vec(1), doc_id="x"), point("second doc", vec(0, 1), doc_id="y")
    store.upsert("m1", [a, b])
    store.set_payload("m1", Where(must=(Cond("doc_id", eq="x"),)), {"visible": 0})
    store.set_payload_ids("m1", [b.id], {"feedback_good": 1})
    got = {h.id: h.payload for h in store.retrieve("m1", [a.id, b.id])}
    assert got[a.id]["visible"] == 0 and got[b.id]["feedback_good"] == 1
    store.delete("m1", Where(must=(Cond("doc_id", eq="x"),)))
    assert [h.id for h in store.scroll("m1", Where())] == [b.id]
    dense = store.retrieve("m1", [b.id], with_dense=True)[0].dense
    assert dense is not None and abs(dense[1] - 1.0) < 1e-5


def test_collections_are_listed_and_dropped(store) -> None:
    store.ensure_collection("m2", DIM)
    store.ensure_collection("m2", DIM)  # idempotent
    assert store.collections() == ["m1", "m2"]
    store.drop_collection("m2")
    assert store.collections() == ["m1"]
