"""Fallback, retries, circuit breakers, the loading queue and mid-stream continuation.

Faults come from the scripted stand-in (it plays a failing local llama.cpp or
a failing remote API); the "local server dies" case kills a real llama-server.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

import httpx
import openai
import pytest

from aistack.coordinator.dispatch import CONTINUE_INSTRUCTION

from .coord_harness import start_llama_server

MSG = [{"role": "user", "content": "hello"}]


def sdk(coord) -> openai.OpenAI:  # type: ignore[no-untyped-def]
    return openai.OpenAI(base_url=coord.url + "/v1", api_key=coord.api_key, max_retries=0)


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict]:
    return [
        dict(getattr(r, "fields", {})) for r in caplog.records if getattr(r, "event", None) == name
    ]


def raw_sse(coord, body: dict) -> list[str]:  # type: ignore[no-untyped-def]
    """The SSE data lines exactly as a client receives them."""
    lines = []
    with httpx.stream(
        "POST", coord.url + "/v1/chat/completions", json=body, headers=coord.headers(), timeout=30
    ) as r:
        assert r.status_code == 200, r.read()
        for line in r.iter_lines():
            if line.startswith("data:"):
                lines.append(line[5:].strip())
    return lines


def test_local_500_is_retried_then_falls_back_to_remote(coordinator, stub, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    local, local_url = stub(name="local", default="http_500")
    remote, remote_url = stub(name="remote")
    coord = coordinator(local_url=local_url, remote_url=remote_url + "/v1")
    raw = sdk(coord).chat.completions.with_raw_response.create(model="auto", messages=MSG)
    assert raw.headers["x-aistack-backend"] == "remote"
    assert raw.headers["x-aistack-reason"] == "local_preferred"
    assert raw.headers["x-aistack-fallback-cause"] == "http_500"
    assert len(local.requests) == 2  # one try + routing.retries (1)
    assert len(remote.requests) == 1
    fallback = events(caplog, "llm_backend_fallback")
    assert fallback[-1] == {"src": "local", "dst": "remote", "cause": "http_500"}


def test_local_unreachable_routes_remote_by_probe(coordinator, stub) -> None:  # type: ignore[no-untyped-def]
    from .coord_harness import free_port

    _remote, remote_url = stub(name="remote")
    coord = coordinator(local_url=f"http://127.0.0.1:{free_port()}", remote_url=remote_url + "/v1")
    raw = sdk(coord).chat.completions.with_raw_response.create(model="auto", messages=MSG)
    assert raw.headers["x-aistack-backend"] == "remote"
    assert raw.headers["x-aistack-reason"] == "local_unhealthy"
    status = httpx.get(coord.url + "/status").json()
    assert status["backends"]["local"]["healthy"] is False
    assert "ConnectError" in status["backends"]["local"]["last_error"]
    ready = httpx.get(coord.url + "/ready")
    assert ready.status_code == 200 and ready.json()["backends"] == ["remote"]


def test_real_llama_killed_then_remote_answers(coordinator, stub, tiny_model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    proc, llama_url = start_llama_server(tiny_model, tmp_path / "llama.log")
    try:
        _remote, remote_url = stub(name="remote")
        coord = coordinator(local_url=llama_url, remote_url=remote_url + "/v1")
        first = sdk(coord).chat.completions.with_raw_response.create(
            model="auto", messages=MSG, max_tokens=4
        )
        assert first.headers["x-aistack-backend"] == "local"
        proc.kill()
        proc.wait()
        second = sdk(coord).chat.completions.with_raw_response.create(
            model="auto", messages=MSG, max_tokens=4
        )
        assert second.headers["x-aistack-backend"] == "remote"
        # Either the probe saw it first (routing) or the call did (fallback).
        assert (
            second.headers["x-aistack-reason"] == "local_unhealthy"
            or second.headers["x-aistack-fallback-cause"] == "connect_error"
        )
        ready = httpx.get(coord.url + "/ready").json()
        assert ready["backends"] == ["remote"]
    finally:
        if proc.poll() is None:
            proc.kill()


def test_local_stream_dying_midway_is_finished_by_remote(coordinator, stub, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    local, local_url = stub(name="local", words=("one ", "two ", "three ", "four "))
    local.script.append("die_after:2")
    remote, remote_url = stub(name="remote", words=("three ", "four."))
    coord = coordinator(local_url=local_url, remote_url=remote_url + "/v1")
    data = raw_sse(coord, {"model": "auto", "messages": MSG, "stream": True})
    assert data.count("[DONE]") == 1 and data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert len({c["id"] for c in chunks}) == 1  # one unbroken stream
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    assert text == "one two three four."
    continuation = remote.requests[-1]["messages"]
    assert continuation[-2] == {"role": "assistant", "content": "one two "}
    assert continuation[-1]["content"] == CONTINUE_INSTRUCTION
    assert events(caplog, "llm_backend_fallback")[-1]["cause"] == "mid_stream_connection_lost"


def test_midway_death_through_the_sdk(coordinator, stub) -> None:  # type: ignore[no-untyped-def]
    local, local_url = stub(name="local", words=("a ", "b ", "c "))
    local.script.append("bad_chunk")
    _remote, remote_url = stub(name="remote", words=("b ", "c"))
    coord = coordinator(local_url=local_url, remote_url=remote_url + "/v1")
    stream = sdk(coord).chat.completions.create(model="auto", messages=MSG, stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == "a b c"


def test_forced_local_stream_death_ends_with_an_error_and_one_done(coordinator, stub) -> None:  # type: ignore[no-untyped-def]
    local, local_url = stub(name="local")
    local.script.append("die_after:1")
    remote, remote_url = stub(name="remote")
    coord = coordinator(local_url=local_url, remote_url=remote_url + "/v1")
    data = raw_sse(coord, {"model": "local", "messages": MSG, "stream": True})
    assert data.count("[DONE]") == 1
    assert json.loads(data[-2])["error"]["code"] == "connection_lost"
    assert remote.requests == []
    with pytest.raises(openai.APIError):
        local.script.append("die_after:1")
        list(sdk(coord).chat.completions.create(model="local", messages=MSG, stream=True))


def test_fallback_before_first_byte_when_streaming(coordinator, stub) -> None:  # type: ignore[no-untyped-def]
    _local, local_url = stub(name="local", default="http_500")
    _remote, remote_url = stub(name="remote")
    coord = coordinator(local_url=local_url, remote_url=remote_url + "/v1")
    data = raw_sse(coord, {"model": "auto", "messages": MSG, "stream": True})
    text = "".join(json.loads(d)["choices"][0]["delta"].get("content") or "" for d in data[:-1])
    assert text == "alpha beta gamma delta " and data[-1] == "[DONE]"


def test_remote_faults_fall_back_to_local(coordinator, stub, caplog) -> None:  # type: ignore[no-untyped-def]
    """429, 500, malformed JSON and a timeout from the remote API: each ends local."""
    caplog.set_level(logging.INFO)
    local, local_url = stub(name="local")
    remote, remote_url = stub(name="remote", delay_s=3)
    coord = coordinator(
        local_url=local_url,
        remote_url=remote_url + "/v1",
        remote_timeout_s=1,
        routing={"retries": 0, "circuit": {"failure_threshold": 100, "cooldown_s": 30}},
    )
    for fault, cause in [
        ("http_429", "http_429"),
        ("http_500", "http_500"),
        ("malformed", "malformed_response"),
        ("timeout", "timeout"),
    ]:
        remote.script.append(fault)
        raw = sdk(coord).chat.completions.with_raw_response.create(
            model="auto", messages=MSG, response_format={"type": "json_object"}
        )
        assert raw.headers["x-aistack-reason"] == "structured_output_required"
        assert raw.headers["x-aistack-backend"] == "local", fault
        assert raw.headers["x-aistack-fallback-cause"] == cause
    # A client error is the request's fault: passed back, not retried elsewhere.
    remote.script.append("http_400")
    before = len(local.requests)
    with pytest.raises(openai.BadRequestError) as err:
        sdk(coord).chat.completions.create(model="remote", messages=MSG)
    assert err.value.code == "bad"
    assert len(local.requests) == before


def test_circuit_opens_then_half_open_probe_closes_it(coordinator, stub, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    _local, local_url = stub(name="local")
    remote, remote_url = stub(name="remote", default="http_500")
    coord = coordinator(
        local_url=local_url,
        remote_url=remote_url + "/v1",
        routing={"retries": 0, "circuit": {"failure_threshold": 3, "cooldown_s": 1}},
    )
    client = sdk(coord)
    for _ in range(3):
        with pytest.raises(openai.APIStatusError):
            client.chat.completions.create(model="remote", messages=MSG)
    assert events(caplog, "circuit_opened")[-1]["backend"] == "remote"
    status = httpx.get(coord.url + "/status").json()
    assert status["backends"]["remote"]["circuit"] == "open"
    # Open: refused without calling the remote API.
    calls = len(remote.requests)
    with pytest.raises(openai.APIStatusError) as err:
        client.chat.completions.create(model="remote", messages=MSG)
    assert err.value.status_code == 503
    assert len(remote.requests) == calls
    # auto routing avoids it: a remote wish ends local with remote_unavailable.
    raw = client.chat.completions.with_raw_response.create(
        model="auto", messages=MSG, response_format={"type": "json_object"}
    )
    assert raw.headers["x-aistack-reason"] == "remote_unavailable"
    time.sleep(1.1)
    remote.default = "ok"
    client.chat.completions.create(model="remote", messages=MSG)  # the half-open probe
    assert len(remote.requests) == calls + 1
    assert httpx.get(coord.url + "/status").json()["backends"]["remote"]["circuit"] == "closed"
    assert events(caplog, "circuit_closed")[-1]["backend"] == "remote"


def test_loading_queue_waits_then_refuses_with_retry_after(coordinator, stub) -> None:  # type: ignore[no-untyped-def]
    local, local_url = stub(name="local", health="loading")
    coord = coordinator(local_url=local_url, remote_url=None, routing={"loading_queue_size": 2})

    async def scenario() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=coord.url, headers=coord.headers(), timeout=30) as c:

            def post():  # type: ignore[no-untyped-def]
                return c.post("/v1/chat/completions", json={"model": "auto", "messages": MSG})

            waiting = [asyncio.create_task(post()) for _ in range(2)]
            await asyncio.sleep(0.5)
            status = (await c.get("/status")).json()
            assert status["loading"] is True and status["queue_depth"] == 2
            refused = await post()
            local.health = "ok"  # the model finished loading
            return [refused, *(await asyncio.gather(*waiting))]

    refused, *served = asyncio.run(scenario())
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "5"
    assert refused.json()["error"]["code"] == "model_loading"
    assert [r.status_code for r in served] == [200, 200]
    assert all(r.headers["x-aistack-backend"] == "local" for r in served)


def test_loading_queue_full_goes_remote(coordinator, stub) -> None:  # type: ignore[no-untyped-def]
    local, local_url = stub(name="local", health="loading")
    _remote, remote_url = stub(name="remote")
    coord = coordinator(
        local_url=local_url, remote_url=remote_url + "/v1", routing={"loading_queue_size": 1}
    )

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        async with httpx.AsyncClient(base_url=coord.url, headers=coord.headers(), timeout=30) as c:

            def post():  # type: ignore[no-untyped-def]
                return c.post("/v1/chat/completions", json={"model": "auto", "messages": MSG})

            waiting = asyncio.create_task(post())
            await asyncio.sleep(0.5)
            overflow = await post()
            local.health = "ok"
            return overflow, await waiting

    overflow, waited = asyncio.run(scenario())
    assert overflow.headers["x-aistack-backend"] == "remote"
    assert overflow.headers["x-aistack-reason"] == "local_loading_queue_full"
    assert waited.headers["x-aistack-backend"] == "local"


def test_remote_key_never_in_logs_or_errors(coordinator, stub, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    _local, local_url = stub(name="local", default="http_500")
    _remote, remote_url = stub(name="remote", default="http_500")
    coord = coordinator(local_url=local_url, remote_url=remote_url + "/v1")
    with open(coord.config["remote_api"]["api_key_file"]) as f:
        key = f.read()
    r = httpx.post(
        coord.url + "/v1/chat/completions",
        json={"model": "auto", "messages": MSG},
        headers=coord.headers(),
    )
    assert r.status_code == 502 and key not in r.text
    assert r.json()["error"]["code"] == "backend_unavailable"
    status = httpx.get(coord.url + "/status").text
    assert key not in status and coord.api_key not in status
    logged = caplog.text + json.dumps(
        [getattr(x, "fields", {}) for x in caplog.records], default=str
    )
    assert key not in logged and coord.api_key not in logged


def test_remote_host_outside_the_allowlist_is_blocked(coordinator, stub, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    _local, local_url = stub(name="local")
    remote, remote_url = stub(name="remote")
    coord = coordinator(local_url=local_url, remote_url=remote_url + "/v1", outbound_allow=[])
    raw = sdk(coord).chat.completions.with_raw_response.create(
        model="auto", messages=MSG, response_format={"type": "json_object"}
    )
    assert raw.headers["x-aistack-backend"] == "local"
    assert raw.headers["x-aistack-fallback-cause"] == "ssrf_blocked"
    assert remote.requests == []
    assert events(caplog, "ssrf_blocked")[-1]["reason"] == "loopback"
