"""Semantic checks for config values that a type alone does not catch.

Use the annotated types in any config model::

    host_name: HostName
    state_dir: AbsolutePath

Each raises ``ValueError`` with a reason; pydantic puts the field's name in
front, so ``aistack config check`` says ``field 'state_dir': ...``. The
checks are plain functions too (``check_host_name`` ...), for code that
validates outside a model.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

from pydantic import AfterValidator, Field

# RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
MAX_HOST_NAME = 253

# Networks broader than these are "the internet", not a destination to allow.
MIN_ALLOW_PREFIX = {4: 8, 6: 16}

# The schemes a caller-influenced request may use; anything else (file,
# gopher, ftp, an empty scheme) reads local files or speaks other protocols.
ALLOWED_SCHEMES = ("http", "https")


def check_host_name(value: str) -> str:
    """``value`` if it is an RFC 1123 host name; ``ValueError`` naming the problem."""
    if not value or len(value) > MAX_HOST_NAME:
        raise ValueError(f"a host name has 1 to {MAX_HOST_NAME} characters, got {len(value)}")
    for label in value.split("."):
        if not _LABEL.fullmatch(label):
            raise ValueError(
                f"{value!r} is not an RFC 1123 host name (labels of letters, digits and "
                "inner hyphens, 1-63 characters, separated by dots)"
            )
    return value


def check_absolute_path(value: str) -> str:
    """``value`` if it is an absolute path with no ``..``, NUL or line break."""
    if not value.startswith("/"):
        raise ValueError(f"must be an absolute path (start with '/'), got {value!r}")
    if any(c in value for c in "\0\n\r"):
        raise ValueError("must not contain NUL or line-break characters")
    if ".." in value.split("/"):
        raise ValueError(f"must not contain '..' segments, got {value!r}")
    return value


def check_allow_network(rule: str) -> str:
    """Refuse an outbound allow rule whose network covers (nearly) every address."""
    host = rule.strip()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else host
    elif host.count(":") < 2 and ":" in host:
        host = host.rsplit(":", 1)[0]
    try:
        network = ipaddress.ip_network(host.split("%", 1)[0], strict=False)
    except ValueError:
        return rule  # a host name: resolved and checked at request time
    floor = MIN_ALLOW_PREFIX[network.version]
    if network.prefixlen < floor:
        raise ValueError(
            f"allow rule {rule!r} covers /{network.prefixlen}: that is not one destination; "
            f"allow networks of /{floor} or narrower"
        )
    return rule


def check_scheme(value: str) -> str:
    """``value`` if it is one of :data:`ALLOWED_SCHEMES`."""
    if value not in ALLOWED_SCHEMES:
        raise ValueError(
            f"scheme {value!r} is not allowed; use one of: {', '.join(ALLOWED_SCHEMES)}"
        )
    return value


HostName = Annotated[str, Field(min_length=1), AfterValidator(check_host_name)]
AbsolutePath = Annotated[str, Field(pattern=r"^/"), AfterValidator(check_absolute_path)]
Scheme = Annotated[str, AfterValidator(check_scheme)]
