"""A change of embedding model, end to end on the real stack: documents ingested
with the llama-cpp backend (the real ``llama-server`` serving the tiny GGUF,
64-d), the embeddings service restarted with all-MiniLM-L6-v2 (384-d), and the
knowledge base re-embedding in the background from its stored chunk texts.

Shown here: search answers throughout; progress in ``/status``, the
``aistack_knowledge_reembed_remaining_chunks`` gauge and
``knowledge_reembed_*`` log lines; a SIGKILL in the middle resumes on restart
without embedding again what was already copied; afterwards the old
collection is gone and every stored vector is MiniLM's own vector of the
chunk's text (none of the old model's)."""

from __future__ import annotations

import copy
import json
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from knowledge_helpers import Stack, serve, stop, uds_client, wait_health
from llama_fixtures import N_EMBD, LlamaServer, start_llama_server
from prometheus_client.parser import text_string_to_metric_families

from aistack.knowledge.files import file_documents
from aistack.knowledge.prepare import embed_text
from aistack.knowledge.vectorstore import Where
from aistack.knowledge.vectorstore.edge import EdgeVectorStore

from conftest import render_local, start_redis

pytestmark = pytest.mark.service

MAN_PAGES = ("exec", "service", "socket", "timer", "resource-control")
DEADLINE_S = 600.0


def llama_embeddings_config(minilm: dict, gguf: Path, llama: LlamaServer) -> dict:
    """The laptop's embeddings config on the llama-cpp backend, same socket."""
    config = copy.deepcopy(minilm)
    config["backend"] = "llama-cpp"
    config["max_input_bytes"] = 2000  # a chunk of these pages is at most ~1.3 KB
    config["model"] = {
        "id": "tiny-llama",
        "hf_repo": "aistack-tests/tiny-llama",
        "format": "gguf",
        "embedding_dim": N_EMBD,
        "weights_path": str(gguf),
        "weights_sha256": None,
    }
    config["upstreams"] = {
        **config["upstreams"],
        "llama_cpp": {"kind": "unix", "path": str(llama.socket)},
    }
    return config


def start_embeddings(config: dict, root: Path, name: str) -> subprocess.Popen:
    proc, log = serve("embeddings", config, root, name)
    with uds_client(config["listen"]["path"]) as client:
        wait_health(client, proc, log, "engine")
    return proc


def metric(client: httpx.Client, name: str) -> float:
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == name:
                return sample.value
    raise AssertionError(f"{name} not exposed")


def status(stack: Stack) -> dict:
    assert stack.client is not None
    return stack.client.get("/status").json()


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path, tiny_llama_gguf: Path
) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("reembed")
    plan = render_local("laptop", root)
    redis = start_redis(Path(plan["endpoints"]["redis"]["path"]))
    minilm = json.loads(Path(plan["services"]["embeddings"]["configFile"]).read_text())
    # Two slots of 4096 tokens: a chunk of these pages is ~1.3 KB, one token a byte or so.
    llama = start_llama_server(tiny_llama_gguf, root / "llama" / "llama.sock", ctx_size=8192)
    procs: dict = {}
    try:
        procs["embeddings"] = start_embeddings(
            llama_embeddings_config(minilm, tiny_llama_gguf, llama), root, "embeddings-a"
        )
        config = json.loads(Path(plan["services"]["knowledge"]["configFile"]).read_text())
        stack = Stack(root, plan, redis, procs["embeddings"], config)
        stack.start_knowledge()
        yield {"root": root, "stack": stack, "minilm": minilm, "procs": procs}
    finally:
        if "stack" in locals():
            stack.stop_knowledge()
        if "embeddings" in procs:
            stop(procs["embeddings"])
        llama.stop()
        redis.terminate()
        redis.wait(timeout=10)


def ingest_man_pages(stack: Stack, root: Path) -> int:
    """Copies of the man pages, ingested, then deleted: nothing can be re-read."""
    copies = root / "sources"
    copies.mkdir()
    docs = []
    for page in MAN_PAGES:
        path = copies / f"systemd.{page}.5.gz"
        shutil.copy(f"/usr/share/man/man5/systemd.{page}.5.gz", path)
        docs += [
            {"text": d.text, "source": d.source, "title": d.title, "collection": "man"}
            for d in file_documents(path, 50_000)
        ]
    chunks = 0
    for doc in docs:  # one request each: well inside the client's timeout on a busy machine
        response = stack.ingest(doc)
        assert response.status_code == 200, response.text
        chunks += response.json()["results"][0]["chunks"]
    shutil.rmtree(copies)
    return chunks


def test_a_model_change_re_embeds_in_the_background_and_resumes_after_a_crash(
    world: dict,
) -> None:
    stack: Stack = world["stack"]
    root: Path = world["root"]
    chunks = ingest_man_pages(stack, root)
    assert chunks > 3 * 128  # several re-embed batches, so there is a middle to see
    old = status(stack)["embedding_fingerprint"]
    hits = stack.search("memory limit of a unit's cgroup", collection="man")["results"]
    assert hits
    vectors_dir = Path(stack.knowledge_config["vector_store"]["path"])

    # The embeddings service comes back with another model.
    stop(world["procs"]["embeddings"])
    world["procs"]["embeddings"] = start_embeddings(world["minilm"], root, "embeddings-b")

    # The first search with the new model switches collections and starts the copy.
    answer = stack.search("restart the service when it crashes", collection="man")
    assert answer["results"], "search must answer while the new collection is still empty"
    new = status(stack)["embedding_fingerprint"]
    assert new != old and len(new) == 16

    # Catch it in the middle: some chunks copied, not all.
    deadline = time.monotonic() + DEADLINE_S
    middle = None
    while time.monotonic() < deadline:
        progress = status(stack)["reembedding"]
        if progress and 128 <= progress["done"] < progress["total"]:
            middle = progress
            break
        time.sleep(0.05)
    assert middle is not None, f"never saw a copy in progress: {status(stack)}"
    assert middle["from"] == f"m_{old}" and middle["to"] == f"m_{new}"
    assert middle["total"] == chunks
    assert stack.client is not None
    assert metric(stack.client, "aistack_knowledge_reembed_remaining_chunks") > 0
    during = stack.search("socket activation accept connections", collection="man")["results"]
    assert during and all(r["text"] for r in during)
    assert stack.events("knowledge_reembed_started")
    assert stack.events("knowledge_reembed_progress")

    # SIGKILL mid-copy: both collections are on disk, the new one partly filled.
    stack.stop_knowledge(signal.SIGKILL)
    store = EdgeVectorStore(vectors_dir)
    try:
        assert {f"m_{old}", f"m_{new}"} <= set(store.collections())
        copied_before = store.count(f"m_{new}", Where())
    finally:
        store.close()
    assert 0 < copied_before < chunks

    # Restarted, it resumes by itself (no search needed) and finishes.
    runs_before = len(stack.events("knowledge_reembed_finished"))
    stack.start_knowledge()
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if len(stack.events("knowledge_reembed_finished")) > runs_before:
            break
        assert stack.search("timer accuracy", collection="man")["results"]
        time.sleep(0.5)
    finished = stack.events("knowledge_reembed_finished")[-1]
    assert finished["from"] == f"m_{old}" and finished["to"] == f"m_{new}"
    assert finished["embedded"] + finished["skipped"] == chunks
    # What was copied before the crash was not embedded again.
    assert finished["skipped"] >= copied_before
    assert finished["embedded"] <= chunks - copied_before
    body = status(stack)
    assert body["reembedding"] is None and body["embedding_fingerprint"] == new
    assert body["collections"]["man"]["chunks"] == chunks
    assert metric(stack.client, "aistack_knowledge_reembed_remaining_chunks") == 0
    after = stack.search("restart the service when it crashes", collection="man")["results"]
    assert after and after[0]["similarity"] > 0.2

    # Only the new model's collection is left, and each vector in it is
    # MiniLM's own vector of the stored text.
    stack.stop_knowledge()
    store = EdgeVectorStore(vectors_dir)
    try:
        assert store.collections() == [f"m_{new}"]
        points = list(store.scroll(f"m_{new}", Where()))
    finally:
        store.close()
    assert len(points) == chunks
    assert {len(p.dense or ()) for p in points} == {384}
    sample = points[:: max(1, len(points) // 20)]
    texts = [
        embed_text(p.payload.get("title"), tuple(p.payload["heading_path"]), p.payload["text"])
        for p in sample
    ]
    with uds_client(world["minilm"]["listen"]["path"]) as client:
        reply = client.post("/v1/embeddings", json={"input": texts}).json()
    assert reply["fingerprint"] == new
    ours = np.asarray([p.dense for p in sample], dtype=np.float32)
    theirs = np.asarray([d["embedding"] for d in reply["data"]], dtype=np.float32)
    np.testing.assert_allclose(np.sum(ours * theirs, axis=1), 1.0, atol=1e-3)
