"""Helpers and fixtures for the audit tests: records, and the writer as a real subprocess.

Not a ``conftest.py``: a second module named ``conftest`` would shadow the
top-level one for tests that import from it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from aistack.audit.record import AuditRecord, new_record

SECRET = b"audit-test-secret-" + b"0123456789"


def make_record(i: int = 0, **overrides: Any) -> AuditRecord:
    """A valid record whose parameters (and so its hash) depend on ``i``."""
    fields: dict[str, Any] = dict(
        tool_name="search_docs",
        api_key="ak-" + secrets.token_hex(8),
        identity_secret=SECRET,
        parameters={"query": f"q{i}", "n": i},
        risk_tier="low",
        outcome="ok",
        latency_ms=1.25 + i,
    )
    fields.update(overrides)
    return new_record(**fields)


@dataclass
class WriterProc:
    """A running ``python -m aistack.audit.writer`` and its files."""

    dir: Path
    config: dict[str, Any]
    proc: subprocess.Popen[bytes] | None = None
    stderr_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.stderr_path = self.dir / "writer.stderr"

    @property
    def socket_path(self) -> Path:
        return Path(self.config["socket_path"])

    @property
    def log_path(self) -> Path:
        return Path(self.config["log_path"])

    def start(self, wait: bool = True) -> WriterProc:
        cfg = self.dir / "audit.json"
        cfg.write_text(json.dumps(self.config))
        with open(self.stderr_path, "ab") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "aistack.audit.writer", "--config", str(cfg)],
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 15.0) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"writer exited {self.proc.returncode}: {self.stderr()}")
            with socket.socket(socket.AF_UNIX) as s:
                try:
                    s.connect(str(self.socket_path))
                    return
                except OSError:
                    pass
            time.sleep(0.05)
        raise AssertionError(f"writer not ready after {timeout}s: {self.stderr()}")

    def wait_exit(self, timeout: float = 15.0) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)

    def stop(self) -> int:
        """SIGTERM and wait; returns the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=15)

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=15)

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(x) for x in self.log_path.read_bytes().splitlines()]


@pytest.fixture(name="short_dir")
def short_dir_fixture() -> Iterator[Path]:
    """A directory with a short path: Unix socket paths are limited to 107 bytes."""
    d = Path(tempfile.mkdtemp(prefix="aud-", dir="/tmp"))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(name="writer_factory")
def writer_factory_fixture(short_dir: Path) -> Iterator[Callable[..., WriterProc]]:
    """Build (not start) writers in ``short_dir``; all are stopped at the end."""
    made: list[WriterProc] = []

    def make(**config: Any) -> WriterProc:
        cfg = {
            "schema_version": 1,
            "socket_path": str(short_dir / "audit.sock"),
            "log_path": str(short_dir / "audit.log"),
        }
        cfg.update(config)
        w = WriterProc(dir=short_dir, config=cfg)
        made.append(w)
        return w

    yield make
    for w in made:
        if w.proc is not None and w.proc.poll() is None:
            w.proc.kill()
            w.proc.wait(timeout=10)


@pytest.fixture(name="writer")
def writer_fixture(writer_factory: Callable[..., WriterProc]) -> WriterProc:
    """A started writer with the default config."""
    return writer_factory().start()
