"""Caller identity: a keyed hash of the API key, safe to store and log.

Rate-limit keys in Redis and audit records name the caller by
``HMAC-SHA256(server_secret, api_key)`` rather than by the key itself, so a
Redis dump, a log file or an audit line never reveals a usable credential, and
an attacker who reads them cannot test guesses offline without the secret
(a plain SHA-256 of a low-entropy key could be brute-forced).
"""

from __future__ import annotations

import hashlib
import hmac

# Shorter secrets make the keyed hash guessable; 16 bytes is the floor.
MIN_SECRET_BYTES = 16


def _secret_bytes(secret: str | bytes) -> bytes:
    raw = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if len(raw) < MIN_SECRET_BYTES:
        raise ValueError(
            f"identity secret must be at least {MIN_SECRET_BYTES} bytes, got {len(raw)}"
        )
    return raw


def caller_identity(api_key: str, secret: str | bytes) -> str:
    """Return the 64-hex-digit HMAC-SHA256 of ``api_key`` under ``secret``.

    The same key and secret always give the same identity, across processes
    and hosts, so every worker counts one caller against one limit.
    Raises ``ValueError`` on an empty key or a secret shorter than 16 bytes.
    """
    if not api_key:
        raise ValueError("api_key must not be empty")
    return hmac.new(_secret_bytes(secret), api_key.encode("utf-8"), hashlib.sha256).hexdigest()
