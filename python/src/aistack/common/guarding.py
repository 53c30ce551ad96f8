"""A service's guard state (rate limiter, risk policy, caller identities) from its config."""

from __future__ import annotations

from typing import Any

from aistack.config.guard import GuardSettings
from aistack.guard.api_keys import ApiKeyFileError, load_api_keys
from aistack.guard.deps import GuardState
from aistack.guard.keys import KeyFileError, read_key_file


def build_guard_state(
    settings: GuardSettings, redis: Any, metrics_registry: Any, service: str
) -> GuardState:
    """The :class:`GuardState` an app keeps on ``app.state.aistack_guard``.

    Reads the identity key and the API keys now, so a missing or exposed file
    stops the service at start-up (``KeyFileError``) rather than on the first call.
    """
    secret = read_key_file(settings.identity_key_file)
    api_keys = None
    if settings.api_keys_file is not None:
        try:
            api_keys = load_api_keys(settings.api_keys_file, secret)
        except ApiKeyFileError as exc:
            raise KeyFileError(str(exc)) from None
    return GuardState(
        redis=redis,
        identity_secret=secret,
        api_keys=api_keys,
        rate_limits=settings.rate_limits,
        risk=settings.risk,
        metrics_registry=metrics_registry,
        service=service,
    )
