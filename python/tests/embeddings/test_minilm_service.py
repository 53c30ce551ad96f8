"""The embeddings service with the real all-MiniLM-L6-v2 (sentence-transformers),
started by ``aistack serve`` from the laptop's rendered config, against a real
redis-server, over its Unix socket."""

from __future__ import annotations

import base64
import concurrent.futures
import secrets
from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture(scope="module")
def laptop_embeddings_config(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> dict:
    return rendered_laptop_config(tmp_path_factory)


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from own_redis_socket(tmp_path_factory)


@pytest.fixture(scope="module")
def service(
    laptop_embeddings_config: dict, own_redis: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningService]:
    tmp = tmp_path_factory.mktemp("minilm")
    config = variant(with_redis(laptop_embeddings_config, own_redis), tmp, "main")
    with running(config, tmp, "main") as svc:
        yield svc


def unique_text(prefix: str = "text") -> str:
    return f"{prefix} {secrets.token_hex(6)}"


def test_one_text_gives_a_normalised_384_float_vector(service: RunningService) -> None:
    response = service.embed("The quick brown fox jumps over the lazy dog")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "list" and body["model"] == "all-minilm-l6-v2"
    (item,) = body["data"]
    assert item["object"] == "embedding" and item["index"] == 0
    vector = np.asarray(item["embedding"], dtype=np.float32)
    assert vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4
    assert body["usage"]["prompt_tokens"] > 2
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"]
    assert len(body["fingerprint"]) == 16 and int(body["fingerprint"], 16) >= 0
    assert response.headers["X-Aistack-Model-Fingerprint"] == body["fingerprint"]


def test_similar_texts_are_closer_than_unrelated_ones(service: RunningService) -> None:
    texts = [
        "How do I restart a systemd service?",
        "Restarting a unit with systemctl",
        "Banana bread needs ripe bananas and flour",
    ]
    data = service.embed(texts).json()["data"]
    a, b, c = (np.asarray(d["embedding"]) for d in data)
    assert float(a @ b) > float(a @ c) + 0.2


def test_base64_is_little_endian_float32_of_the_same_vector(service: RunningService) -> None:
    text = unique_text("base64")
    floats = service.embed(text).json()["data"][0]["embedding"]
    encoded = service.embed(text, encoding_format="base64").json()["data"][0]["embedding"]
    decoded = np.frombuffer(base64.b64decode(encoded), dtype="<f4")
    np.testing.assert_allclose(decoded, np.asarray(floats, dtype=np.float32), rtol=0, atol=0)


def test_list_order_and_duplicates_are_kept(service: RunningService) -> None:
    a, b = unique_text("a"), unique_text("b")
    data = service.embed([a, b, a]).json()["data"]
    assert [d["index"] for d in data] == [0, 1, 2]
    assert data[0]["embedding"] == data[2]["embedding"] != data[1]["embedding"]


def test_models_lists_the_model_with_its_fingerprint(service: RunningService) -> None:
    response = service.client.get("/v1/models")
    body = response.json()
    (model,) = body["data"]
    assert model["id"] == "all-minilm-l6-v2" and model["object"] == "model"
    assert model["owned_by"] == "aistack" and model["dimensions"] == 384
    assert model["fingerprint"] == service.embed("x").json()["fingerprint"]
    assert response.headers["X-Aistack-Model-Fingerprint"] == model["fingerprint"]


def test_second_embedding_of_a_text_is_a_cache_hit(
    service: RunningService, own_redis: Path
) -> None:
    text = unique_text("cache")
    hits, misses = service.cache_count("hit"), service.cache_count("miss")
    first = service.embed(text).json()
    assert service.cache_count("miss") == misses + 1
    second = service.embed(text).json()
    assert service.cache_count("hit") == hits + 1
    assert first["data"][0]["embedding"] == second["data"][0]["embedding"]
    assert first["usage"] == second["usage"]
    # The key is the one the contract names.
    import hashlib

    key = f"emb:m{first['fingerprint']}:e0:{hashlib.sha256(text.encode()).hexdigest()}"
    client = redis_sync.Redis(unix_socket_path=str(own_redis))
    try:
        assert client.exists(key) == 1
        assert 0 < client.ttl(key) <= service.config["cache_ttl_s"]
    finally:
        client.close()


def test_concurrent_requests_are_encoded_in_shared_batches(service: RunningService) -> None:
    """32 single-text requests at once: the engine sees batches of more than one."""
    before_count = service.metric("aistack_embedding_batch_texts_count")
    before_sum = service.metric("aistack_embedding_batch_texts_sum")
    ones_before = service.metric("aistack_embedding_batch_texts_bucket", le="1.0")
    texts = [unique_text("batch") for _ in range(32)]
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        responses = list(pool.map(service.embed, texts))
    assert all(r.status_code == 200 for r in responses)
    batches = service.metric("aistack_embedding_batch_texts_count") - before_count
    encoded = service.metric("aistack_embedding_batch_texts_sum") - before_sum
    singles = service.metric("aistack_embedding_batch_texts_bucket", le="1.0") - ones_before
    assert encoded == 32
    assert batches < 32 and singles < batches, (batches, singles)
    assert service.metric("aistack_queue_depth", queue="encode") == 0
