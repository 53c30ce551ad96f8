"""The MCP endpoint is built on its first request, not at start-up."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import pytest
from fastapi import FastAPI

from aistack.coordinator import mcp_mount


def test_the_coordinator_imports_without_the_mcp_sdk() -> None:
    code = "import sys, aistack.coordinator.app; print(any(m.split('.')[0] == 'mcp' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_server_that_fails_to_build_answers_503_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(name: str) -> None:
        raise ImportError(f"cannot import {name} (injected)")

    monkeypatch.setattr(mcp_mount.importlib, "import_module", broken)

    async def scenario() -> httpx.Response:
        app = FastAPI()
        mcp = mcp_mount.DeferredMcp(app, ready_timeout_s=5)
        app.mount("/mcp", mcp)
        async with mcp.running():
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return await client.post(
                    "/mcp/", json={"jsonrpc": "2.0", "id": 1, "method": "ping"}
                )

    r = asyncio.run(scenario())
    assert r.status_code == 503
    assert "injected" in r.json()["error"]["message"]
