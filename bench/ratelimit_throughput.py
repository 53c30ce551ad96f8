"""Rate-limit decisions per second against a real Redis over its Unix socket.

Starts its own ``redis-server`` (Unix socket only, in a temp dir) unless
``--redis-url`` is given, then measures the sliding-window script: one
synchronous client (with per-decision latency), the asyncio limiter with 64
calls in flight, and 4 worker processes on one shared key (the multi-worker
case the Lua script makes exact; the allowed count is printed to show it).

Run: ``python bench/ratelimit_throughput.py [--seconds S] [--redis-url unix://...]``
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import redis.asyncio
from aistack.guard.identity import caller_identity
from aistack.guard.ratelimit import (
    AsyncRateLimiter,
    RateLimiter,
    RateLimitSettings,
    WindowLimit,
    tool_limits,
)

SECRET = b"bench-secret-" + b"0123456789abcdef"
# Limits high enough that every decision runs the full script (check + record).
OPEN = RateLimitSettings(
    low=WindowLimit(limit=1_000_000, window_seconds=60),
    global_per_key=WindowLimit(limit=1_000_000, window_seconds=3600),
)


def start_redis(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    sock = workdir / "redis.sock"
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--unixsocketperm",
            "700",
            "--dir",
            str(workdir),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"unix://{sock}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("redis-server did not start")


def bench_sync(url: str, seconds: float) -> None:
    client = redis.Redis.from_url(url)
    client.flushdb()
    limiter = RateLimiter(client, OPEN)
    # Spread over callers so no single sorted set grows past a realistic size.
    specs = [
        tool_limits(OPEN, caller_identity(f"k{i}", SECRET), "search", "low")
        for i in range(100)
    ]
    lat: list[float] = []
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        limiter.hit(specs[i % 100])
        lat.append((time.perf_counter() - t0) * 1e6)
        i += 1
    lat.sort()
    print(
        f"sync, 1 client:        {len(lat) / seconds:>9.0f} decisions/s  "
        f"p50 {statistics.median(lat):.0f} us  p99 {lat[int(len(lat) * 0.99)]:.0f} us"
    )


def bench_async(url: str, seconds: float, inflight: int = 64) -> None:
    async def main() -> int:
        pool = redis.asyncio.BlockingConnectionPool.from_url(
            url, max_connections=inflight
        )
        client = redis.asyncio.Redis(connection_pool=pool)
        await client.flushdb()
        limiter = AsyncRateLimiter(client, OPEN)
        end = time.perf_counter() + seconds
        done = 0

        async def worker(w: int) -> None:
            nonlocal done
            specs = tool_limits(OPEN, caller_identity(f"a{w}", SECRET), "search", "low")
            while time.perf_counter() < end:
                await limiter.hit(specs)
                done += 1

        await asyncio.gather(*(worker(w) for w in range(inflight)))
        await client.aclose()
        return done

    n = asyncio.run(main())
    print(f"async, {inflight} in flight:   {n / seconds:>9.0f} decisions/s")


def _proc_worker(url: str, seconds: float, start, out) -> None:
    client = redis.Redis.from_url(url)
    settings = RateLimitSettings(
        low=WindowLimit(limit=5000, window_seconds=60),
        global_per_key=WindowLimit(limit=1_000_000, window_seconds=3600),
    )
    limiter = RateLimiter(client, settings)
    specs = tool_limits(settings, caller_identity("shared", SECRET), "search", "low")
    start.wait()
    end = time.perf_counter() + seconds
    n = allowed = 0
    while time.perf_counter() < end:
        allowed += limiter.hit(specs).allowed
        n += 1
    out.put((n, allowed))


def bench_processes(url: str, seconds: float, procs: int = 4) -> None:
    redis.Redis.from_url(url).flushdb()
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(procs), ctx.Queue()
    ps = [
        ctx.Process(target=_proc_worker, args=(url, seconds, start, out))
        for _ in range(procs)
    ]
    for p in ps:
        p.start()
    results = [out.get(timeout=seconds + 60) for _ in ps]
    for p in ps:
        p.join()
    total = sum(n for n, _ in results)
    allowed = sum(a for _, a in results)
    print(
        f"{procs} processes, 1 key:  {total / seconds:>9.0f} decisions/s  "
        f"allowed {allowed} of {total} (limit 5000: exact = {allowed == min(5000, total)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    workdir = proc = None
    url = args.redis_url
    if url is None:
        workdir = Path(tempfile.mkdtemp(prefix="rlbench-"))
        proc, url = start_redis(workdir)
    try:
        print(f"sliding-window rate limit (Lua, 2 limits per call) on {url}")
        bench_sync(url, args.seconds)
        bench_async(url, args.seconds)
        bench_processes(url, args.seconds)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
