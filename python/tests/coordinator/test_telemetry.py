"""Telemetry: rotation with zstd, bounded archives, and a real nearly-full file system."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aistack.coordinator.telemetry import CURRENT, TelemetryWriter, read_archive

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_rotates_compresses_and_keeps_a_bounded_number(tmp_path: Path) -> None:
    writer = TelemetryWriter(tmp_path, rotate_bytes=8192, keep_files=3, disk_pressure_pct=100.0)
    records = [{"event": "interaction", "n": i, "pad": "x" * 200} for i in range(400)]
    for record in records:
        assert writer.write(record)
    writer.close()
    archives = writer.archives()
    assert len(archives) == 3
    assert all(p.stat().st_size < 8192 for p in archives)  # compressed
    assert not list(tmp_path.glob("telemetry-*.jsonl"))  # no uncompressed leftovers
    kept = [r for p in archives for r in read_archive(p)] + read_archive(tmp_path / CURRENT)
    numbers = [r["n"] for r in kept]
    # The newest records, in order, none lost between the kept files.
    assert numbers == list(range(numbers[0], 400))
    assert (tmp_path / CURRENT).stat().st_size <= 8192


def test_full_disk_stops_telemetry_and_logs_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class Usage:
        total, used = 100, 50

    usage = Usage()
    writer = TelemetryWriter(
        tmp_path, rotate_bytes=1 << 20, keep_files=2, disk_pressure_pct=90.0,
        check_interval_s=0.0, disk_usage=lambda _p: usage,
    )  # fmt: skip
    assert writer.write({"n": 1})
    usage.used = 95
    with caplog.at_level(logging.INFO):
        assert not writer.write({"n": 2})
        assert not writer.write({"n": 3})
        usage.used = 60
        assert writer.write({"n": 4})
    events = [getattr(r, "event", "") for r in caplog.records]
    assert events.count("disk_pressure") == 1 and events.count("disk_pressure_cleared") == 1
    writer.close()
    assert [r["n"] for r in read_archive(tmp_path / CURRENT)] == [1, 4]


# Runs in its own mount namespace with a 1 MiB tmpfs filled past 90%: the
# real statvfs of a real file system, and real ENOSPC if anything still wrote.
FULL_DISK = textwrap.dedent(
    """
    import json, logging, os, subprocess, sys
    from aistack.common.events import configure_json_logging
    from aistack.coordinator.telemetry import TelemetryWriter
    mnt = sys.argv[1]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt], check=True)
    with open(os.path.join(mnt, "filler"), "wb") as fh:
        fh.write(b"\\0" * (950 * 1024))
    configure_json_logging("info")
    w = TelemetryWriter(mnt + "/telemetry", rotate_bytes=4096, keep_files=2, disk_pressure_pct=90.0)
    results = [w.write({"n": i}) for i in range(100)]
    w.close()
    print(json.dumps({"written": results.count(True), "dropped": w.dropped,
                      "pct": w.disk_use_pct()}))
    """
)


def test_real_nearly_full_file_system(tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.fail("unshare not found: apt-get install -y util-linux")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    proc = subprocess.run(
        ["unshare", "--map-root-user", "--mount", sys.executable, "-c", FULL_DISK, str(mnt)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["pct"] > 90 and result["written"] == 0 and result["dropped"] == 100
    events = [
        json.loads(line).get("event") for line in proc.stderr.splitlines() if line.startswith("{")
    ]
    assert events.count("disk_pressure") == 1
