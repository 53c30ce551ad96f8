"""Crashes and outages against the real stack: SIGKILL in the middle of a batch
ingest, Redis killed while the service runs, and the age decay seen end to end."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from knowledge_helpers import Stack, close_stack, start_stack

from aistack.knowledge.ranking import DAY_S
from aistack.knowledge.vectorstore import Cond, Where
from aistack.knowledge.vectorstore.edge import EdgeVectorStore

pytestmark = pytest.mark.service


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[Stack]:
    s = start_stack(tmp_path_factory.mktemp("kres"))
    try:
        yield s
    finally:
        close_stack(s)


def ledger_states(db: Path, batch_docs: set[str] | None = None) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
    try:
        rows = conn.execute("SELECT doc_id, state FROM knowledge_ingest_ledger").fetchall()
    except sqlite3.OperationalError:
        rows = []
    finally:
        conn.close()
    return [r for r in rows if batch_docs is None or r[0] in batch_docs]


def test_sigkill_during_a_batch_ingest_leaves_no_half_document(stack: Stack) -> None:
    import threading

    from aistack.knowledge.prepare import document_id

    db = Path(stack.knowledge_config["state_store"]["path"])
    body = "\n\n".join(
        f"Paragraph {j} about cgroup memory accounting and pressure." * 6 for j in range(12)
    )
    for _attempt in range(8):
        coll = "k" + uuid.uuid4().hex[:10]
        docs = [
            {"text": f"# Doc {i}\n\n{body}", "source": f"crash/{i}.md", "collection": coll}
            for i in range(50)
        ]
        ids = {document_id(coll, d["source"]) for d in docs}
        key = "crash-" + uuid.uuid4().hex[:8]
        thread = threading.Thread(target=_post_quietly, args=(stack, docs, key), daemon=True)
        thread.start()
        caught = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and thread.is_alive():
            states = {s for _, s in ledger_states(db, ids)}
            if states & {"pending", "swapping"}:
                caught = states
                stack.knowledge.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
        thread.join(timeout=60)
        if caught is None:
            continue  # the batch finished before the poll saw it: try again
        stack.knowledge.wait(timeout=10)
        stack.start_knowledge()
        # After the restart: every document is either whole or absent, and the
        # ledger names the absent ones as interrupted.
        ledger = dict(ledger_states(db, ids))
        assert set(ledger.values()) <= {"done", "interrupted"}, ledger
        status = (
            stack.client.get("/status")
            .json()["collections"]
            .get(coll, {"chunks": 0, "documents": 0})
        )
        done = {d for d, s in ledger.items() if s == "done"}
        interrupted = {d for d, s in ledger.items() if s == "interrupted"}
        assert status["documents"] == len(done)
        listed = stack.client.get(
            "/ledger", params={"state_name": "interrupted", "limit": 1000}
        ).json()
        assert {e["doc_id"] for e in listed["entries"]} >= interrupted
        for e in listed["entries"]:
            if e["doc_id"] in interrupted:
                assert e["source"].startswith("crash/")
        # The visible chunks are exactly those of the complete documents.
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        expected = sum(
            n
            for doc_id, n in conn.execute("SELECT doc_id, chunks FROM knowledge_ingest_ledger")
            if doc_id in done
        )
        conn.close()
        assert status["chunks"] == expected
        if caught == {"pending"}:
            assert done == set() and interrupted == ids
        return
    pytest.fail("never caught the batch between its ledger entry and its commit in 8 attempts")


def _post_quietly(stack: Stack, docs: list[dict], key: str) -> None:
    import httpx

    # The server is killed under the request.
    with contextlib.suppress(httpx.HTTPError):
        stack.client.post(
            "/documents", json={"documents": docs}, headers={"X-API-Key": key}, timeout=120
        )


def test_an_identical_old_chunk_scores_lower(stack: Stack) -> None:
    coll = "o" + uuid.uuid4().hex[:10]
    text = "Btrfs snapshots are copy-on-write and cost almost nothing until data changes."
    r = stack.ingest(
        {"text": text, "source": "new.md", "collection": coll},
        {"text": text, "source": "old.md", "collection": coll},
    )
    old_doc = r.json()["results"][1]["doc_id"]
    # Age one copy by 200 days in the engine's own payload, with the service stopped.
    stack.stop_knowledge()
    vectors = EdgeVectorStore(stack.knowledge_config["vector_store"]["path"])
    (name,) = vectors.collections()
    vectors.set_payload(
        name, Where(must=(Cond("doc_id", eq=old_doc),)), {"ingested_at": time.time() - 200 * DAY_S}
    )
    vectors.close()
    stack.start_knowledge()
    hits = stack.search("btrfs snapshot cost", collection=coll)["results"]
    assert [h["source"] for h in hits] == ["new.md", "old.md"]
    assert hits[1]["score"] < hits[0]["score"]
    assert abs(hits[1]["score"] / hits[1]["fused_score"] - 0.75) < 1e-3


def test_redis_killed_mid_run_answers_continue(stack: Stack) -> None:
    coll = "r" + uuid.uuid4().hex[:10]
    text = "Transparent huge pages can be disabled with transparent_hugepage=never on the kernel command line."
    r = stack.ingest({"text": text, "source": "thp.md", "collection": coll})
    assert r.status_code == 200
    stack.redis.kill()
    stack.redis.wait(timeout=10)
    for _ in range(3):
        got = stack.search("how to turn off huge pages", collection=coll)
        assert "transparent_hugepage=never" in got["results"][0]["text"]
    health = stack.client.get("/health")
    assert health.status_code == 200 and health.json()["checks"]["redis"].startswith("error")
    # Ingestion needs its rate limiter: refused clearly, not a 500.
    r = stack.ingest({"text": "more", "source": "m.md", "collection": coll})
    assert r.status_code == 503 and r.json()["error"]["code"] == "rate_limit_backend_unavailable"
