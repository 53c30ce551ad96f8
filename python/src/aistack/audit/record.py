"""One audit record: what was called, by whom (keyed hash), with what (hash), and how it went."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from aistack.guard.identity import caller_identity

Outcome = Literal["ok", "error", "rate_limited", "risk_ack_refused", "rejected"]
_HEX64 = r"^[0-9a-f]{64}$"


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON bytes: sorted keys, no spaces, UTF-8, no NaN.

    Equal values always give equal bytes, so their hashes match on any host.
    Raises ``ValueError`` for values JSON cannot represent.
    """
    try:
        return json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode("utf-8")
    except TypeError as exc:
        raise ValueError(f"not JSON-serialisable: {exc}") from None


def parameters_hash(parameters: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of a tool call's parameters.

    The log proves *which* parameters were used without storing them: they
    may hold personal data or secrets.
    """
    return hashlib.sha256(canonical_json(parameters)).hexdigest()


class AuditRecord(BaseModel):
    """A tool call as the audit log keeps it; the writer accepts nothing else."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timestamp: AwareDatetime
    tool_name: str = Field(min_length=1, max_length=200)
    caller_identity: str = Field(pattern=_HEX64, description="HMAC-SHA256 of the API key")
    parameters_hash: str = Field(pattern=_HEX64)
    risk_tier: Literal["high", "medium", "low"]
    outcome: Outcome
    latency_ms: float = Field(ge=0, allow_inf_nan=False)

    def to_json_dict(self) -> dict[str, Any]:
        """The record as the JSON object that is chained and hashed."""
        return self.model_dump(mode="json")


def new_record(
    *,
    tool_name: str,
    api_key: str,
    identity_secret: str | bytes,
    parameters: Mapping[str, Any] | Any,
    risk_tier: Literal["high", "medium", "low"],
    outcome: Outcome,
    latency_ms: float,
    timestamp: datetime | None = None,
) -> AuditRecord:
    """Build a record from the raw call, hashing the key and the parameters."""
    return AuditRecord(
        timestamp=timestamp or datetime.now(UTC),
        tool_name=tool_name,
        caller_identity=caller_identity(api_key, identity_secret),
        parameters_hash=parameters_hash(parameters),
        risk_tier=risk_tier,
        outcome=outcome,
        latency_ms=latency_ms,
    )
