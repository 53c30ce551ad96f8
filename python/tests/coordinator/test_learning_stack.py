"""Feedback and MCP against the real stack: Redis, the embeddings service (MiniLM), the
knowledge service (Qdrant Edge, SQLite), the real llama-server, the coordinator; clients:
httpx, the aistack CLI, the mcp SDK."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import httpx2
import pytest
from knowledge.knowledge_helpers import Stack, close_stack, start_stack
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from aistack.config.statestore import SqliteStateStore
from aistack.coordinator.interactions import COMPONENT, MIGRATIONS, InteractionStore
from aistack.statestore import open_state_store

pytestmark = pytest.mark.service

SRC = str(Path(__file__).resolve().parents[2] / "src")


def pydoc_topic(name: str) -> str:
    """Documentation nobody here wrote: a topic of Python's own reference."""
    from pydoc_data.topics import topics

    return topics[name]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[Stack]:
    s = start_stack(tmp_path_factory.mktemp("lstack"))
    try:
        r = s.ingest(
            {
                "text": pydoc_topic("with"),
                "source": "python/with.txt",
                "title": "The with statement",
            },
            {"text": pydoc_topic("assert"), "source": "python/assert.txt", "title": "assert"},
        )
        assert r.status_code == 200, r.text
        yield s
    finally:
        close_stack(s)


@pytest.fixture
def coord(coordinator, llama_url, stack: Stack):  # type: ignore[no-untyped-def]
    # The tiny llama-server's slot holds 1024 tokens (-c 2048 over two slots).
    return coordinator(
        local_url=llama_url, remote_url=None, knowledge=stack.knowledge_config["listen"],
        local_model={"context_length": 1024},
    )  # fmt: skip


async def stored(db: str, interaction_id: str):  # type: ignore[no-untyped-def]
    store = InteractionStore(
        await open_state_store(SqliteStateStore(kind="sqlite", path=db), {COMPONENT: MIGRATIONS})
    )
    try:
        return await store.get(interaction_id), await store.unforwarded()
    finally:
        await store.store.close()


def test_query_feedback_forwarded_and_cli(coord, stack: Stack) -> None:  # type: ignore[no-untyped-def]
    asked = httpx.post(coord.url + "/query", headers=coord.headers(), timeout=120,
                       json={"query": "What does the with statement call on exit?"})  # fmt: skip
    assert asked.status_code == 200, asked.text
    answer = asked.json()
    interaction_id = answer["interaction_id"]
    assert answer["sources"], answer

    rated = httpx.post(coord.url + "/feedback", headers=coord.headers(),
                       json={"interaction_id": interaction_id, "rating": 1})  # fmt: skip
    assert rated.status_code == 200, rated.text
    doc = rated.json()
    assert doc["forwarded"] is True and doc["linked"] == len(answer["sources"])

    db = coord.config["state_store"]["path"]
    interaction, pending = asyncio.run(stored(db, interaction_id))
    assert interaction is not None and interaction.backend == answer["backend"]
    assert interaction.arm == "control" and interaction.threshold == 0.5
    assert list(interaction.chunk_ids) == [s["chunk_id"] for s in answer["sources"]]
    assert pending == []

    env = {**os.environ, "PYTHONPATH": SRC, "AISTACK_API_KEY": coord.api_key}
    for argv in (["-m", "aistack", "rate"], ["-m", "aistack.cli.rate"]):  # aistack rate, aq-rate
        cli = subprocess.run([sys.executable, *argv, interaction_id, "down", "--url", coord.url],
                             capture_output=True, text=True, env=env, timeout=60, check=False)  # fmt: skip
        assert cli.returncode == 0, cli.stderr
        assert "linked to the knowledge base" in cli.stdout
    unknown = subprocess.run([sys.executable, "-m", "aistack", "rate", "f" * 32, "up", "--url", coord.url],
                             capture_output=True, text=True, env=env, timeout=60, check=False)  # fmt: skip
    assert unknown.returncode == 1 and "unknown_interaction" in unknown.stderr
    bad = httpx.post(coord.url + "/feedback", headers=coord.headers(),
                     json={"interaction_id": interaction_id, "rating": 5})  # fmt: skip
    assert bad.status_code == 400 and "rating" in bad.json()["error"]["message"]


def test_feedback_kept_when_knowledge_is_down(coordinator, llama_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    coord = coordinator(local_url=llama_url, remote_url=None)  # knowledge: a dead socket
    asked = httpx.post(
        coord.url + "/query", headers=coord.headers(), timeout=120, json={"query": "hi"}
    )
    assert asked.status_code == 200, asked.text
    interaction_id = asked.json()["interaction_id"]
    rated = httpx.post(coord.url + "/feedback", headers=coord.headers(),
                       json={"interaction_id": interaction_id, "rating": -1, "note": "wrong"})  # fmt: skip
    assert (
        rated.status_code == 200 and rated.json()["forwarded"] is True
    )  # no chunks: nothing to link


def test_mcp_tools_against_the_stack(coord, stack: Stack) -> None:  # type: ignore[no-untyped-def]
    collection = "mcp" + uuid.uuid4().hex[:8]

    async def scenario() -> dict:
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {coord.api_key}"}, timeout=120)
        async with http, Client(streamable_http_client(coord.url + "/mcp/", http_client=http)) as c:
            ingested = await c.call_tool("knowledge_ingest", {
                "text": pydoc_topic("global"), "source": "python/global.txt", "title": "global",
                "collection": collection})  # fmt: skip
            found = await c.call_tool(
                "knowledge_search",
                {"query": "global statement names", "limit": 3, "collection": collection},
            )
            asked = await c.call_tool("query", {"query": "What does the global statement do?"})
            rated = await c.call_tool(
                "rate", {"interaction_id": asked.structured_content["interaction_id"], "rating": 1}
            )
            return {"ingested": ingested, "found": found, "asked": asked, "rated": rated}

    out = asyncio.run(scenario())
    for name, result in out.items():
        assert not result.is_error, (name, result.content)
    [stored_doc] = out["ingested"].structured_content["results"]
    found = out["found"].structured_content["results"]
    assert found and {r["doc_id"] for r in found} == {stored_doc["doc_id"]}
    assert any('"global"' in r["text"] for r in found)
    assert out["asked"].structured_content["sources"]
    assert out["rated"].structured_content["forwarded"] is True
