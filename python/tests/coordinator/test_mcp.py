"""The MCP server, called with the official mcp SDK's own client over streamable HTTP:
tools listed and called, 401 without a key, 403 without risk_ack, 429 after the 10th
high-risk call in a minute, one audit record per call."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from aistack.guard.risk import RISK_ACK_VALUE


async def call_all(
    url: str, key: str | None, calls: list[tuple[str, dict]]
) -> tuple[list[Any], list[int]]:
    """Run ``calls`` in one MCP session; returns results (or MCPError) and HTTP statuses seen."""
    statuses: list[int] = []

    async def hook(response: httpx2.Response) -> None:
        statuses.append(response.status_code)

    headers = {"Authorization": f"Bearer {key}"} if key else {}
    http = httpx2.AsyncClient(headers=headers, event_hooks={"response": [hook]}, timeout=60)
    results: list[Any] = []
    async with http, Client(streamable_http_client(url, http_client=http)) as client:
        for name, args in calls:
            try:
                results.append(await client.call_tool(name, args))
            except MCPError as exc:
                results.append(exc)
    return results, statuses


def audit_lines(log: Path) -> list[dict]:
    return (
        [json.loads(line)["record"] for line in log.read_text().splitlines()]
        if log.exists()
        else []
    )


def test_tools_guards_and_audit(coordinator, llama_url, tiny_model, audit_writer) -> None:  # type: ignore[no-untyped-def]
    coord = coordinator(local_url=llama_url, remote_url=None)
    models = Path(coord.config["model_switch"]["models_dir"])
    models.mkdir(parents=True, exist_ok=True)
    shutil.copy(tiny_model, models / "other.gguf")
    url = coord.url + "/mcp/"

    async def listing() -> list[str]:
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {coord.api_key}"})
        async with http, Client(streamable_http_client(url, http_client=http)) as client:
            return sorted(t.name for t in (await client.list_tools()).tools)

    assert asyncio.run(listing()) == [
        "knowledge_ingest", "knowledge_search", "query", "rate", "reload_model", "status",
    ]  # fmt: skip

    # No key: the very first request (initialize) is refused with 401.
    with pytest.raises(BaseExceptionGroup) as refused:  # the SDK raises it from its task group
        asyncio.run(call_all(url, None, [("status", {})]))
    matched, _rest = refused.value.split(MCPError)
    assert matched is not None
    error = matched.exceptions[0]
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    assert error.data == {
        "status": 401, "reason": "missing_api_key", "message": "send Authorization: Bearer <API key>",
    }  # fmt: skip

    _, log = audit_writer
    before = len(audit_lines(log))
    reload_ok = ("reload_model", {"model": "other.gguf", "risk_ack": RISK_ACK_VALUE})
    calls = [("status", {}), ("reload_model", {"model": "other.gguf"})] + [reload_ok] * 11
    results, statuses = asyncio.run(call_all(url, coord.api_key, calls))

    status = results[0]
    assert not status.is_error and status.structured_content["model_name"] == "aistack-tiny-random"

    no_ack = results[1]
    assert isinstance(no_ack, MCPError) and no_ack.data["status"] == 403
    assert no_ack.data["reason"] == "risk_ack_required" and 403 in statuses

    for ok in results[2:12]:  # the 10 acknowledged high-risk calls of this minute
        assert not isinstance(ok, MCPError) and not ok.is_error, ok
    request = json.loads(Path(coord.config["model_switch"]["request_file"]).read_text())
    assert request["model"] == str((models / "other.gguf").resolve())

    eleventh = results[12]
    assert isinstance(eleventh, MCPError) and eleventh.data["status"] == 429
    assert (
        eleventh.data["reason"] == "tool_rate_limit_exceeded" and eleventh.data["retry_after"] >= 1
    )
    assert statuses.count(429) == 1

    # One audit record per tool call: refusals and outcomes alike.
    records = audit_lines(log)[before:]
    tools = [
        (r["tool_name"], r["outcome"])
        for r in records
        if r["tool_name"] in ("status", "reload_model")
    ]
    assert tools.count(("status", "ok")) == 1
    assert tools.count(("reload_model", "risk_ack_refused")) == 1
    assert tools.count(("reload_model", "ok")) == 10
    assert tools.count(("reload_model", "rate_limited")) == 1


def test_reload_model_refuses_files_outside_the_models_dir(
    coordinator, llama_url, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    coord = coordinator(local_url=llama_url, remote_url=None)
    outside = tmp_path / "elsewhere.gguf"
    outside.write_bytes(b"GGUF" + b"\0" * 16)
    call = ("reload_model", {"model": str(outside), "risk_ack": RISK_ACK_VALUE})
    results, _ = asyncio.run(call_all(coord.url + "/mcp/", coord.api_key, [call]))
    assert results[0].is_error and "not inside the models directory" in results[0].content[0].text
