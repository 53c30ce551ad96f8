"""A service's guard state (rate limiter, risk policy, caller identities) from its config."""

from __future__ import annotations

from typing import Any

from aistack.config.guard import GuardSettings
from aistack.guard.deps import GuardState
from aistack.guard.keys import read_key_file


def build_guard_state(
    settings: GuardSettings, redis: Any, metrics_registry: Any, service: str
) -> GuardState:
    """The :class:`GuardState` an app keeps on ``app.state.aistack_guard``.

    Reads the identity key now, so a missing or exposed key stops the service
    at start-up (``KeyFileError``) rather than on the first call.
    """
    return GuardState(
        redis=redis,
        identity_secret=read_key_file(settings.identity_key_file),
        rate_limits=settings.rate_limits,
        risk=settings.risk,
        metrics_registry=metrics_registry,
        service=service,
    )
