"""Audit records: hashing of parameters and identities, and what the model refuses."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

import pytest
from audit_helpers import SECRET, make_record
from pydantic import ValidationError

from aistack.audit.config import AuditWriterConfig
from aistack.audit.record import AuditRecord, canonical_json, new_record, parameters_hash
from aistack.guard.identity import caller_identity


def test_parameters_hash_ignores_key_order_and_spacing() -> None:
    a = {"query": "nixos", "filters": {"b": 2, "a": [1, "é"]}}
    b = {"filters": {"a": [1, "é"], "b": 2}, "query": "nixos"}
    assert parameters_hash(a) == parameters_hash(b)
    expected = hashlib.sha256(
        '{"filters":{"a":[1,"é"],"b":2},"query":"nixos"}'.encode()
    ).hexdigest()
    assert parameters_hash(a) == expected
    assert parameters_hash(a) != parameters_hash({**a, "query": "nixos "})


def test_parameters_that_are_not_json_are_an_error() -> None:
    with pytest.raises(ValueError):
        parameters_hash({"x": object()})
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_new_record_hashes_the_key_and_never_stores_it() -> None:
    api_key = "sk-test-" + secrets.token_hex(16)
    rec = new_record(
        tool_name="run_shell_command",
        api_key=api_key,
        identity_secret=SECRET,
        parameters={"cmd": "ls"},
        risk_tier="high",
        outcome="ok",
        latency_ms=12.5,
    )
    assert rec.caller_identity == caller_identity(api_key, SECRET)
    assert api_key not in canonical_json(rec.to_json_dict()).decode()
    assert rec.timestamp.tzinfo is not None
    # The key only maps to the same identity under the same secret.
    assert rec.caller_identity != caller_identity(api_key, b"another-secret-0123456789")


@pytest.mark.parametrize(
    "change",
    [
        {"extra": 1},
        {"caller_identity": "not-a-hash"},
        {"parameters_hash": "A" * 64},
        {"risk_tier": "critical"},
        {"outcome": "maybe"},
        {"latency_ms": -1},
        {"latency_ms": float("inf")},
        {"tool_name": ""},
        {"timestamp": datetime(2026, 1, 1)},  # naive: refused
    ],
)
def test_record_refuses_bad_fields(change: dict) -> None:
    good = make_record(1).model_dump()
    with pytest.raises(ValidationError):
        AuditRecord.model_validate({**good, **change})


def test_record_round_trips_through_json() -> None:
    rec = make_record(3, timestamp=datetime(2026, 11, 26, 1, 2, 3, 456789, tzinfo=UTC))
    assert AuditRecord.model_validate(rec.to_json_dict()) == rec
    assert rec.to_json_dict()["timestamp"] == "2026-11-26T01:02:03.456789Z"


def test_identity_rejects_weak_input() -> None:
    with pytest.raises(ValueError):
        caller_identity("", SECRET)
    with pytest.raises(ValueError):
        caller_identity("key", b"short")


def test_writer_config_defaults() -> None:
    cfg = AuditWriterConfig.model_validate(
        {
            "schema_version": 1,
            "socket_path": "/run/aistack/audit.sock",
            "log_path": "/var/lib/aistack/audit/audit.log",
        }
    )
    assert cfg.syslog is False and cfg.max_record_bytes == 65536
    assert cfg.socket_mode_int == 0o660
