"""The OpenAI-compatible API through the official ``openai`` SDK, unmodified but for base_url.

Local backend: the real llama-server with the tiny model. Remote backend: the
scripted stand-in (a remote API cannot be reached from here).
"""

from __future__ import annotations

import json

import httpx
import openai
import pytest

LOCAL_ID = "aistack-tiny-random"


def sdk(coord) -> openai.OpenAI:  # type: ignore[no-untyped-def]
    return openai.OpenAI(base_url=coord.url + "/v1", api_key=coord.api_key, max_retries=0)


@pytest.fixture
def pair(coordinator, stub, llama_url):  # type: ignore[no-untyped-def]
    remote, remote_url = stub(name="remote-stub")
    coord = coordinator(local_url=llama_url, remote_url=remote_url + "/v1")
    return coord, remote


def test_models_lists_local_remote_and_auto(pair) -> None:  # type: ignore[no-untyped-def]
    coord, _ = pair
    ids = [m.id for m in sdk(coord).models.list()]
    assert ids == [LOCAL_ID, "remote", "auto"]


def test_local_completion_from_the_real_llama_server(pair) -> None:  # type: ignore[no-untyped-def]
    coord, remote = pair
    raw = sdk(coord).chat.completions.with_raw_response.create(
        model=LOCAL_ID, messages=[{"role": "user", "content": "Say hi"}], max_tokens=8
    )
    completion = raw.parse()
    assert raw.headers["x-aistack-backend"] == "local"
    assert raw.headers["x-aistack-reason"] == "forced_local"
    assert completion.model == LOCAL_ID
    assert completion.usage is not None and completion.usage.completion_tokens == 8
    assert completion.choices[0].finish_reason == "length"
    assert remote.requests == []


def test_local_stream_chunk_by_chunk_with_usage(pair) -> None:  # type: ignore[no-untyped-def]
    coord, _ = pair
    stream = sdk(coord).chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": "Count"}],
        max_tokens=12,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    content = [c for c in chunks if c.choices and c.choices[0].delta.content]
    # Passed through as llama.cpp sends them, not gathered into one blob. Not
    # one chunk per token: the tiny model's random tokens include partial UTF-8
    # sequences, which llama.cpp holds back until the character is whole.
    assert len(content) >= 2
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 12
    assert len({c.id for c in chunks}) == 1


def test_remote_alias_goes_remote_with_its_model_and_key(pair) -> None:  # type: ignore[no-untyped-def]
    coord, remote = pair
    raw = sdk(coord).chat.completions.with_raw_response.create(
        model="remote", messages=[{"role": "user", "content": "hi"}]
    )
    completion = raw.parse()
    assert raw.headers["x-aistack-backend"] == "remote"
    assert completion.choices[0].message.content == "alpha beta gamma delta "
    assert completion.usage is not None and completion.usage.total_tokens == 11
    sent = remote.requests[-1]
    assert sent["model"] == "stub-large"
    with open(coord.config["remote_api"]["api_key_file"]) as f:
        remote_key = f.read()
    assert remote.headers_seen[-1]["authorization"] == f"Bearer {remote_key}"
    # The client's own key never travels to the remote API.
    assert coord.api_key not in json.dumps(remote.headers_seen)


def test_backend_header_overrides_model(pair) -> None:  # type: ignore[no-untyped-def]
    coord, remote = pair
    raw = sdk(coord).chat.completions.with_raw_response.create(
        model=LOCAL_ID,
        messages=[{"role": "user", "content": "hi"}],
        extra_headers={"X-Aistack-Backend": "remote"},
    )
    assert raw.headers["x-aistack-backend"] == "remote"
    assert raw.headers["x-aistack-reason"] == "forced_remote"
    assert len(remote.requests) == 1


def test_structured_output_goes_remote_and_tools_pass_through(pair) -> None:  # type: ignore[no-untyped-def]
    coord, remote = pair
    tools = [
        {
            "type": "function",
            "function": {
                "name": "lookup",
                "description": "look a word up",
                "parameters": {"type": "object", "properties": {"w": {"type": "string"}}},
            },
        }
    ]
    schema = {
        "name": "answer",
        "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
    }
    raw = sdk(coord).chat.completions.with_raw_response.create(
        model="auto",
        messages=[{"role": "user", "content": "json please"}],
        response_format={"type": "json_schema", "json_schema": schema},
        tools=tools,
    )
    assert raw.headers["x-aistack-backend"] == "remote"
    assert raw.headers["x-aistack-reason"] == "structured_output_required"
    sent = remote.requests[-1]
    assert sent["tools"] == tools
    assert sent["response_format"] == {"type": "json_schema", "json_schema": schema}
    sdk(coord).chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": "json please"}],
        response_format={"type": "json_object"},
    )
    assert remote.requests[-1]["response_format"] == {"type": "json_object"}


def test_remote_stream_through_the_sdk(pair) -> None:  # type: ignore[no-untyped-def]
    coord, _ = pair
    stream = sdk(coord).chat.completions.create(
        model="remote",
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "alpha beta gamma delta "
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 4


def test_wrong_key_and_unknown_model_are_openai_errors(pair) -> None:  # type: ignore[no-untyped-def]
    coord, _ = pair
    bad = openai.OpenAI(base_url=coord.url + "/v1", api_key="sk-wrong-" + "x" * 20, max_retries=0)
    with pytest.raises(openai.AuthenticationError) as err:
        bad.chat.completions.create(model="auto", messages=[{"role": "user", "content": "x"}])
    assert err.value.code == "invalid_api_key"
    with pytest.raises(openai.NotFoundError) as err:
        sdk(coord).chat.completions.create(
            model="gpt-nonexistent", messages=[{"role": "user", "content": "x"}]
        )
    assert err.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError):
        sdk(coord).chat.completions.create(model="auto", messages=[])
    # No key at all: 401 in the same shape.
    r = httpx.post(coord.url + "/v1/chat/completions", json={"model": "auto", "messages": []})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "missing_api_key"


def test_embeddings_forwarded(coordinator, llama_url) -> None:  # type: ignore[no-untyped-def]
    """Forwarded as is to the embeddings upstream (here llama-server's own endpoint)."""
    from urllib.parse import urlsplit

    u = urlsplit(llama_url)
    coord = coordinator(
        local_url=llama_url,
        remote_url=None,
        embeddings={"kind": "tcp", "host": u.hostname, "port": u.port},
    )
    result = sdk(coord).embeddings.create(model=LOCAL_ID, input=["one text", "another"])
    assert len(result.data) == 2
    assert len(result.data[0].embedding) == 64
