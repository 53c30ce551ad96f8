"""Audit writer throughput: records acknowledged per second, every ack after fsync.

Starts the real writer (``python -m aistack.audit.writer``) on a Unix socket in
a temporary directory on the same filesystem as /tmp, sends records from 1, 4
and 16 concurrent clients, and prints records/s and ack latency. Under
concurrency the writer commits many records per fsync (group commit), so the
rate grows with clients while each ack still means "on disk". Ends with the
speed of ``verify_file`` over the log it wrote.

Run: ``python bench/audit_throughput.py [--records N] [--dir DIR]``
(``--dir`` on the disk you care about: fsync cost is the disk's).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aistack.audit.client import AuditClient
from aistack.audit.record import new_record
from aistack.audit.verify import verify_file

SECRET = b"bench-secret-" + b"0123456789abcdef"


def start_writer(workdir: Path) -> subprocess.Popen[bytes]:
    cfg = {
        "schema_version": 1,
        "socket_path": str(workdir / "audit.sock"),
        "log_path": str(workdir / "audit.log"),
    }
    (workdir / "audit.json").write_text(json.dumps(cfg))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aistack.audit.writer",
            "--config",
            str(workdir / "audit.json"),
            "--log-level",
            "warning",
        ],
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_UNIX) as s:
            try:
                s.connect(cfg["socket_path"])
                return proc
            except OSError:
                time.sleep(0.05)
    proc.kill()
    raise SystemExit("writer did not start")


async def run_clients(
    sock: Path, clients: int, per_client: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []

    async def one(c: int) -> None:
        async with AuditClient(sock) as client:
            for i in range(per_client):
                rec = new_record(
                    tool_name="search_docs",
                    api_key=f"bench-key-{c}",
                    identity_secret=SECRET,
                    parameters={"q": i, "client": c},
                    risk_tier="low",
                    outcome="ok",
                    latency_ms=1.0,
                )
                t0 = time.perf_counter()
                await client.send(rec)
                latencies.append((time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(c) for c in range(clients)))
    return time.perf_counter() - t0, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000, help="records per run")
    parser.add_argument("--dir", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="audbench-", dir=args.dir))
    proc = start_writer(workdir)
    try:
        print(f"audit writer throughput (fsync before every ack), log in {workdir}")
        print(
            f"{'clients':>7} {'records':>8} {'seconds':>8} {'records/s':>10} "
            f"{'ack p50 ms':>10} {'ack p99 ms':>10}"
        )
        for clients in (1, 4, 16):
            per_client = max(1, args.records // clients)
            secs, lat = asyncio.run(
                run_clients(workdir / "audit.sock", clients, per_client)
            )
            n = per_client * clients
            lat.sort()
            p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
            print(
                f"{clients:>7} {n:>8} {secs:>8.2f} {n / secs:>10.0f} "
                f"{statistics.median(lat):>10.2f} {p99:>10.2f}"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    log = workdir / "audit.log"
    t0 = time.perf_counter()
    result = verify_file(log)
    secs = time.perf_counter() - t0
    print(
        f"verify: {result.records} records, ok={result.ok}, {secs:.2f}s, "
        f"{result.records / secs:.0f} records/s, {log.stat().st_size / secs / 1e6:.1f} MB/s"
    )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
