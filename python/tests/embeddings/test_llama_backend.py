"""The llama-cpp backend: the embeddings service in front of the real upstream
``llama-server --embeddings --pooling mean`` serving a tiny random-weight llama
GGUF, with a real redis-server. Also where a model change (new weights, so a
new fingerprint) flushes the old model's cache keys."""

from __future__ import annotations

import concurrent.futures
import json
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import redis as redis_sync
from embeddings_helpers import (
    RunningService,
    own_redis_socket,
    rendered_laptop_config,
    running,
    variant,
    with_redis,
)
from llama_fixtures import (
    N_EMBD,
    LlamaServer,
    llama_server,
    start_llama_server,
    write_tiny_llama_gguf,
)


@pytest.fixture(scope="module")
def laptop_embeddings_config(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> dict:
    return rendered_laptop_config(tmp_path_factory)


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from own_redis_socket(tmp_path_factory)


def llama_config(base: dict, tmp: Path, name: str, gguf: Path, socket: Path) -> dict:
    """The laptop's embeddings config switched to the llama-cpp backend."""
    config = variant(base, tmp, name, backend="llama-cpp", max_input_bytes=1000)
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
        "llama_cpp": {"kind": "unix", "path": str(socket)},
    }
    return config


@pytest.fixture(scope="module")
def llama(tiny_llama_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    sock = tmp_path_factory.mktemp("llama") / "llama.sock"
    server = start_llama_server(tiny_llama_gguf, sock)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def service(
    laptop_embeddings_config: dict,
    own_redis: Path,
    llama: LlamaServer,
    tiny_llama_gguf: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningService]:
    tmp = tmp_path_factory.mktemp("emb-llama")
    base = with_redis(laptop_embeddings_config, own_redis)
    with running(llama_config(base, tmp, "svc", tiny_llama_gguf, llama.socket), tmp, "svc") as svc:
        yield svc


def test_vectors_are_llama_servers_own_normalised(
    service: RunningService, llama: LlamaServer
) -> None:
    texts = ["hello world", f"another text é 日本 {secrets.token_hex(4)}"]
    body = service.embed(texts).json()
    ours = np.asarray([d["embedding"] for d in body["data"]], dtype=np.float32)
    assert ours.shape == (2, N_EMBD)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    with llama.client() as direct:
        theirs = direct.post("/v1/embeddings", json={"input": texts}).json()
    reference = np.asarray([d["embedding"] for d in theirs["data"]], dtype=np.float32)
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)
    np.testing.assert_allclose(ours, reference, atol=1e-5)
    # llama.cpp reports the batch's tokens; the service hands them out per text.
    assert body["usage"]["prompt_tokens"] == theirs["usage"]["prompt_tokens"]
    assert body["model"] == "tiny-llama" and len(body["fingerprint"]) == 16


def test_concurrent_requests_share_llama_calls(service: RunningService) -> None:
    before = service.metric("aistack_embedding_batch_texts_count", backend="llama-cpp")
    texts = [f"llama batch {secrets.token_hex(6)}" for _ in range(24)]
    with concurrent.futures.ThreadPoolExecutor(24) as pool:
        assert all(r.status_code == 200 for r in pool.map(service.embed, texts))
    calls = service.metric("aistack_embedding_batch_texts_count", backend="llama-cpp") - before
    assert 1 <= calls < 24


def test_a_text_over_the_byte_limit_is_refused_before_llama(service: RunningService) -> None:
    response = service.embed("é" * 501)  # 1002 bytes of UTF-8, limit 1000
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "input_too_long"


def test_llama_server_down_is_a_503_in_openais_shape(
    laptop_embeddings_config: dict, own_redis: Path, tiny_llama_gguf: Path, tmp_path: Path
) -> None:
    base = with_redis(laptop_embeddings_config, own_redis)
    config = llama_config(base, tmp_path, "down", tiny_llama_gguf, tmp_path / "nobody.sock")
    path = tmp_path / "down.json"
    path.write_text(json.dumps(config))
    proc = subprocess.Popen(
        ["aistack", "serve", "embeddings", "--config", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(
            base_url="http://localhost",
            transport=httpx.HTTPTransport(uds=config["listen"]["path"]),
            timeout=30,
        ) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    response = client.post("/v1/embeddings", json={"input": "x"})
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline
                    time.sleep(0.1)
            health = client.get("/health").json()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["type"] == "server_error" and "llama.cpp unreachable" in error["message"]
    assert health["checks"]["engine"].startswith("error")


def test_new_weights_flush_the_old_models_keys(
    laptop_embeddings_config: dict, own_redis: Path, tmp_path: Path
) -> None:
    """Start on weights A, cache some vectors, restart on weights B: B's start
    unlinks A's keys in the background and logs embedding_cache_flush."""
    base = with_redis(laptop_embeddings_config, own_redis)
    gguf_a = write_tiny_llama_gguf(tmp_path / "a.gguf", seed=1)
    gguf_b = write_tiny_llama_gguf(tmp_path / "b.gguf", seed=2)
    texts = [f"flush me {i} {secrets.token_hex(4)}" for i in range(50)]
    client = redis_sync.Redis(unix_socket_path=str(own_redis))
    try:
        with llama_server(gguf_a, tmp_path / "llama-a.sock") as server_a:
            config_a = llama_config(base, tmp_path, "a", gguf_a, server_a.socket)
            with running(config_a, tmp_path, "a") as svc_a:
                body_a = svc_a.embed(texts).json()
        fp_a = body_a["fingerprint"]
        assert len(list(client.scan_iter(match=f"emb:m{fp_a}:*"))) == 50
        with llama_server(gguf_b, tmp_path / "llama-b.sock") as server_b:
            config_b = llama_config(base, tmp_path, "b", gguf_b, server_b.socket)
            with running(config_b, tmp_path, "b") as svc_b:
                body_b = svc_b.embed(texts[:1]).json()
                deadline = time.monotonic() + 10
                while list(client.scan_iter(match=f"emb:m{fp_a}:*")):
                    assert time.monotonic() < deadline, "old keys still there"
                    time.sleep(0.1)
                flushes = svc_b.log_events("embedding_cache_flush")
                # B computed, it did not serve A's cached vector.
                assert svc_b.cache_count("hit") == 0
        assert body_b["fingerprint"] != fp_a
        assert body_b["data"][0]["embedding"] != body_a["data"][0]["embedding"]
        assert len(flushes) == 1
        assert flushes[0]["reason"] == "model_changed" and flushes[0]["deleted"] == 50
        assert list(client.scan_iter(match=f"emb:m{body_b['fingerprint']}:*"))
    finally:
        client.close()
