"""Gateway overhead: the coordinator against the LiteLLM proxy, over one stub backend.

One OpenAI-compatible stub answers instantly. The same bounded load goes to it
directly, through the coordinator's ``/v1/chat/completions`` (started with
``aistack serve`` from the laptop host's rendered config, its real Redis and
audit writer, local backend pointed at the stub) and through the LiteLLM proxy
(installed by this script into its own virtualenv, run with offline settings:
local cost map, no telemetry, no database). Printed, per gateway: added latency
p50/p99 over direct at concurrency 1 and 8, requests/s, CPU time per request,
streaming time to first byte, idle RSS and start-to-ready time; then the ratios
against LiteLLM, and the per-call cost of ``select_llm_backend``.

    python3 bench/gateway.py [--requests 300] [--skip-litellm]

Nothing here asserts: it prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
VENV = Path.home() / ".cache" / "aistack-bench" / "litellm-venv"
MSG = [{"role": "user", "content": "Say something short."}]
STUB_WORDS = ["Hello", " from", " the", " stub", "."]


# --- the stub backend (run in its own process) -------------------------------------


def serve_stub(port: int) -> None:
    """A minimal OpenAI-compatible backend: fixed answer, SSE in five chunks, no delay."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def chat(request: Request) -> Response:
        body = await request.json()
        base = {"id": "chatcmpl-stub", "created": 0, "model": body.get("model", "stub")}
        if body.get("stream"):

            async def events():  # type: ignore[no-untyped-def]
                for word in STUB_WORDS:
                    chunk = {
                        **base,
                        "object": "chat.completion.chunk",
                        "choices": [
                            {
                                "index": 0,
                                "delta": {"content": word},
                                "finish_reason": None,
                            }
                        ],
                    }
                    yield f"data: {json.dumps(chunk)}\n\n"
                end = {
                    **base,
                    "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                }
                yield f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")
        return JSONResponse(
            {
                **base,
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {
                            "role": "assistant",
                            "content": "".join(STUB_WORDS),
                        },
                    }
                ],
                "usage": {
                    "prompt_tokens": 5,
                    "completion_tokens": 5,
                    "total_tokens": 10,
                },
            }
        )

    app = Starlette(
        routes=[
            Route("/health", health),
            Route("/v1/chat/completions", chat, methods=["POST"]),
            Route("/chat/completions", chat, methods=["POST"]),
        ]
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- helpers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 120.0) -> float:
    """Seconds from now until ``url`` answers 200 (the caller timed the spawn)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return time.monotonic()
        except httpx.HTTPError:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"{url} not ready within {timeout}s")


def tree_rss_mb(pid: int) -> float:
    proc = psutil.Process(pid)
    procs = [proc, *proc.children(recursive=True)]
    return sum(p.memory_info().rss for p in procs if p.is_running()) / 2**20


def tree_cpu_s(pid: int) -> float:
    proc = psutil.Process(pid)
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


async def load(
    url: str, headers: dict[str, str], model: str, n: int, concurrency: int
) -> tuple[list[float], float]:
    """``n`` chat completions with ``concurrency`` in flight; (latencies s, wall s)."""
    latencies: list[float] = []
    body = {"model": model, "messages": MSG, "max_tokens": 8}
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    async with httpx.AsyncClient(headers=headers, timeout=30, limits=limits) as client:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(n):
            queue.put_nowait(i)

        async def worker() -> None:
            while True:
                try:
                    queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                start = time.perf_counter()
                r = await client.post(url, json=body)
                latencies.append(time.perf_counter() - start)
                if r.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {r.status_code}: {r.text[:200]}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, time.perf_counter() - started


async def ttfb(url: str, headers: dict[str, str], model: str, n: int) -> list[float]:
    """Time to the first content chunk of ``n`` streamed answers, one at a time."""
    out = []
    body = {"model": model, "messages": MSG, "stream": True}
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:
        for _ in range(n):
            start = time.perf_counter()
            first = None
            async with client.stream("POST", url, json=body) as r:
                async for line in r.aiter_lines():
                    if (
                        first is None
                        and line.startswith("data:")
                        and '"content"' in line
                    ):
                        first = time.perf_counter() - start
            if first is not None:
                out.append(first)
    return out


# --- the gateways ------------------------------------------------------------------------


def start_coordinator(
    stub_port: int, work: Path, procs: list[subprocess.Popen]
) -> tuple[int, str, str, float]:
    """Redis, the audit writer and the coordinator from the laptop host's rendered config;
    each process is added to ``procs`` as it starts (the caller stops them)."""
    root = work / "laptop"
    subprocess.run(
        [
            "aistack",
            "render",
            str(REPO / "hosts" / "laptop"),
            "--out",
            str(root),
            "--local",
        ],
        check=True,
        capture_output=True,
    )
    plan = json.loads((root / "plan.json").read_text())
    from aistack.cli.dev import _start_redis, prepare_local_host

    prepare_local_host(plan)
    procs.append(_start_redis(Path(plan["endpoints"]["redis"]["path"])))
    audit = plan["services"]["audit"]
    procs.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aistack",
                "serve",
                "audit",
                "--config",
                audit["configFile"],
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    sock = Path(audit["config"]["listen"]["path"])
    while not sock.exists():
        time.sleep(0.02)
    cfg_path = Path(plan["services"]["coordinator"]["configFile"])
    cfg = json.loads(cfg_path.read_text())
    port = free_port()
    cfg["listen"] = {"kind": "tcp", "host": "127.0.0.1", "port": port}
    cfg["upstreams"]["llama_cpp"] = {
        "kind": "tcp",
        "host": "127.0.0.1",
        "port": stub_port,
    }
    cfg["log_level"] = "warning"
    # A benchmark client is one caller sending thousands of calls: lift its limits.
    for tier in ("low", "medium", "high"):
        cfg["guard"]["rate_limits"][tier]["limit"] = 10**6
    cfg["guard"]["rate_limits"]["global_per_key"]["limit"] = 10**6
    cfg_path.write_text(json.dumps(cfg))
    key = next(
        line.split(":", 1)[1]
        for line in Path(plan["secrets"]["apiKeys"]).read_text().splitlines()
        if line.startswith("local:")
    )
    spawned = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aistack",
            "serve",
            "coordinator",
            "--config",
            str(cfg_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.append(proc)
    url = f"http://127.0.0.1:{port}"
    ready = wait_ready(url + "/ready", proc) - spawned
    return proc.pid, url, key, ready


def ensure_litellm() -> Path:
    """The LiteLLM proxy in its own virtualenv (installed on first use)."""
    litellm = VENV / "bin" / "litellm"
    if not litellm.exists():
        print(f"installing litellm[proxy] into {VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", "litellm[proxy]"], check=True
        )
    return litellm


def start_litellm(
    stub_port: int, work: Path
) -> tuple[subprocess.Popen, str, str, float]:
    litellm = ensure_litellm()
    key = "sk-bench-" + secrets.token_hex(12)
    config = work / "litellm.yaml"
    config.write_text(
        "model_list:\n"
        "  - model_name: local\n"
        "    litellm_params:\n"
        "      model: openai/stub\n"
        f"      api_base: http://127.0.0.1:{stub_port}/v1\n"
        "      api_key: none\n"
        "litellm_settings:\n"
        "  telemetry: false\n"
        "  drop_params: true\n"
        "general_settings:\n"
        f"  master_key: {key}\n"
    )
    port = free_port()
    env = {
        **os.environ,
        # Offline: the bundled cost map, no telemetry, no callbacks home.
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "LITELLM_TELEMETRY": "False",
        "LITELLM_LOG": "ERROR",
        "DISABLE_SCHEMA_UPDATE": "True",
    }
    env.pop("PYTHONPATH", None)
    spawned = time.monotonic()
    proc = subprocess.Popen(
        [
            str(litellm),
            "--config",
            str(config),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--num_workers",
            "1",
            "--telemetry",
            "False",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(work / "litellm.log").open("w"),
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    ready = wait_ready(url + "/health/liveliness", proc, timeout=300) - spawned
    return proc, url, key, ready


# --- the run -------------------------------------------------------------------------------


def measure(
    name: str, url: str, headers: dict, model: str, pid: int | None, n: int
) -> dict:
    row: dict = {"name": name}
    asyncio.run(load(url, headers, model, 30, 2))  # warm-up
    for c in (1, 8):
        cpu0 = tree_cpu_s(pid) if pid else 0.0
        lat, wall = asyncio.run(load(url, headers, model, n, c))
        cpu1 = tree_cpu_s(pid) if pid else 0.0
        row[c] = {
            "p50": pct(lat, 0.5) * 1000,
            "p99": pct(lat, 0.99) * 1000,
            "rps": n / wall,
            "cpu_ms": (cpu1 - cpu0) / n * 1000 if pid else None,
        }
    row["ttfb_ms"] = (
        statistics.median(asyncio.run(ttfb(url, headers, model, 50))) * 1000
    )
    return row


def routing_cost() -> float:
    from aistack.coordinator.routing import (
        BackendsState,
        RouteRequest,
        RoutingPolicy,
        select_llm_backend,
    )

    state = BackendsState(True, False, 0, False, 900.0, True, False)
    policy = RoutingPolicy(0.5, 16384, 512, False, 10000.0, 10)
    request = RouteRequest(300)
    n = 200_000
    start = time.perf_counter()
    for i in range(n):
        select_llm_backend(request, (i % 100) / 100, state, policy)
    return (time.perf_counter() - start) / n * 1e9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--skip-litellm", action="store_true")
    parser.add_argument("--stub", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stub:
        serve_stub(args.stub)
        return 0
    if shutil.which("redis-server") is None:
        print("redis-server not found (apt-get install redis-server)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="aistack-gateway-"))
    procs: list[subprocess.Popen] = []
    try:
        stub_port = free_port()
        stub = subprocess.Popen([sys.executable, __file__, "--stub", str(stub_port)])
        procs.append(stub)
        stub_url = f"http://127.0.0.1:{stub_port}"
        wait_ready(stub_url + "/health", stub)

        coord_pid, coord_url, coord_key, coord_ready = start_coordinator(
            stub_port, work, procs
        )
        gateways = [
            ("coordinator", coord_url, coord_key, "auto", coord_pid, coord_ready)
        ]
        if not args.skip_litellm:
            lite, lite_url, lite_key, lite_ready = start_litellm(stub_port, work)
            procs.append(lite)
            gateways.append(
                ("litellm", lite_url, lite_key, "local", lite.pid, lite_ready)
            )

        time.sleep(2.0)  # let both settle before reading idle memory
        idle = {name: tree_rss_mb(pid) for name, _, _, _, pid, _ in gateways}
        rows = [
            measure(
                "direct",
                stub_url + "/v1/chat/completions",
                {},
                "stub",
                None,
                args.requests,
            )
        ]
        for name, url, key, model, pid, ready in gateways:
            row = measure(
                name,
                url + "/v1/chat/completions",
                {"Authorization": f"Bearer {key}"},
                model,
                pid,
                args.requests,
            )
            row["idle_rss_mb"] = idle[name]
            row["ready_s"] = ready
            rows.append(row)
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)

    direct = rows[0]
    print(f"\ngateway overhead, {args.requests} requests per run, stub backend\n")
    print(
        f"{'':12} {'c':>2} {'p50 ms':>8} {'p99 ms':>8} {'+p50 ms':>8} {'+p99 ms':>8} "
        f"{'req/s':>8} {'CPU ms/req':>10}"
    )
    for row in rows:
        for c in (1, 8):
            r = row[c]
            added50 = r["p50"] - direct[c]["p50"]
            added99 = r["p99"] - direct[c]["p99"]
            cpu = f"{r['cpu_ms']:.2f}" if r["cpu_ms"] is not None else "-"
            print(
                f"{row['name']:12} {c:>2} {r['p50']:8.2f} {r['p99']:8.2f} {added50:8.2f} "
                f"{added99:8.2f} {r['rps']:8.0f} {cpu:>10}"
            )
    print()
    print(f"{'':12} {'TTFB ms':>8} {'idle RSS MB':>12} {'ready s':>8}")
    for row in rows:
        rss = f"{row['idle_rss_mb']:.1f}" if "idle_rss_mb" in row else "-"
        ready = f"{row['ready_s']:.2f}" if "ready_s" in row else "-"
        print(f"{row['name']:12} {row['ttfb_ms']:8.2f} {rss:>12} {ready:>8}")
    if len(rows) == 3:
        coord, lite = rows[1], rows[2]
        print(
            "\ncoordinator / litellm (targets: added latency and CPU <= 0.20, idle RSS <= 0.25)"
        )
        for c in (1, 8):
            for q in ("p50", "p99"):
                a = coord[c][q] - direct[c][q]
                b = lite[c][q] - direct[c][q]
                print(f"  added {q} at c={c}: {a:.2f} / {b:.2f} ms = {a / b:.3f}")
            print(
                f"  CPU per request at c={c}: {coord[c]['cpu_ms']:.2f} / "
                f"{lite[c]['cpu_ms']:.2f} ms = {coord[c]['cpu_ms'] / lite[c]['cpu_ms']:.3f}"
            )
        print(
            f"  idle RSS: {coord['idle_rss_mb']:.1f} / {lite['idle_rss_mb']:.1f} MB = "
            f"{coord['idle_rss_mb'] / lite['idle_rss_mb']:.3f} (target also < 80 MB)"
        )
        print(
            f"  start-to-ready: {coord['ready_s']:.2f} s / {lite['ready_s']:.2f} s "
            "(target <= 1.5 s)"
        )
    print(f"\nselect_llm_backend: {routing_cost():.0f} ns per call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
