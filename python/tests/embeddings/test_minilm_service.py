"""The embeddings service with the real all-MiniLM-L6-v2 (sentence-transformers),
started by ``aistack serve`` from the laptop's rendered config, against a real
redis-server, over its Unix socket."""

from __future__ import annotations

import base64
import concurrent.futures
import secrets
import time
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


# --- the official openai SDK as a client -------------------------------------


def test_openai_sdk_gets_vectors_over_the_unix_socket(service: RunningService) -> None:
    import httpx
    import openai

    transport = httpx.HTTPTransport(uds=service.config["listen"]["path"])
    client = openai.OpenAI(
        base_url="http://localhost/v1",
        api_key="unused-" + secrets.token_hex(4),
        http_client=httpx.Client(transport=transport),
        max_retries=0,
    )
    texts = ["NixOS modules declare options", "llama.cpp serves GGUF models"]
    result = client.embeddings.create(model="all-minilm-l6-v2", input=texts)
    assert [d.index for d in result.data] == [0, 1]
    assert all(len(d.embedding) == 384 for d in result.data)
    assert result.usage.prompt_tokens > 0
    # The SDK's default asks for base64 and decodes it; same vector as floats.
    direct = service.embed(texts[0]).json()["data"][0]["embedding"]
    np.testing.assert_allclose(result.data[0].embedding, direct, atol=1e-6)
    assert [m.id for m in client.models.list().data] == ["all-minilm-l6-v2"]
    with pytest.raises(openai.NotFoundError) as err:
        client.embeddings.create(model="text-embedding-3-large", input="x")
    assert err.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model="all-minilm-l6-v2", input=[])


# --- bad input: 4xx with a reason, never a 500 -------------------------------

BAD_BODIES = {
    "empty list": ({"input": []}, 400, "empty_input"),
    "empty string": ({"input": ""}, 400, "empty_input"),
    "no input": ({"model": "all-minilm-l6-v2"}, 400, "missing_input"),
    "number": ({"input": 42}, 400, "invalid_type"),
    "object": ({"input": {"text": "x"}}, 400, "invalid_type"),
    "null": ({"input": None}, 400, "invalid_type"),
    "token ids": ({"input": [[1, 2, 3]]}, 400, "invalid_type"),
    "mixed list": ({"input": ["ok", 3]}, 400, "invalid_type"),
    "10,000 items": ({"input": ["x"] * 10_000}, 400, "too_many_inputs"),
    "oversized text": ({"input": "a" * 100_001}, 400, "input_too_long"),
    "bad format": ({"input": "x", "encoding_format": "int8"}, 400, "invalid_encoding_format"),
    "model type": ({"input": "x", "model": 3}, 400, "invalid_type"),
    "unknown model": ({"input": "x", "model": "gpt-4"}, 404, "model_not_found"),
    "dimensions": ({"input": "x", "dimensions": 128}, 400, "invalid_dimensions"),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_json_bodies_get_a_4xx_with_a_reason(service: RunningService, case: str) -> None:
    body, status, code = BAD_BODIES[case]
    response = service.client.post("/v1/embeddings", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and error["type"] == "invalid_request_error"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"input": "caf\xe9"}', "invalid_utf8"),
        (b'{"input": "x"', "invalid_json"),
        (b"", "invalid_json"),
        (b'["input", "x"]', "invalid_json"),
        (b"\xff\xfe{}", "invalid_utf8"),
        # A JSON escape spelling a lone surrogate: valid JSON, not text.
        (b'{"input": ["ok", "\\ud800"]}', "invalid_utf8"),
    ],
)
def test_undecodable_bodies_get_a_400(service: RunningService, raw: bytes, code: str) -> None:
    response = service.client.post(
        "/v1/embeddings", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == code


def test_a_huge_upload_is_refused_without_reading_it(service: RunningService) -> None:
    """A declared 1 GB body gets a 413 at once; a streamed one is cut off at the limit."""
    import socket

    with socket.socket(socket.AF_UNIX) as raw:
        raw.settimeout(30)
        raw.connect(service.config["listen"]["path"])
        raw.sendall(
            b"POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n"
            + b'{"input": "'
            + b"a" * 65536
        )
        answer = b""
        while b"}}" not in answer and (chunk := raw.recv(65536)):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"request_too_large" in rest

    def chunks():
        yield b'{"input": "'
        for _ in range(64):  # 64 MiB without a Content-Length
            yield b"a" * (1 << 20)
        yield b'"}'

    response = service.client.post(
        "/v1/embeddings", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    # The service is fine afterwards.
    assert service.embed("still here").status_code == 200


def test_unknown_routes_and_methods_answer_in_openais_shape(service: RunningService) -> None:
    missing = service.client.post("/v1/chat/completions", json={})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = service.client.get("/v1/embeddings")
    assert wrong.status_code == 405 and "error" in wrong.json()


# --- the cache: epoch bump, Redis going away and coming back ---------------


def test_raising_cache_epoch_turns_every_lookup_into_a_miss(
    service: RunningService, own_redis: Path, tmp_path: Path
) -> None:
    texts = [unique_text("epoch") for _ in range(5)]
    assert service.embed(texts).status_code == 200
    assert service.embed(texts).status_code == 200  # cached now
    bumped = variant(service.config, tmp_path, "epoch1", cache_epoch=1)
    with running(bumped, tmp_path, "epoch1") as svc:
        before_hits = svc.cache_count("hit")
        assert svc.embed(texts).status_code == 200
        assert svc.cache_count("miss") == 5 and svc.cache_count("hit") == before_hits == 0
        assert svc.embed(texts).status_code == 200
        assert svc.cache_count("hit") == 5
        # Same model: the start flushed epoch 0's keys, not its own.
        deadline = time.monotonic() + 10
        fingerprint = svc.embed(texts[0]).json()["fingerprint"]
        client = redis_sync.Redis(unix_socket_path=str(own_redis))
        try:
            while list(client.scan_iter(match=f"emb:m{fingerprint}:e0:*")):
                assert time.monotonic() < deadline
                time.sleep(0.1)
            assert len(list(client.scan_iter(match=f"emb:m{fingerprint}:e1:*"))) == 5
        finally:
            client.close()
        flushes = svc.log_events("embedding_cache_flush")
        assert [f["reason"] for f in flushes] == ["epoch_changed"]


def test_redis_killed_mid_run_answers_continue_and_recover(
    laptop_embeddings_config: dict, tmp_path: Path
) -> None:
    """Redis dies: every request is still answered (computed; result="error");
    Redis comes back on the same socket: the cache works again."""
    from conftest import start_redis

    sock = tmp_path / "redis" / "redis.sock"
    redis_proc = start_redis(sock)
    config = variant(with_redis(laptop_embeddings_config, sock), tmp_path, "fragile")
    try:
        with running(config, tmp_path, "fragile") as svc:
            text = unique_text("kill")
            first = svc.embed(text).json()["data"][0]["embedding"]
            redis_proc.kill()
            redis_proc.wait()
            during = [svc.embed([text, unique_text("down")]) for _ in range(5)]
            assert [r.status_code for r in during] == [200] * 5
            np.testing.assert_allclose(during[0].json()["data"][0]["embedding"], first, atol=1e-6)
            assert svc.cache_count("error") == 10
            health = svc.client.get("/health").json()
            assert health["status"] == "degraded" and health["checks"]["redis"] != "ok"
            assert svc.log_events("embedding_cache_unavailable")

            redis_proc = start_redis(sock)  # empty: the old cache is gone
            again = unique_text("back")
            deadline = time.monotonic() + 15
            while svc.cache_count("hit") == 0:
                assert time.monotonic() < deadline, "the cache never came back"
                assert svc.embed(again).status_code == 200
                time.sleep(0.2)
            errors = svc.cache_count("error")
            assert svc.embed(again).status_code == 200
            assert svc.cache_count("error") == errors  # no new errors once it is back
            assert svc.log_events("embedding_cache_recovered")
            assert svc.client.get("/health").json()["checks"]["redis"] == "ok"
    finally:
        redis_proc.kill()
        redis_proc.wait()


def test_engine_process_killed_gives_503s_then_the_service_exits_for_a_restart(
    laptop_embeddings_config: dict, own_redis: Path, tmp_path: Path
) -> None:
    """SIGKILL on the engine child (as the OOM killer would): the waiting request
    gets a 503 in OpenAI's shape, not a hang; the service then exits with 70 so
    systemd's Restart=on-failure brings a fresh one."""
    import os
    import signal

    import psutil

    config = variant(with_redis(laptop_embeddings_config, own_redis), tmp_path, "doomed")
    with running(config, tmp_path, "doomed") as svc:
        (child,) = psutil.Process(svc.proc.pid).children()
        os.kill(child.pid, signal.SIGKILL)
        response = svc.embed(unique_text("after death"))
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "engine_unavailable"
        assert svc.proc.wait(timeout=10) == 70
        assert svc.log_events("embedding_engine_died")
