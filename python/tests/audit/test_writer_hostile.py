"""The audit writer under hostile clients: bad lines, idle and half-sent connections, floods."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from audit_helpers import (  # noqa: F401 (fixtures are used by name)
    WriterProc,
    make_record,
    short_dir_fixture,
    writer_factory_fixture,
    writer_fixture,
)

from aistack.audit.client import AuditClient
from aistack.audit.verify import verify_file

DEEP = b'{"a": ' + b"[" * 30_000 + b"]" * 30_000 + b"}\n"
HUGE_INT = b'{"latency_ms": ' + b"7" * 5_000 + b"}\n"


def exchange(sock_path: Path, payload: bytes, replies: int) -> list[dict]:
    async def main() -> list[dict]:
        reader, stream = await asyncio.open_unix_connection(str(sock_path), limit=1 << 20)
        try:
            stream.write(payload)
            await stream.drain()
            return [
                json.loads(await asyncio.wait_for(reader.readline(), 10)) for _ in range(replies)
            ]
        finally:
            stream.close()

    return asyncio.run(main())


@pytest.mark.parametrize(
    ("bad", "words"), [(DEEP, "nested deeper"), (HUGE_INT, "digits")], ids=["deep", "huge-int"]
)
def test_deep_or_huge_line_is_refused_and_the_next_record_acked(
    writer_factory: Callable[..., WriterProc], bad: bytes, words: str
) -> None:
    writer = writer_factory(max_record_bytes=1024 * 1024).start()
    good = json.dumps(make_record(1).to_json_dict()).encode() + b"\n"
    replies = exchange(writer.socket_path, bad + good, 2)
    assert replies[0]["ok"] is False and words in replies[0]["error"]
    assert replies[1] == {"ok": True, "seq": 1}
    assert "Traceback" not in writer.stderr()


def _damaged_log(writer: WriterProc, bad_line: bytes) -> None:
    async def send() -> None:
        async with AuditClient(writer.socket_path) as client:
            for i in range(2):
                await client.send(make_record(i))

    asyncio.run(send())
    writer.stop()
    with writer.log_path.open("ab") as log:
        log.write(bad_line)


@pytest.mark.parametrize(
    "bad", [DEEP, HUGE_INT, b'{"seq": "\xff"}\n'], ids=["deep", "huge-int", "bad-utf8"]
)
def test_verify_and_startup_name_the_bad_line(writer: WriterProc, bad: bytes) -> None:
    _damaged_log(writer, bad)
    proc = subprocess.run(
        [sys.executable, "-m", "aistack", "audit", "verify", str(writer.log_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["line"] == 3
    assert "line 3:" in proc.stderr
    assert verify_file(writer.log_path).bad_line == 3

    writer.start(wait=False)
    assert writer.wait_exit() == 1
    assert "Traceback" not in writer.stderr()
    assert "line 3:" in writer.stderr()


def test_idle_and_half_sent_connections_are_closed(
    writer_factory: Callable[..., WriterProc],
) -> None:
    writer = writer_factory(idle_timeout_s=0.5, line_timeout_s=0.5).start()
    with socket.socket(socket.AF_UNIX) as idle, socket.socket(socket.AF_UNIX) as half:
        idle.connect(str(writer.socket_path))
        half.connect(str(writer.socket_path))
        half.sendall(b'{"timestamp": "2026-')
        idle.settimeout(5)
        half.settimeout(5)
        assert idle.recv(100) == b""  # closed by the writer, without a word
        reply = half.makefile("rb").readline()
        assert b"not finished" in reply
    # A slow but steady client is not a half-sent one: each line arrives in time.
    good = json.dumps(make_record(1).to_json_dict()).encode() + b"\n"
    assert exchange(writer.socket_path, good, 1) == [{"ok": True, "seq": 1}]


def test_connection_cap_refuses_extra_clients_and_keeps_serving(
    writer_factory: Callable[..., WriterProc],
) -> None:
    writer = writer_factory(max_connections=20).start()
    time.sleep(0.3)  # the readiness probe's connection has gone
    holders = []
    try:
        for _ in range(60):  # three times the cap, all idle
            s = socket.socket(socket.AF_UNIX)
            s.connect(str(writer.socket_path))
            holders.append(s)
        time.sleep(0.5)
        refused = 0
        for s in holders:
            s.settimeout(0.2)
            try:
                data = s.recv(200)
            except TimeoutError:
                continue
            refused += b"too many connections" in data
        assert refused == 40
        # Once the idle ones go, a real client is served.
        for s in holders:
            s.close()
        holders.clear()
        time.sleep(0.3)
        good = json.dumps(make_record(1).to_json_dict()).encode() + b"\n"
        assert exchange(writer.socket_path, good, 1) == [{"ok": True, "seq": 1}]
    finally:
        for s in holders:
            s.close()
    # The refusals were logged, but not once per connection.
    refusal_lines = [ln for ln in writer.stderr().splitlines() if "audit_connection_refused" in ln]
    assert 1 <= len(refusal_lines) <= 10, len(refusal_lines)
    assert (
        any('"suppressed"' in ln for ln in writer.stderr().splitlines()) or len(refusal_lines) < 40
    )


def test_repeated_refusals_do_not_flood_the_log(writer: WriterProc) -> None:
    replies = exchange(writer.socket_path, b"garbage\n" * 500, 500)
    assert all(r["ok"] is False for r in replies)
    lines = [ln for ln in writer.stderr().splitlines() if "audit_record_rejected" in ln]
    assert 1 <= len(lines) <= 10, len(lines)
