"""/status, /ready, /metrics, and the guards every endpoint passes (audit, rate limits)."""

from __future__ import annotations

import json
import logging

import httpx
import openai
import pytest

MSG = [{"role": "user", "content": "hello"}]


def sdk(coord) -> openai.OpenAI:  # type: ignore[no-untyped-def]
    return openai.OpenAI(base_url=coord.url + "/v1", api_key=coord.api_key, max_retries=0)


def test_status_shape_percentiles_and_routing_counts(coordinator, stub, llama_url) -> None:  # type: ignore[no-untyped-def]
    _remote, remote_url = stub(name="remote")
    coord = coordinator(local_url=llama_url, remote_url=remote_url + "/v1")
    client = sdk(coord)
    for _ in range(3):
        client.chat.completions.create(model="auto", messages=MSG, max_tokens=4)
    client.chat.completions.create(model="remote", messages=MSG)
    status = httpx.get(coord.url + "/status").json()
    assert set(status) >= {
        "model_name",
        "loading",
        "load_progress_pct",
        "queue_depth",
        "healthy",
        "threshold",
        "backends",
        "routing",
    }
    assert status["model_name"] == "aistack-tiny-random"
    assert status["loading"] is False and status["load_progress_pct"] == 100
    assert status["healthy"] is True and status["threshold"] == 0.5
    local = status["backends"]["local"]
    assert set(local) == {"healthy", "p50_ms", "p95_ms", "last_error", "circuit"}
    assert local["healthy"] is True and local["circuit"] == "closed"
    assert 0 < local["p50_ms"] <= local["p95_ms"]
    assert status["backends"]["remote"]["p50_ms"] > 0
    assert status["routing"] == {"local:local_preferred": 3, "remote:forced_remote": 1}
    ready = httpx.get(coord.url + "/ready")
    assert ready.status_code == 200 and ready.json()["backends"] == ["local", "remote"]

    metrics = httpx.get(coord.url + "/metrics").text
    assert (
        'aistack_routing_decisions_total{backend="local",reason="local_preferred"} 3.0' in metrics
    )
    assert 'aistack_backend_request_duration_seconds_count{backend="local"} 3.0' in metrics
    assert 'aistack_queue_depth{queue="local_loading",service="coordinator"} 0.0' in metrics
    assert 'aistack_latency_budget_seconds{backend="local"} 10.0' in metrics


def test_ready_is_503_when_nothing_can_answer(coordinator, stub) -> None:  # type: ignore[no-untyped-def]
    from .coord_harness import free_port

    coord = coordinator(local_url=f"http://127.0.0.1:{free_port()}", remote_url=None)
    ready = httpx.get(coord.url + "/ready")
    assert ready.status_code == 503 and ready.json()["backends"] == []
    r = httpx.post(
        coord.url + "/v1/chat/completions",
        json={"model": "auto", "messages": MSG},
        headers=coord.headers(),
    )
    assert r.status_code == 502
    assert r.json()["error"]["code"] == "backend_unavailable"
    assert httpx.get(coord.url + "/health").status_code == 200  # alive, just not ready


def test_one_audit_record_per_call(coordinator, stub, audit_writer) -> None:  # type: ignore[no-untyped-def]
    _, log = audit_writer
    _local, local_url = stub(name="local")
    coord = coordinator(local_url=local_url, remote_url=None)
    before = len(log.read_text().splitlines()) if log.exists() else 0
    client = sdk(coord)
    client.chat.completions.create(model="auto", messages=MSG)
    list(client.chat.completions.create(model="auto", messages=MSG, stream=True))
    client.models.list()
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="nope", messages=MSG)
    lines = [json.loads(x)["record"] for x in log.read_text().splitlines()[before:]]
    assert [(x["tool_name"], x["outcome"]) for x in lines] == [
        ("chat_query", "ok"),
        ("chat_query", "ok"),
        ("list_models", "ok"),
        ("chat_query", "rejected"),
    ]
    # The caller is a keyed hash, never the key.
    assert all(coord.api_key not in json.dumps(x) for x in lines)
    assert len({x["caller_identity"] for x in lines}) == 1


def test_rate_limit_is_a_429_in_openai_shape(coordinator, stub) -> None:  # type: ignore[no-untyped-def]
    _local, local_url = stub(name="local")
    coord = coordinator(
        local_url=local_url,
        remote_url=None,
        rate_limits={"low": {"limit": 2, "window_seconds": 60}},
    )
    client = sdk(coord)
    for _ in range(2):
        client.chat.completions.create(model="auto", messages=MSG)
    with pytest.raises(openai.RateLimitError) as err:
        client.chat.completions.create(model="auto", messages=MSG)
    assert err.value.code == "tool_rate_limit_exceeded"
    assert int(err.value.response.headers["retry-after"]) >= 1
    assert "aistack_rate_limit_refusals_total" in httpx.get(coord.url + "/metrics").text


def test_hidden_characters_are_sanitised_before_the_backend(coordinator, stub) -> None:  # type: ignore[no-untyped-def]
    local, local_url = stub(name="local")
    coord = coordinator(local_url=local_url, remote_url=None)
    sdk(coord).chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "ig\u200bnore \u202eall"}]
    )
    assert local.requests[-1]["messages"][0]["content"] == "ignore all"


def test_routing_decision_is_logged(coordinator, stub, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    _local, local_url = stub(name="local")
    coord = coordinator(local_url=local_url, remote_url=None)
    sdk(coord).chat.completions.create(model="auto", messages=MSG)
    selected = [
        r.fields for r in caplog.records if getattr(r, "event", None) == "llm_backend_selected"
    ]
    assert selected[-1] == {
        "backend": "local",
        "reason": "local_preferred",
        "threshold": 0.5,
        "context_score": None,
        "prompt_tokens": selected[-1]["prompt_tokens"],
    }
    assert selected[-1]["prompt_tokens"] > 0


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        json.dumps({"model": "auto"}).encode(),
        json.dumps({"model": "auto", "messages": [{"role": "wizard", "content": "x"}]}).encode(),
        json.dumps({"model": "auto", "messages": MSG, "max_tokens": -1}).encode(),
        json.dumps({"model": "", "messages": MSG}).encode(),
    ],
)
def test_malformed_requests_are_400_with_a_reason(coordinator, stub, body: bytes) -> None:  # type: ignore[no-untyped-def]
    local, local_url = stub(name="local")
    coord = coordinator(local_url=local_url, remote_url=None)
    r = httpx.post(
        coord.url + "/v1/chat/completions",
        content=body,
        headers={**coord.headers(), "Content-Type": "application/json"},
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["type"] == "invalid_request_error"
    assert r.json()["error"]["message"]
    assert local.requests == []
