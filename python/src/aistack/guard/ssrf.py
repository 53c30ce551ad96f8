"""SSRF guard for outbound HTTP requests made on behalf of data.

Two layers:

* :func:`check_url` -- a pure decision: scheme allowlist, host parsed in every
  spelling an HTTP stack or libc accepts (``2130706433``, ``0177.0.0.1``,
  ``0x7f000001``, ``127.1``, ``[::ffff:127.0.0.1]``, ``[fe80::1%25eth0]``,
  trailing dots), name resolved through an injectable resolver with a bounded
  wait, and *every* resolved address checked against the blocked ranges
  (loopback, RFC 1918 / ULA, link-local, CGNAT, multicast, unspecified,
  reserved, broadcast, benchmarking, documentation, cloud metadata), looking
  inside IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 addresses.
  A :class:`Policy` allowlist (``host:port``, ``IP:port`` or ``CIDR[:port]``)
  lets configured backends such as the local llama.cpp through; cloud
  metadata addresses are refused even then.
* :class:`SsrfGuardTransport` / :class:`AsyncSsrfGuardTransport` -- httpx
  transports that run the check on every request, including every redirect hop
  an httpx client follows, and then connect to the address that was checked:
  the request URL's host is rewritten to that IP (no second DNS lookup, so DNS
  rebinding cannot swap it), while the ``Host`` header and the TLS SNI /
  certificate check keep the original name. :func:`guarded_client` builds a
  client with the transport and without environment proxies (a proxy would
  make the connection on our behalf and bypass the pin).

httpx is imported lazily (only when a URL string is parsed or a transport is
built), so ``import aistack.guard.ssrf`` stays cheap.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aistack.common.events import log_event
from aistack.guard.ssrf_syntax import ambiguity

if TYPE_CHECKING:  # pragma: no cover
    import httpx

__all__ = [
    "AllowRule",
    "AsyncSsrfGuardTransport",  # noqa: F822 - built on first use by __getattr__
    "Decision",
    "Policy",
    "Resolver",
    "SsrfBlocked",
    "SsrfGuardTransport",  # noqa: F822 - built on first use by __getattr__
    "check_url",
    "classify_address",
    "guarded_client",  # noqa: F822 - built on first use by __getattr__
    "parse_host",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str], Sequence[str]]
"""Maps a host name (IDNA ASCII, no trailing dot) to IP address strings; raises OSError."""

DEFAULT_PORTS = {"http": 80, "https": 443}
LOGGER_NAME = "aistack.guard.ssrf"


class SsrfBlocked(Exception):
    """An outbound request refused by the SSRF guard; ``decision`` says why."""

    def __init__(self, url: str, decision: Decision) -> None:
        self.url = url
        self.decision = decision
        detail = f" ({decision.detail})" if decision.detail else ""
        super().__init__(f"outbound request to {url} blocked: {decision.reason}{detail}")


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict on one URL.

    ``reason`` is a stable code: ``public`` or ``allowlisted`` when allowed;
    ``scheme``, ``invalid_url``, ``invalid_host``, ``unresolvable``, ``metadata``,
    ``loopback``, ``private``, ``link_local``, ``cgnat``, ``multicast``,
    ``unspecified``, ``broadcast``, ``reserved``, ``benchmarking`` or
    ``documentation`` when blocked. ``addresses`` are the checked IPs, in the
    order a connection should try them; ``detail`` is for humans.
    """

    allowed: bool
    reason: str
    addresses: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True, slots=True)
class AllowRule:
    """One allowlist entry: a host name or a network, and a port (``None``: any)."""

    host: str | None = None
    network: IPNetwork | None = None
    port: int | None = None

    @classmethod
    def parse(cls, text: str) -> AllowRule:
        """Parse ``host:port``, ``1.2.3.4:port``, ``[::1]:port``, ``10.0.0.0/8[:port]``.

        ``*`` as the port, or no port, means any port. Raises ValueError.
        """
        spec = text.strip()
        if not spec:
            raise ValueError("empty allow rule")
        port_text: str | None = None
        if spec.startswith("["):
            end = spec.find("]")
            if end < 0:
                raise ValueError(f"allow rule {text!r}: missing ']'")
            host, rest = spec[1:end], spec[end + 1 :]
            if rest:
                if not rest.startswith(":"):
                    raise ValueError(f"allow rule {text!r}: expected ':PORT' after ']'")
                port_text = rest[1:]
        elif spec.count(":") >= 2:
            host = spec  # a bare IPv6 address or network: no port
        elif ":" in spec:
            host, port_text = spec.rsplit(":", 1)
        else:
            host = spec
        port: int | None = None
        if port_text not in (None, "*"):
            if not port_text or not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise ValueError(f"allow rule {text!r}: bad port {port_text!r}")
            port = int(port_text)
        try:
            network = ipaddress.ip_network(host.split("%", 1)[0], strict=False)
        except ValueError:
            name = host.lower().rstrip(".")
            if not name or not re.fullmatch(r"[a-z0-9_.\-]+", name):
                raise ValueError(f"allow rule {text!r}: bad host {host!r}") from None
            if _ends_in_number(name):
                raise ValueError(f"allow rule {text!r}: write the IP address plainly") from None
            return cls(host=name, port=port)
        return cls(network=network, port=port)

    def matches_name(self, host: str, port: int) -> bool:
        """True when this is a name rule for ``host`` and ``port``."""
        return self.host is not None and self.host == host and self.port in (None, port)

    def matches_address(self, addr: IPAddress, port: int) -> bool:
        """True when this is a network rule containing ``addr`` for ``port``."""
        if self.network is None or self.port not in (None, port):
            return False
        if addr.version != self.network.version:
            return False
        return addr in self.network


@dataclass(frozen=True, slots=True)
class Policy:
    """What outbound requests may do. Immutable; build one per service from its config."""

    schemes: frozenset[str] = frozenset({"https", "http"})
    allow: tuple[AllowRule, ...] = ()
    max_redirects: int = 5
    resolve_timeout: float = 2.0
    # Kept as data so a test or a config can add addresses; never emptied by default.
    metadata_addresses: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {
                "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
                "169.254.170.2",  # AWS ECS task metadata
                "169.254.169.123",  # AWS time sync
                "169.254.169.250",  # AWS DNS / Azure
                "100.100.100.200",  # Alibaba Cloud
                "168.63.129.16",  # Azure wire server (a public address!)
                "fd00:ec2::254",  # AWS IMDS over IPv6
                "fd00:ec2::23",  # AWS time sync over IPv6
            }
        )
    )

    @classmethod
    def from_config(
        cls,
        allow: Iterable[str] = (),
        schemes: Iterable[str] = ("https", "http"),
        max_redirects: int = 5,
        resolve_timeout: float = 2.0,
    ) -> Policy:
        """Build a policy from strings (as they come from a service's JSON config)."""
        scheme_set = frozenset(s.lower() for s in schemes)
        if not scheme_set:
            raise ValueError("at least one scheme must be allowed")
        if resolve_timeout <= 0:
            raise ValueError("resolve_timeout must be positive")
        return cls(
            schemes=scheme_set,
            allow=tuple(AllowRule.parse(a) for a in allow),
            max_redirects=max_redirects,
            resolve_timeout=resolve_timeout,
        )


# --- addresses ---------------------------------------------------------------

_V4_RANGES: tuple[tuple[ipaddress.IPv4Network, str], ...] = tuple(
    (ipaddress.IPv4Network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "unspecified"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "cgnat"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link_local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "reserved"),  # IETF protocol assignments
        ("192.0.2.0/24", "documentation"),
        ("192.31.196.0/24", "reserved"),  # AS112
        ("192.52.193.0/24", "reserved"),  # AMT
        ("192.88.99.0/24", "reserved"),  # 6to4 relay anycast
        ("192.168.0.0/16", "private"),
        ("192.175.48.0/24", "reserved"),  # AS112 direct delegation
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("255.255.255.255/32", "broadcast"),
        ("240.0.0.0/4", "reserved"),
    )
)

_V6_RANGES: tuple[tuple[ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.IPv6Network(net), reason)
    for net, reason in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("64:ff9b:1::/48", "reserved"),  # local-use NAT64: may embed anything
        ("100::/64", "reserved"),  # discard-only
        ("2001::/32", "reserved"),  # Teredo: tunnels to an obfuscated IPv4
        ("2001:2::/48", "benchmarking"),
        ("2001:10::/28", "reserved"),  # ORCHID
        ("2001:20::/28", "reserved"),  # ORCHIDv2
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "reserved"),  # SRv6 SIDs
        ("fc00::/7", "private"),
        ("fe80::/10", "link_local"),
        ("fec0::/10", "private"),  # deprecated site-local
        ("ff00::/8", "multicast"),
    )
)
_V6_GLOBAL = ipaddress.IPv6Network("2000::/3")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SIXTOFOUR = ipaddress.IPv6Network("2002::/16")
_V4_COMPAT = ipaddress.IPv6Network("::/96")
_SIIT = ipaddress.IPv6Network("::ffff:0:0:0/96")  # IPv4-translated


def _embedded_v4(addr: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, str] | None:
    """The IPv4 address an IPv6 address stands for, and how, if it embeds one."""
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped, "IPv4-mapped"
    value = int(addr)
    if addr in _SIIT:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF), "IPv4-translated"
    if addr in _NAT64:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF), "NAT64"
    if addr in _SIXTOFOUR:
        return ipaddress.IPv4Address((value >> 80) & 0xFFFFFFFF), "6to4"
    if addr in _V4_COMPAT and value > 1:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF), "IPv4-compatible"
    return None


def classify_address(
    addr: IPAddress, metadata: Iterable[str] = Policy().metadata_addresses
) -> tuple[str, str] | None:
    """Return ``(reason, detail)`` when ``addr`` must not be reached, else ``None``."""
    meta = frozenset(ipaddress.ip_address(m) for m in metadata)
    return _classify(addr, meta)


def _classify(addr: IPAddress, meta: frozenset[IPAddress]) -> tuple[str, str] | None:
    if addr in meta:
        return "metadata", f"{addr} is a cloud metadata address"
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.scope_id:
            addr = ipaddress.IPv6Address(addr.compressed.split("%", 1)[0])
        embedded = _embedded_v4(addr)
        if embedded is not None:
            v4, how = embedded
            inner = _classify(v4, meta)
            if inner is not None:
                return inner[0], f"{addr} is {how} {v4}: {inner[1]}"
            if addr in _NAT64 or addr in _SIXTOFOUR:
                return None  # a translated public IPv4
            # Mapped/compatible/translated forms of a public IPv4 are not
            # global IPv6 addresses; refuse them rather than guess the stack.
            return "reserved", f"{addr} is {how} {v4}; use the IPv4 address"
        for net, reason in _V6_RANGES:
            if addr in net:
                return reason, f"{addr} is in {net}"
        if addr not in _V6_GLOBAL:
            return "reserved", f"{addr} is outside global unicast 2000::/3"
        return None
    for net, reason in _V4_RANGES:
        if addr in net:
            return reason, f"{addr} is in {net}"
    return None


# --- host parsing ------------------------------------------------------------

_NUMBER_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)$")


def _ends_in_number(host: str) -> bool:
    """WHATWG URL 'ends in a number': the last label is digits or 0x-hex."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    return bool(_NUMBER_PART.match(parts[-1]))


def _parse_ipv4_number(part: str) -> int:
    if part[:2] in ("0x", "0X"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)  # raises ValueError on 8 or 9, as inet_aton refuses them
    return int(part, 10)


def _parse_ipv4_loose(host: str) -> ipaddress.IPv4Address:
    """Parse IPv4 the way inet_aton and the WHATWG URL standard do.

    Accepts 1-4 dot-separated parts, each decimal, octal (leading 0) or hex
    (0x); the last part fills the remaining bytes: ``127.1``, ``2130706433``,
    ``0x7f.0.0.1``. Raises ValueError for anything else that ends in a number.
    """
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not 1 <= len(parts) <= 4 or any(p == "" for p in parts):
        raise ValueError(f"{host!r} is not a valid IPv4 address")
    if not all(_NUMBER_PART.match(p) for p in parts):
        raise ValueError(f"{host!r} is not a valid IPv4 address")
    numbers = [_parse_ipv4_number(p) for p in parts]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(f"{host!r} is out of range for IPv4")
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def parse_host(host: str) -> tuple[str, IPAddress | None]:
    """Normalise a URL host: ``(name, None)`` for a DNS name, ``(text, ip)`` for a literal.

    Strips brackets, IPv6 zone ids and one trailing dot, lower-cases names,
    and reads every IPv4 spelling libc would. Raises ValueError on a host that
    ends in a number but is no valid address (as browsers do).
    """
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        bare = re.split(r"%(?:25)?", text, maxsplit=1)[0]
        try:
            return bare, ipaddress.IPv6Address(bare)
        except ValueError:
            raise ValueError(f"{host!r} is not a valid IPv6 address") from None
    name = text.lower()
    if name.endswith(".") and name != ".":
        name = name[:-1]
    if not name:
        raise ValueError("empty host")
    if _ends_in_number(name):
        return name, _parse_ipv4_loose(name)
    return name, None


# --- resolution --------------------------------------------------------------


def system_resolver(host: str) -> list[str]:
    """Resolve ``host`` with ``socket.getaddrinfo`` (TCP), addresses in its order."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen.setdefault(str(info[4][0]), None)
    return list(seen)


def _resolve_bounded(resolver: Resolver, host: str, timeout: float) -> list[str]:
    """Run ``resolver`` in a daemon thread and give up after ``timeout`` seconds.

    getaddrinfo cannot be interrupted; a lookup that hangs is abandoned (the
    thread ends when libc gives up) rather than holding the request.
    """
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = list(resolver(host))
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="ssrf-resolve", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"resolving {host!r} took longer than {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


# --- the decision ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    scheme: str
    host: str  # as written in the URL (unicode form), for messages
    name: str  # normalised: IDNA ASCII name or canonical IP text
    literal: IPAddress | None
    port: int


def _parse_target(url: Any, schemes: frozenset[str]) -> _Target | Decision:
    target = _parse_one(url, schemes)
    if isinstance(target, Decision):
        return target
    # Refuse what another client could send elsewhere, whichever client the
    # caller uses afterwards (see aistack.guard.ssrf_syntax).
    problem = ambiguity(str(url))
    if problem is not None:
        if target.literal is not None and (bad := classify_address(target.literal)):
            return Decision(
                False, bad[0], (str(target.literal),), f"{bad[1]}; ambiguous: {problem}"
            )
        known = _fallback_decision(str(url), f"ambiguous: {problem}")
        if known.reason != "invalid_url":
            return known  # say the danger when one reading of it is known
        return Decision(False, "ambiguous_url", (), problem)
    return target


def _parse_one(url: Any, schemes: frozenset[str]) -> _Target | Decision:
    if isinstance(url, str):
        import httpx  # lazy: only when a string must be parsed

        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            return _fallback_decision(url, str(exc))
    elif hasattr(url, "raw_host") and hasattr(url, "scheme"):
        parsed = url  # an httpx.URL, already parsed by the client that will connect
    else:
        raise TypeError(f"check_url() needs a str or httpx.URL, not {type(url).__name__}")
    scheme = parsed.scheme.lower()
    if scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        return Decision(False, "scheme", (), f"scheme {scheme!r} not in {{{allowed}}}")
    raw = parsed.raw_host.decode("ascii", "replace")
    if not raw:
        return Decision(False, "invalid_url", (), "no host in URL")
    try:
        name, literal = parse_host(raw)
    except ValueError as exc:
        return Decision(False, "invalid_host", (), str(exc))
    port = parsed.port or DEFAULT_PORTS.get(scheme, 0)
    try:
        shown = parsed.host
    except ValueError:  # an xn-- label that does not decode: show it as written
        shown = raw
    return _Target(scheme, shown, name, literal, port)


def _fallback_decision(url: str, error: str) -> Decision:
    """httpx refused the URL; say *why* it would be dangerous when we can tell."""
    try:
        host = urlsplit(url).hostname or ""
        _, literal = parse_host(host)
    except ValueError:
        literal = None
    if literal is not None:
        bad = classify_address(literal)
        if bad is not None:
            return Decision(False, bad[0], (str(literal),), f"{bad[1]} (URL also invalid: {error})")
    return Decision(False, "invalid_url", (), error)


def check_url(
    url: str | httpx.URL,
    resolver: Resolver | None = None,
    policy: Policy | None = None,
) -> Decision:
    """Decide whether an outbound request to ``url`` may be made, and to which addresses.

    ``resolver`` defaults to :func:`system_resolver`; its wait is bounded by
    ``policy.resolve_timeout``. All resolved addresses must pass (a DNS answer
    mixing public and internal addresses is refused, not filtered).
    """
    policy = policy or Policy()
    resolver = resolver or system_resolver
    target = _parse_target(url, policy.schemes)
    if isinstance(target, Decision):
        return target
    if target.port <= 0:
        return Decision(False, "invalid_url", (), "no port for this scheme")

    name_allowed = target.literal is None and any(
        r.matches_name(target.name, target.port) for r in policy.allow
    )
    if target.literal is not None:
        addresses: list[IPAddress] = [target.literal]
    else:
        try:
            raw_addrs = _resolve_bounded(resolver, target.name, policy.resolve_timeout)
        except (OSError, UnicodeError, ValueError) as exc:
            return Decision(False, "unresolvable", (), f"{target.name}: {exc}")
        addresses = []
        for a in raw_addrs:
            try:
                addresses.append(ipaddress.ip_address(str(a).split("%", 1)[0]))
            except ValueError:
                return Decision(False, "unresolvable", (), f"resolver returned {a!r}")
        if not addresses:
            return Decision(False, "unresolvable", (), f"{target.name}: no addresses")

    meta = frozenset(ipaddress.ip_address(m) for m in policy.metadata_addresses)
    texts = tuple(str(a) for a in addresses)
    via_rule = name_allowed
    for addr in addresses:
        bad = _classify(addr, meta)
        if bad is not None and bad[0] == "metadata":
            return Decision(False, "metadata", texts, bad[1])
        if name_allowed or any(r.matches_address(addr, target.port) for r in policy.allow):
            via_rule = True
            continue
        if bad is not None:
            where = "" if target.literal is not None else f"{target.name} -> "
            return Decision(False, bad[0], texts, f"{where}{bad[1]} (port {target.port})")
    return Decision(True, "allowlisted" if via_rule else "public", texts)


def _loggable(url: Any) -> str:
    """The URL without userinfo, query or fragment: never log credentials."""
    try:
        parts = urlsplit(str(url))
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"
    except ValueError:
        return "<unparseable url>"


# --- httpx transports ----------------------------------------------------------

_TRANSPORT_NAMES = ("SsrfGuardTransport", "AsyncSsrfGuardTransport", "guarded_client")
_TRANSPORT_SETTINGS = ("verify", "cert", "http1", "http2", "limits", "retries", "local_address")


def __getattr__(name: str) -> Any:
    # Build the httpx-based classes on first use so importing this module
    # does not import httpx (PEP 562).
    if name in _TRANSPORT_NAMES:
        return _httpx_parts()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _httpx_parts() -> dict[str, Any]:
    import anyio.to_thread
    import httpx

    class _Guard:
        """Check, log, and build the pinned request; shared by sync and async."""

        def __init__(
            self,
            policy: Policy | None,
            resolver: Resolver | None,
            logger: logging.Logger | None,
            max_hosts: int,
        ) -> None:
            self.policy = policy or Policy()
            self.resolver = resolver or system_resolver
            self.logger = logger or logging.getLogger(LOGGER_NAME)
            self.max_hosts = max_hosts
            self.lock = threading.Lock()

        def decide(self, request: httpx.Request) -> Decision:
            return check_url(request.url, self.resolver, self.policy)

        def pinned(self, request: httpx.Request, decision: Decision) -> tuple[str, httpx.Request]:
            if not decision.allowed:
                log_event(
                    self.logger,
                    "ssrf_blocked",
                    logging.WARNING,
                    url=_loggable(request.url),
                    method=request.method,
                    reason=decision.reason,
                    detail=decision.detail,
                )
                raise SsrfBlocked(_loggable(request.url), decision)
            ip = decision.addresses[0]
            original_host = request.url.raw_host.decode("ascii")
            headers = request.headers.copy()
            if "host" not in headers:
                headers["Host"] = request.url.netloc.decode("ascii")
            extensions = dict(request.extensions)
            is_name = parse_host(original_host)[1] is None
            if request.url.scheme == "https" and is_name:
                # Verify the certificate for, and send SNI of, the name asked
                # for, although the socket goes to the pinned address.
                extensions["sni_hostname"] = original_host.rstrip(".")
            pinned = httpx.Request(
                request.method,
                request.url.copy_with(host=ip),
                headers=headers,
                stream=request.stream,
                extensions=extensions,
            )
            # Connections are pooled by (scheme, IP, port); one pool per TLS
            # name keeps a connection verified for a.example from carrying a
            # request for b.example that happens to share its address.
            key = original_host.rstrip(".") if request.url.scheme == "https" else ""
            return key, pinned

    class _PinningTransport:
        """What both transports share: the guard, the inner transports' options,
        and one inner transport per TLS name (see ``_Guard.pinned``)."""

        def __init__(
            self,
            policy: Policy | None = None,
            *,
            resolver: Resolver | None = None,
            logger: logging.Logger | None = None,
            max_hosts: int = 64,
            **transport_kwargs: Any,
        ) -> None:
            if "proxy" in transport_kwargs or "uds" in transport_kwargs:
                raise ValueError("a proxy or a Unix socket would bypass the SSRF pin")
            self._guard = _Guard(policy, resolver, logger, max_hosts)
            self._kwargs = transport_kwargs
            self._inner: OrderedDict[str, Any] = OrderedDict()

        @property
        def policy(self) -> Policy:
            return self._guard.policy

    class SsrfGuardTransport(_PinningTransport, httpx.BaseTransport):
        """httpx transport that refuses blocked destinations and pins the checked IP.

        Extra keyword arguments go to each inner :class:`httpx.HTTPTransport`
        (``verify``, ``cert``, ``retries``, ``limits``...).
        """

        def _transport(self, key: str) -> httpx.HTTPTransport:
            evicted: list[httpx.HTTPTransport] = []
            with self._guard.lock:
                inner = self._inner.get(key)
                if inner is None:
                    inner = self._inner[key] = httpx.HTTPTransport(**self._kwargs)
                    while len(self._inner) > self._guard.max_hosts:
                        evicted.append(self._inner.popitem(last=False)[1])
                else:
                    self._inner.move_to_end(key)
            for old in evicted:
                old.close()
            return inner

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            decision = self._guard.decide(request)
            key, pinned = self._guard.pinned(request, decision)
            return self._transport(key).handle_request(pinned)

        def close(self) -> None:
            with self._guard.lock:
                inners = list(self._inner.values())
                self._inner.clear()
            for inner in inners:
                inner.close()

    class AsyncSsrfGuardTransport(_PinningTransport, httpx.AsyncBaseTransport):
        """Async twin of :class:`SsrfGuardTransport`; resolution runs in a worker thread."""

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            decision = await anyio.to_thread.run_sync(self._guard.decide, request)
            key, pinned = self._guard.pinned(request, decision)
            inner = self._inner.get(key)
            if inner is None:
                inner = self._inner[key] = httpx.AsyncHTTPTransport(**self._kwargs)
                while len(self._inner) > self._guard.max_hosts:
                    await self._inner.popitem(last=False)[1].aclose()
            else:
                self._inner.move_to_end(key)
            return await inner.handle_async_request(pinned)

        async def aclose(self) -> None:
            inners = list(self._inner.values())
            self._inner.clear()
            for inner in inners:
                await inner.aclose()

    def guarded_client(
        policy: Policy | None = None,
        *,
        resolver: Resolver | None = None,
        logger: logging.Logger | None = None,
        asynchronous: bool = False,
        **client_kwargs: Any,
    ) -> httpx.Client | httpx.AsyncClient:
        """An httpx client whose every request and redirect hop goes through the guard.

        Environment proxies are off (``trust_env=False``): a proxy connects on
        our behalf, so the pin would not hold. Redirects are followed up to
        ``policy.max_redirects``, each hop checked by the transport.
        """
        for bad in ("transport", "mounts", "proxy", "trust_env"):
            if bad in client_kwargs:
                raise ValueError(f"guarded_client does not accept {bad!r}")
        policy = policy or Policy()
        client_kwargs.setdefault("follow_redirects", True)
        client_kwargs.setdefault("max_redirects", policy.max_redirects)
        # A client given a transport ignores its own connection settings, so
        # hand them to the transport instead (TLS verification above all).
        transport_kwargs = {
            k: client_kwargs.pop(k) for k in _TRANSPORT_SETTINGS if k in client_kwargs
        }
        if asynchronous:
            return httpx.AsyncClient(
                transport=AsyncSsrfGuardTransport(
                    policy, resolver=resolver, logger=logger, **transport_kwargs
                ),
                trust_env=False,
                **client_kwargs,
            )
        return httpx.Client(
            transport=SsrfGuardTransport(
                policy, resolver=resolver, logger=logger, **transport_kwargs
            ),
            trust_env=False,
            **client_kwargs,
        )

    return {
        "SsrfGuardTransport": SsrfGuardTransport,
        "AsyncSsrfGuardTransport": AsyncSsrfGuardTransport,
        "guarded_client": guarded_client,
    }
