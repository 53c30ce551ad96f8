"""A local stack for the task runner tests: a host rendered with the runner on,
its Redis, audit writer and coordinator, and ``aistack serve tasks``.

Not a ``conftest.py``: a second module named ``conftest`` would shadow the
top-level one.
"""

from __future__ import annotations

import json
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from aistack.guard.risk import RISK_ACK_VALUE

from conftest import REPO_ROOT, start_redis

HOST_NIX = """{{
  services.aistack = {{
    enable = true;
    facts = import {facts};
    services.tasks.enable = true;
    tasks.workspaceRoots = [ "{roots}" ];
    tasks.defaultTool = {default_tool};
    tasks.tools = {{
      sh = {{ command = [ "/bin/sh" "-c" "{{instruction}}" ]; }};
      py = {{ command = [ "{python}" "-c" "{{instruction}}" ]; }};
    }};
{extra}  }};
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, what: str, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{what}: process exited {proc.returncode}: {proc.stderr.read()}")
        try:
            if predicate():
                return
        except (OSError, httpx.TransportError):
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{what} not ready within {timeout}s")


@dataclass
class TaskStack:
    """The running stack and its paths."""

    root: Path
    plan: dict
    workspaces: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    redis: subprocess.Popen | None = None
    # The key named ``tasks`` in the host's key ring: the one the agents present.
    tasks_key: str = ""
    # The ``local`` key, as `aistack secrets init` writes it (``local:KEY``).
    local_key: str = ""

    @property
    def tasks_config(self) -> Path:
        return Path(self.plan["services"]["tasks"]["configFile"])

    def config(self, service: str) -> dict:
        return json.loads(Path(self.plan["services"][service]["configFile"]).read_text())

    def client(self) -> httpx.Client:
        sock = self.config("tasks")["listen"]["path"]
        return httpx.Client(
            base_url="http://localhost", transport=httpx.HTTPTransport(uds=sock), timeout=30
        )

    def start_tasks(self) -> None:
        proc = subprocess.Popen(
            ["aistack", "serve", "tasks", "--config", str(self.tasks_config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.procs["tasks"] = proc
        with self.client() as c:
            _wait(lambda: c.get("/health").status_code == 200, "tasks service", proc)

    def stop(self, name: str, sig: int = signal.SIGTERM) -> str:
        proc = self.procs.pop(name)
        proc.send_signal(sig)
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        return err


# Keys made at run time (no key-shaped literal in the repo); start_stack
# writes them all into the host's key ring, so each is a distinct identity.
_KEY_POOL = ["ak-" + secrets.token_hex(16) for _ in range(64)]


def new_key() -> str:
    """A key the running stack accepts, not handed out before (its own rate limits)."""
    return _KEY_POOL.pop()


def submit(client: httpx.Client, key: str, instruction: str, **extra) -> httpx.Response:
    body = {"instruction": instruction, "risk_ack": RISK_ACK_VALUE, **extra}
    return client.post("/tasks", json=body, headers={"X-API-Key": key})


def wait_final(client: httpx.Client, key: str, task_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/tasks/{task_id}/status", headers={"X-API-Key": key}).json()
        if body["status"] not in ("queued", "running"):
            # A final status comes with its record complete, never before.
            assert body["finished_at"] is not None and body["duration_s"] is not None, body
            return body
        time.sleep(0.1)
    raise TimeoutError(f"task {task_id} still {body['status']} after {timeout}s")


def start_stack(
    root: Path,
    extra_nix: str = "",
    llama_url: str | None = None,
    local_context: int | None = None,
    default_tool: str | None = "sh",
) -> Iterator[TaskStack]:
    """Render a host with the task runner on (ports moved to free ones), start it all.

    ``extra_nix`` is added inside ``services.aistack``; with ``llama_url`` (a
    running llama-server with the tiny model) the coordinator's local model is it,
    with ``local_context`` tokens of context when the server was given more.
    ``default_tool`` None leaves the plan's default (the built-in aider).
    """
    from aistack.cli.dev import prepare_local_host

    host = root / "host"
    host.mkdir()
    workspaces = root / "ws"
    workspaces.mkdir()
    (host / "aistack.nix").write_text(
        HOST_NIX.format(
            facts=REPO_ROOT / "hosts" / "laptop" / "facts.nix",
            roots=workspaces,
            python=sys.executable,
            extra=extra_nix,
            default_tool="null" if default_tool is None else f'"{default_tool}"',
        )
    )
    out = root / "out"
    proc = subprocess.run(
        ["aistack", "render", str(host), "--out", str(out), "--local", "--source", str(REPO_ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    plan = json.loads((out / "plan.json").read_text())
    ring = Path(plan["secrets"]["apiKeys"])
    ring.parent.mkdir(parents=True, exist_ok=True)
    tasks_key = "ak-" + secrets.token_hex(16)
    local_key = "sk-aistack-" + secrets.token_urlsafe(32)
    ring.write_text(
        f"local:{local_key}\ntasks {tasks_key}\n"
        + "".join(f"client-{n} {key}\n" for n, key in enumerate(_KEY_POOL))
    )
    ring.chmod(0o600)
    prepare_local_host(plan)
    # Other suites may hold the registry's coordinator port: move it, in both configs.
    port = free_port()
    coordinator = Path(plan["services"]["coordinator"]["configFile"])
    cfg = json.loads(coordinator.read_text())
    cfg["listen"]["port"] = port
    if llama_url is not None:
        llama_port = int(llama_url.rsplit(":", 1)[1])
        old = f"{cfg['upstreams']['llama_cpp']['host']}:{cfg['upstreams']['llama_cpp']['port']}"
        cfg["upstreams"]["llama_cpp"]["port"] = llama_port
        allow = cfg["guard"]["outbound"]["allow"]
        cfg["guard"]["outbound"]["allow"] = [
            f"127.0.0.1:{llama_port}" if a == old else a for a in allow
        ]
    coordinator.write_text(json.dumps(cfg))
    if llama_url is not None:
        from aistack.cli.dev_llama import point_coordinator_at_tiny_model

        point_coordinator_at_tiny_model(plan)
        if local_context is not None:
            cfg = json.loads(coordinator.read_text())
            cfg["local_model"]["context_length"] = local_context
            coordinator.write_text(json.dumps(cfg))
    tasks = Path(plan["services"]["tasks"]["configFile"])
    cfg = json.loads(tasks.read_text())
    cfg["upstreams"]["coordinator"]["port"] = port
    cfg["sandbox"]["coordinator_port"] = port
    cfg["default_timeout_s"] = 60
    tasks.write_text(json.dumps(cfg))

    stack = TaskStack(
        root=out, plan=plan, workspaces=workspaces, tasks_key=tasks_key, local_key=local_key
    )
    stack.redis = start_redis(Path(plan["endpoints"]["redis"]["path"]))
    try:
        for name in ("audit", "coordinator"):
            stack.procs[name] = subprocess.Popen(
                ["aistack", "serve", name, "--config", plan["services"][name]["configFile"]],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        audit_sock = Path(stack.config("audit")["listen"]["path"])
        _wait(audit_sock.exists, "audit writer", stack.procs["audit"])
        _wait(
            lambda: httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code < 600,
            "coordinator",
            stack.procs["coordinator"],
        )
        stack.start_tasks()
        yield stack
    finally:
        for name in list(stack.procs):
            stack.stop(name)
        stack.redis.terminate()
        stack.redis.wait(timeout=10)
