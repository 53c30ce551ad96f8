"""Refuse URLs that HTTP clients could read as different hosts.

:func:`aistack.guard.ssrf.check_url` decides on *one* parse of a URL; the
request may later be made by another client (httpx, requests/urllib3, curl, a
browser's WHATWG parser). Those parsers disagree on exactly the corners an
attacker reaches for: ``http://127.0.0.1\\@example.com/`` is example.com to
httpx and 127.0.0.1 to urllib3 and WHATWG; ``http://a#@b/`` ends the authority
at ``#`` for RFC 3986 and at ``/`` for a naive splitter; ``%31%32%37.0.0.1``,
``0177.1`` and IDN spellings decode differently per client.

:func:`ambiguity` accepts only URLs whose authority every one of them parses
the same way, by a strict grammar rather than by comparing parsers:

* ``scheme://`` then the authority, ending at the first ``/``, ``?`` or ``#``
  (no text after ``scheme:`` other than exactly two slashes);
* no userinfo: no ``@`` before the first ``/`` after ``//`` (so neither
  ``user@host`` nor ``host?@other``/``host#@other``);
* no backslash, whitespace, control or non-ASCII character anywhere;
* host: a DNS name of LDH labels (1-63 characters each, 253 in all, no empty
  label, no trailing dot), a canonical dotted-quad IPv4 address, or a
  bracketed IPv6 literal without a zone id; no percent-encoding;
* port, when present: 1-5 digits, 1-65535 (no empty, zero, signed or
  non-numeric port).

Pure and dependency-free, so it costs nothing at import.
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["ambiguity"]

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_LABEL_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_QUAD_RE = re.compile(
    r"^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$"
)
_NUMERIC_TAIL_RE = re.compile(r"^(?:\d+|0[xX][0-9A-Fa-f]*)$")
_PORT_RE = re.compile(r"^\d{1,5}$")


def _host_problem(host: str) -> str | None:
    if not host:
        return "empty host"
    if host.startswith("["):
        if not host.endswith("]"):
            return "unclosed IPv6 bracket"
        inner = host[1:-1]
        if "%" in inner:
            return "IPv6 zone id in URL"
        try:
            ipaddress.IPv6Address(inner)
        except ValueError:
            return f"{host!r} is not an IPv6 address"
        return None
    if "%" in host:
        return "percent-encoded host"
    if host.endswith("."):
        return "trailing dot in host"
    if len(host) > 253:
        return "host longer than 253 characters"
    labels = host.split(".")
    if _NUMERIC_TAIL_RE.match(labels[-1]):
        # WHATWG and inet_aton read 127.1, 0x7f.1, 0177.0.0.1 and 2130706433
        # as IPv4 where other parsers see names or decimal quads.
        if not _QUAD_RE.match(host):
            return f"non-canonical IPv4 address {host!r}"
        return None
    for label in labels:
        if not label:
            return "empty label in host"
        if len(label) > 63:
            return "host label longer than 63 characters"
        if not _LABEL_RE.match(label):
            return f"host label {label[:63]!r} is not letters, digits and inner hyphens"
    return None


def ambiguity(url: str) -> str | None:
    """Why common HTTP clients might not agree on ``url``'s host and port, or None.

    ``None`` means the URL has a plain authority that httpx, urllib3,
    ``urllib.parse``, curl and WHATWG parsers read as the same host and port.
    """
    if not url.isascii():
        return "non-ASCII character in URL (IDN hosts must be given in xn-- form)"
    if any(c <= " " or c == "\x7f" for c in url):
        return "whitespace or control character in URL"
    if "\\" in url:
        return "backslash in URL"
    m = _SCHEME_RE.match(url)
    if m is None:
        return "no scheme"
    rest = url[m.end() :]
    if not rest.startswith("//") or rest.startswith("///"):
        return "scheme must be followed by exactly '//'"
    rest = rest[2:]
    slash = rest.find("/")
    head = rest if slash < 0 else rest[:slash]
    if "@" in head:
        return "userinfo or '@' before the path"
    end = len(head)
    for delim in "?#":
        i = head.find(delim)
        if i >= 0:
            end = min(end, i)
    authority = head[:end]
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            return "unclosed IPv6 bracket"
        host, tail = authority[: close + 1], authority[close + 1 :]
        if tail and not tail.startswith(":"):
            return "text after IPv6 literal"
        port = tail[1:] if tail else None
    else:
        host, sep, port_text = authority.partition(":")
        port = port_text if sep else None
        if port is not None and ":" in port:
            return "more than one ':' in authority"
    problem = _host_problem(host)
    if problem:
        return problem
    if port is not None:
        if not _PORT_RE.match(port):
            return f"port {port!r} is not 1-5 digits" if port else "empty port"
        if not 1 <= int(port) <= 65535:
            return f"port {int(port)} out of range 1-65535"
    return None
