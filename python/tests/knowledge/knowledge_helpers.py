"""The laptop host's knowledge stack, rendered with ``--local`` and run for real:
Debian's redis-server, ``aistack serve embeddings`` (the real all-MiniLM-L6-v2),
``aistack serve knowledge`` (Qdrant Edge, SQLite or PostgreSQL), over their
Unix sockets."""

from __future__ import annotations

import json
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from conftest import render_local, start_redis

READY_TIMEOUT_S = 180.0


def uds_client(path: str, timeout: float = 60.0) -> httpx.Client:
    """An HTTP client on a Unix socket."""
    return httpx.Client(
        base_url="http://localhost", transport=httpx.HTTPTransport(uds=path), timeout=timeout
    )


def wait_health(client: httpx.Client, proc: subprocess.Popen, log: Path, check: str | None) -> None:
    """Until /health answers (and, with ``check``, that check is ok)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"exited with {proc.returncode}: {log.read_text()[-4000:]}")
        try:
            body = client.get("/health", timeout=2).json()
            if check is None or body["checks"].get(check) == "ok":
                return
        except (httpx.TransportError, ValueError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"not ready after {READY_TIMEOUT_S}s: {log.read_text()[-4000:]}")


def serve(service: str, config: dict, workdir: Path, name: str) -> tuple[subprocess.Popen, Path]:
    """``aistack serve SERVICE --config`` with ``config`` written to ``workdir``."""
    path = workdir / f"{name}.json"
    path.write_text(json.dumps(config))
    log = workdir / f"{name}.log"
    with log.open("a") as out:
        proc = subprocess.Popen(
            ["aistack", "serve", service, "--config", str(path)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return proc, log


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop ``proc`` (SIGTERM, then SIGKILL after 20 s)."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Stack:
    """A running stack; ``knowledge`` is restartable with another config."""

    root: Path
    plan: dict
    redis: subprocess.Popen
    embeddings: subprocess.Popen
    knowledge_config: dict
    knowledge: subprocess.Popen | None = None
    knowledge_log: Path | None = None
    client: httpx.Client | None = None
    api_key: str = field(default_factory=lambda: "test-" + secrets.token_hex(8))

    @property
    def headers(self) -> dict[str, str]:
        """Headers a caller with an API key sends."""
        return {"X-API-Key": self.api_key}

    @property
    def config_path(self) -> Path:
        """The knowledge config the CLI commands are pointed at."""
        return self.root / "knowledge-test.json"

    def start_knowledge(self, config: dict | None = None) -> None:
        """(Re)start ``aistack serve knowledge`` and wait for it."""
        if config is not None:
            self.knowledge_config = config
        self.knowledge, self.knowledge_log = serve(
            "knowledge", self.knowledge_config, self.root, "knowledge-test"
        )
        self.client = uds_client(self.knowledge_config["listen"]["path"])
        wait_health(self.client, self.knowledge, self.knowledge_log, None)

    def stop_knowledge(self, sig: int = signal.SIGTERM) -> None:
        """Stop the knowledge service."""
        if self.client is not None:
            self.client.close()
        if self.knowledge is not None:
            stop(self.knowledge, sig)

    def ingest(self, *docs: dict, key: str | None = None) -> httpx.Response:
        """POST /documents with a batch."""
        assert self.client is not None
        return self.client.post(
            "/documents",
            json={"documents": list(docs)},
            headers={"X-API-Key": key or self.api_key},
        )

    def search(self, query: str, **extra: object) -> dict:
        """POST /search; asserts 200."""
        assert self.client is not None
        response = self.client.post("/search", json={"query": query, **extra})
        assert response.status_code == 200, response.text
        return response.json()

    def events(self, event: str) -> list[dict]:
        """The knowledge service's log lines with ``event``."""
        assert self.knowledge_log is not None
        found = []
        for line in self.knowledge_log.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("event") == event:
                found.append(record)
        return found


def start_stack(root: Path, knowledge_changes: dict | None = None) -> Stack:
    """Render the laptop host under ``root`` and run Redis, embeddings and knowledge."""
    plan = render_local("laptop", root)
    redis = start_redis(Path(plan["endpoints"]["redis"]["path"]))
    emb_config = json.loads(Path(plan["services"]["embeddings"]["configFile"]).read_text())
    embeddings, emb_log = serve("embeddings", emb_config, root, "embeddings-test")
    try:
        with uds_client(emb_config["listen"]["path"]) as c:
            wait_health(c, embeddings, emb_log, "engine")
    except BaseException:
        stop(embeddings)
        redis.terminate()
        raise
    config = json.loads(Path(plan["services"]["knowledge"]["configFile"]).read_text())
    config.update(knowledge_changes or {})
    stack = Stack(root, plan, redis, embeddings, config)
    stack.config_path.write_text(json.dumps(config))
    try:
        stack.start_knowledge()
    except BaseException:
        close_stack(stack)
        raise
    return stack


def close_stack(stack: Stack) -> None:
    """Stop everything ``start_stack`` started."""
    stack.stop_knowledge()
    stop(stack.embeddings)
    if stack.redis.poll() is None:
        stack.redis.terminate()
        stack.redis.wait(timeout=10)
