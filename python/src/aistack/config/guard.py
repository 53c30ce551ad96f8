"""Guard settings carried by the services that take untrusted input and call tools."""

from __future__ import annotations

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
