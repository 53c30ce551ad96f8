"""Fuzzing the GGUF reader and the whole verify-model check with hypothesis.

Every example must end in a report or one of the declared GGUFError types
(never another exception), within a per-example time limit, and with a
tracemalloc peak under MEMORY_BOUND whatever sizes the header claims.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import struct
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from gguf_factory import build_gguf, gguf_header, gguf_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aistack.models.gguf_reader import GGUFError, GGUFInfo, read_gguf
from aistack.models.safety import verify_model

MEMORY_BOUND = 8 * 1024 * 1024
HARD_TIMEOUT_S = 10
U64_EDGES = [0, 1, 2**16, 2**31, 2**32 - 1, 2**32, 2**62, 2**63 - 1, 2**63, 2**64 - 1]

FUZZ_SETTINGS = settings(
    max_examples=300,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow],
)


@functools.cache
def clean_file() -> bytes:
    return build_gguf(extra_strings={"general.license": "mit", "general.url": "https://x"})


@functools.cache
def count_like_offsets() -> tuple[int, ...]:
    """Positions holding a small little-endian u64: lengths and counts, mostly."""
    data = clean_file()
    return tuple(
        i
        for i in range(len(data) - 8)
        if data[i + 2 : i + 8] == bytes(6) and data[i : i + 2] != b"\x00\x00"
    )


@contextlib.contextmanager
def hard_timeout(seconds: int) -> Iterator[None]:
    """Fail a hung example instead of hanging the test run."""

    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeoutError(f"parse took longer than {seconds}s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def measured(fn: Callable[[], Any]) -> tuple[Any, int]:
    """Run ``fn`` under tracemalloc; returns (result or GGUFError, peak bytes)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with hard_timeout(HARD_TIMEOUT_S):
            try:
                result: Any = fn()
            except GGUFError as exc:
                result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def parse_as_file(data: bytes) -> tuple[Any, int]:
    """Parse ``data`` from a real file: a buffered ``read(n)`` allocates n bytes
    up front, so only a real file shows whether lengths are checked first."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.gguf"
        path.write_bytes(data)
        return measured(lambda: read_gguf(path, on_string=lambda k, r, a: None))


@st.composite
def mutated_gguf(draw: st.DrawFn) -> bytes:
    data = bytearray(clean_file())
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["byte", "u64", "u32", "delete", "insert", "truncate"]))
        if not data:
            break
        # Mostly past the magic and version: hypothesis favours small numbers,
        # and a broken magic ends the parse before anything interesting.
        low = 0 if draw(st.integers(0, 9)) == 0 else min(8, len(data) - 1)
        pos = draw(st.integers(low, len(data) - 1))
        if op == "byte":
            data[pos] = draw(st.integers(0, 255))
        elif op == "u64":
            # Aim most big values at real length/count fields.
            pos = draw(st.sampled_from(count_like_offsets())) if draw(st.booleans()) else pos
            data[pos : pos + 8] = struct.pack("<Q", draw(st.sampled_from(U64_EDGES)))
        elif op == "u32":
            data[pos : pos + 4] = struct.pack("<I", draw(st.integers(0, 2**32 - 1)))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        else:
            del data[pos:]
    return bytes(data)


@FUZZ_SETTINGS
@given(data=mutated_gguf())
def test_mutated_files_only_fail_cleanly(data: bytes) -> None:
    result, peak = parse_as_file(data)
    assert isinstance(result, GGUFInfo | GGUFError)
    assert peak < MEMORY_BOUND


@FUZZ_SETTINGS
@given(data=mutated_gguf())
def test_verify_model_on_mutated_files_always_reports(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.gguf"
        path.write_bytes(data)
        report, peak = measured(lambda: verify_model(path))
    assert isinstance(report, dict), report  # GGUFErrors become findings, never escape
    assert set(report) >= {"ok", "magic", "version", "findings", "sha256"}
    assert report["ok"] == (report["findings"] == [])
    assert peak < MEMORY_BOUND


@st.composite
def hostile_header(draw: st.DrawFn) -> bytes:
    """Structurally plausible headers whose counts and lengths are anything."""
    u64 = st.one_of(st.sampled_from(U64_EDGES), st.integers(0, 2**64 - 1), st.integers(0, 64))
    kv_count = draw(u64)
    body = gguf_header(draw(st.sampled_from([2, 3])), draw(u64), kv_count)
    for _ in range(draw(st.integers(0, 3))):
        body += struct.pack("<Q", draw(u64)) + draw(st.binary(max_size=16))  # key
        vtype = draw(st.one_of(st.integers(0, 13), st.integers(0, 2**32 - 1)))
        body += struct.pack("<I", vtype)
        for _ in range(draw(st.integers(0, 6))):  # array headers, possibly nested
            body += struct.pack("<IQ", draw(st.integers(0, 13)), draw(u64))
        body += draw(st.binary(max_size=64))
    return body + gguf_string(draw(st.binary(max_size=8)))


@FUZZ_SETTINGS
@given(data=hostile_header())
def test_claimed_sizes_never_allocate(data: bytes) -> None:
    result, peak = parse_as_file(data)
    assert isinstance(result, GGUFInfo | GGUFError)
    assert peak < MEMORY_BOUND
