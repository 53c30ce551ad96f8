"""The same service with its other stores: PostgreSQL (Debian's, started by the
``postgres_db`` fixture) as the state store, and qdrant-client (the ``server``
mode's implementation, here on its embedded ``local`` mode since no Qdrant server
can be installed on this machine) as the vector store."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from knowledge_helpers import Stack, close_stack, start_stack

pytestmark = pytest.mark.service

DOC = """# Packet filtering

## Sets

An nftables set holds addresses; a rule matches `ip saddr @blocklist drop`
to drop every address in it at once.
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[Stack]:
    s = start_stack(tmp_path_factory.mktemp("kvar"))
    try:
        yield s
    finally:
        close_stack(s)


def round_trip(stack: Stack) -> dict:
    coll = "v" + uuid.uuid4().hex[:10]
    r = stack.ingest({"text": DOC, "source": "nft.md", "collection": coll})
    assert r.status_code == 200, r.text
    assert (
        stack.ingest({"text": DOC, "source": "nft.md", "collection": coll}).json()["results"][0][
            "status"
        ]
        == "unchanged"
    )
    hit = stack.search("block a list of IP addresses in the firewall", collection=coll)["results"][
        0
    ]
    assert "@blocklist" in hit["text"] and hit["heading_path"] == ["Packet filtering", "Sets"]
    linked = stack.client.post(
        "/feedback-links",
        json={"interaction_id": uuid.uuid4().hex, "chunk_ids": [hit["chunk_id"]], "rating": 1},
    ).json()
    assert linked == {"linked": 1}
    boosted = stack.search("block a list of IP addresses in the firewall", collection=coll)
    assert boosted["results"][0]["score"] / boosted["results"][0]["fused_score"] >= 1.3 - 1e-6
    stack.search("zebra migration patterns in the serengeti", collection=coll)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        gaps = [g for g in stack.client.get("/gaps").json()["gaps"] if g["collection"] == coll]
        if gaps:
            break
        time.sleep(0.2)
    assert gaps and "zebra" in gaps[0]["query_text"]
    return stack.client.get("/status").json()


def test_postgresql_state_store(stack: Stack, postgres_db: dict) -> None:
    config = {
        **stack.knowledge_config,
        "state_store": {"kind": "postgresql", **postgres_db},
        "vector_store": {"mode": "edge", "path": str(stack.root / "edge-pg")},
    }
    stack.stop_knowledge()
    stack.start_knowledge(config)
    status = round_trip(stack)
    assert status["state_store"] == "postgresql"
    import psycopg

    with psycopg.connect(**postgres_db) as conn:
        versions = conn.execute(
            "SELECT version FROM aistack_schema_migrations WHERE component = 'knowledge'"
        ).fetchall()
        ledger = conn.execute("SELECT state FROM knowledge_ingest_ledger").fetchall()
    assert versions == [(1,)] and ledger == [("done",)]


def test_qdrant_client_vector_store(stack: Stack, tmp_path: Path) -> None:
    config = {
        **stack.knowledge_config,
        "state_store": {"kind": "sqlite", "path": str(tmp_path / "state.db")},
        "vector_store": {"mode": "local", "path": str(tmp_path / "qdrant-local")},
    }
    stack.stop_knowledge()
    stack.start_knowledge(config)
    status = round_trip(stack)
    assert status["vector_store"] == "local" and status["state_store"] == "sqlite"
