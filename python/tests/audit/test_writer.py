"""The audit writer as a real subprocess on a real Unix socket."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from audit_helpers import (  # noqa: F401 (fixtures are used by name)
    WriterProc,
    make_record,
    short_dir_fixture,
    writer_factory_fixture,
    writer_fixture,
)

from aistack.audit.chain import GENESIS_HASH
from aistack.audit.client import AuditClient, AuditError, AuditRejected
from aistack.audit.verify import verify_file


async def _raw_exchange(sock_path: Path, payloads: list[bytes], replies: int) -> list[dict]:
    reader, stream = await asyncio.open_unix_connection(str(sock_path))
    try:
        for p in payloads:
            stream.write(p)
            await stream.drain()
        return [json.loads(await asyncio.wait_for(reader.readline(), 10)) for _ in range(replies)]
    finally:
        stream.close()


def test_acked_records_are_chained_in_order(writer: WriterProc) -> None:
    records = [make_record(i) for i in range(20)]

    async def main() -> list[int]:
        async with AuditClient(writer.socket_path) as client:
            return [await client.send(r) for r in records]

    assert asyncio.run(main()) == list(range(1, 21))
    lines = writer.lines()
    assert [x["seq"] for x in lines] == list(range(1, 21))
    assert [x["record"] for x in lines] == [r.to_json_dict() for r in records]
    assert lines[0]["prev"] == GENESIS_HASH
    result = verify_file(writer.log_path)
    assert result.ok and result.records == 20 and result.head == lines[-1]["hash"]
    # Who may send records is decided by the socket's mode (default 0660).
    assert stat.S_IMODE(os.stat(writer.socket_path).st_mode) == 0o660


def test_garbage_does_not_break_the_connection_or_the_server(writer: WriterProc) -> None:
    good = json.dumps(make_record(1).to_json_dict()).encode() + b"\n"
    extra = dict(make_record(2).to_json_dict(), injected="x")
    garbage = [
        b"not json at all\n",
        b"{}\n",
        b"[1, 2, 3]\n",
        b"\xff\xfe\x00binary\n",
        json.dumps(extra).encode() + b"\n",
        json.dumps(dict(make_record(3).to_json_dict(), caller_identity="raw-api-key")).encode()
        + b"\n",
        json.dumps(dict(make_record(4).to_json_dict(), timestamp="2026-01-01T00:00:00")).encode()
        + b"\n",
    ]
    replies = asyncio.run(_raw_exchange(writer.socket_path, [*garbage, good], len(garbage) + 1))
    assert all(r["ok"] is False and r["error"] for r in replies[:-1])
    assert "not JSON" in replies[0]["error"]
    assert "injected" in replies[4]["error"]
    assert "caller_identity" in replies[5]["error"]
    assert "timestamp" in replies[6]["error"]  # a naive timestamp is refused
    assert replies[-1] == {"ok": True, "seq": 1}
    # A client that vanishes mid-line hurts nobody either.
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(writer.socket_path))
        s.sendall(b'{"timestamp": "2026-')
    assert writer.proc is not None and writer.proc.poll() is None
    again = asyncio.run(_raw_exchange(writer.socket_path, [good], 1))
    assert again == [{"ok": True, "seq": 2}]
    assert verify_file(writer.log_path).records == 2


def test_oversize_lines_are_refused_without_buffering_them(
    writer_factory: Callable[..., WriterProc],
) -> None:
    w = writer_factory(max_record_bytes=4096).start()
    assert w.proc is not None
    proc = psutil.Process(w.proc.pid)
    good = json.dumps(make_record(1).to_json_dict()).encode() + b"\n"

    async def main() -> tuple[list[dict], int]:
        reader, stream = await asyncio.open_unix_connection(str(w.socket_path))
        rss_before = proc.memory_info().rss
        # 48 MiB with no newline, then the newline, then a good record.
        chunk = b"A" * (1 << 20)
        for _ in range(48):
            stream.write(chunk)
            await stream.drain()
        stream.write(b"\n" + b"B" * 5000 + b"\n" + good)
        await stream.drain()
        replies = [json.loads(await asyncio.wait_for(reader.readline(), 10)) for _ in range(3)]
        growth = proc.memory_info().rss - rss_before
        stream.close()
        return replies, growth

    replies, growth = asyncio.run(main())
    assert replies[0]["ok"] is False and "longer than 4096" in replies[0]["error"]
    assert replies[1]["ok"] is False and "longer than 4096" in replies[1]["error"]
    assert replies[2] == {"ok": True, "seq": 1}
    assert growth < 8 * 1024 * 1024, f"writer grew by {growth} bytes on a 48 MiB line"
    assert w.lines()[0]["record"] == json.loads(good)


def test_concurrent_clients_share_one_chain(writer: WriterProc) -> None:
    clients, per_client = 8, 40

    async def one(c: int) -> list[tuple[int, dict]]:
        out = []
        async with AuditClient(writer.socket_path) as client:
            for i in range(per_client):
                rec = make_record(c * 1000 + i)
                out.append((await client.send(rec), rec.to_json_dict()))
        return out

    async def main() -> list[list[tuple[int, dict]]]:
        return await asyncio.gather(*(one(c) for c in range(clients)))

    results = asyncio.run(main())
    seqs = [s for res in results for s, _ in res]
    assert sorted(seqs) == list(range(1, clients * per_client + 1))
    by_seq = {x["seq"]: x["record"] for x in writer.lines()}
    for res in results:
        assert [s for s, _ in res] == sorted(s for s, _ in res)  # each client's acks in order
        for s, rec in res:
            assert by_seq[s] == rec
    assert verify_file(writer.log_path).ok


def test_kill_9_loses_no_acknowledged_record(writer: WriterProc) -> None:
    acked: dict[int, dict] = {}

    async def client_loop(c: int) -> None:
        async with AuditClient(writer.socket_path, timeout=5) as client:
            for i in range(100_000):
                rec = make_record(c * 1_000_000 + i)
                try:
                    seq = await client.send(rec)
                except AuditError:
                    return  # the writer is gone
                acked[seq] = rec.to_json_dict()

    async def killer() -> None:
        while len(acked) < 300:
            await asyncio.sleep(0.001)
        writer.kill9()  # while six clients are mid-stream

    async def main() -> None:
        await asyncio.gather(killer(), *(client_loop(c) for c in range(6)))

    asyncio.run(main())
    assert len(acked) >= 300
    result = verify_file(writer.log_path)
    assert result.ok, result
    on_disk = {x["seq"]: x["record"] for x in writer.lines()}
    missing = [s for s in acked if on_disk.get(s) != acked[s]]
    assert not missing, f"{len(missing)} acknowledged records not on disk: {missing[:5]}"
    # The next writer continues the same chain.
    writer.start()

    async def one_more() -> int:
        async with AuditClient(writer.socket_path) as client:
            return await client.send(make_record(-1))

    assert asyncio.run(one_more()) == result.records + 1
    assert verify_file(writer.log_path).records == result.records + 1


def test_restart_continues_the_chain_and_client_reconnects(writer: WriterProc) -> None:
    async def main() -> list[int]:
        seqs = []
        async with AuditClient(writer.socket_path) as client:
            for i in range(3):
                seqs.append(await client.send(make_record(i)))
            assert writer.stop() == 0
            assert not writer.socket_path.exists()  # a clean stop removes its socket
            with pytest.raises(AuditError):
                await client.send(make_record(99))
            writer.start()
            # Same client object: the dead connection is replaced.
            for i in range(3, 6):
                seqs.append(await client.send(make_record(i)))
        return seqs

    assert asyncio.run(main()) == [1, 2, 3, 4, 5, 6]
    assert verify_file(writer.log_path).records == 6


def test_torn_last_line_is_repaired(writer: WriterProc) -> None:
    async def send(n: int) -> list[int]:
        async with AuditClient(writer.socket_path) as client:
            return [await client.send(make_record(i)) for i in range(n)]

    asyncio.run(send(3))
    writer.stop()
    intact = writer.log_path.read_bytes()
    # What a crash in the middle of write() leaves: part of a line, no newline.
    with open(writer.log_path, "ab") as f:
        f.write(b'{"hash":"ab12","prev":"')
    writer.start()
    assert "audit_tail_repaired" in writer.stderr()
    assert writer.log_path.read_bytes() == intact
    assert asyncio.run(send(1)) == [4]
    assert verify_file(writer.log_path).records == 4


def test_broken_tail_refuses_to_start(writer: WriterProc) -> None:
    async def send(n: int) -> None:
        async with AuditClient(writer.socket_path) as client:
            for i in range(n):
                await client.send(make_record(i))

    asyncio.run(send(3))
    writer.stop()
    lines = writer.log_path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"outcome":"ok"', b'"outcome":"error"')
    writer.log_path.write_bytes(b"".join(lines))
    writer.start(wait=False)
    assert writer.wait_exit() == 1
    err = writer.stderr()
    assert "refusing to append" in err and "line 3" in err and "hash" in err


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ({"socket_path": "relative.sock"}, "socket_path"),
        ({"log_path": None}, "log_path"),
        ({"schema_version": 2}, "schema_version"),
        ({"max_record_bytes": 10}, "max_record_bytes"),
        ({"colour": "blue"}, "colour"),
        ({"socket_path": "/tmp/" + "x" * 120}, "socket_path"),
    ],
)
def test_bad_config_exits_78_naming_the_field(
    writer_factory: Callable[..., WriterProc], config: dict, needle: str
) -> None:
    w = writer_factory(**config)
    w.start(wait=False)
    assert w.wait_exit() == 78
    assert needle in w.stderr()


def test_second_writer_is_refused(writer: WriterProc, writer_factory) -> None:
    twin = writer_factory()
    twin.start(wait=False)
    assert twin.wait_exit() == 1
    assert "listening" in twin.stderr() or "locked" in twin.stderr()
    other_socket = writer_factory(socket_path=str(writer.dir / "other.sock"))
    other_socket.start(wait=False)
    assert other_socket.wait_exit() == 1
    assert "locked by another audit writer" in other_socket.stderr()

    async def send() -> int:
        async with AuditClient(writer.socket_path) as client:
            return await client.send(make_record(1))

    assert asyncio.run(send()) == 1  # the first writer is untouched


def test_syslog_forwarding(writer_factory: Callable[..., WriterProc], short_dir: Path) -> None:
    dev_log = short_dir / "dev-log"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as syslogd:
        syslogd.bind(str(dev_log))
        syslogd.settimeout(10)
        w = writer_factory(syslog=True, syslog_address=str(dev_log)).start()

        async def send() -> int:
            async with AuditClient(w.socket_path) as client:
                return await client.send(make_record(7))

        assert asyncio.run(send()) == 1
        datagram = syslogd.recv(65536).decode()
    line = w.log_path.read_text().rstrip("\n")
    assert datagram.startswith("<")  # syslog priority
    assert "aistack-audit: " + line in datagram
    w.stop()


def test_syslog_unreachable_is_logged_not_fatal(
    writer_factory: Callable[..., WriterProc], short_dir: Path
) -> None:
    w = writer_factory(syslog=True, syslog_address=str(short_dir / "no-syslog")).start()

    async def send() -> int:
        async with AuditClient(w.socket_path) as client:
            return await client.send(make_record(7))

    assert asyncio.run(send()) == 1  # the file still gets the record
    assert w.stop() == 0
    err = w.stderr()
    assert "audit_syslog_unavailable" in err and "audit_syslog_failed" in err
    assert verify_file(w.log_path).records == 1


def test_client_errors(short_dir: Path, writer: WriterProc) -> None:
    async def main() -> None:
        with pytest.raises(AuditError, match="cannot reach"):
            await AuditClient(short_dir / "nobody.sock", timeout=1).send(make_record(0))
        async with AuditClient(writer.socket_path) as client:
            with pytest.raises(ValueError):  # refused before it leaves the process
                await client.send({"tool_name": "x"})
            assert await client.send(make_record(0).to_json_dict()) == 1

    asyncio.run(main())
    assert AuditRejected.__mro__[1] is AuditError
