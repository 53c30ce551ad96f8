"""``aistack guard url URL...``: would the SSRF guard let a request to each URL through?

URLs come from the arguments or, when there are none, from stdin (one per
line; blank lines and ``#`` comments skipped). One JSON line per URL:
``{"url", "allowed", "reason", "detail", "addresses"}``.

``--resolve HOST=IP[,IP...]`` (or curl's ``HOST:PORT:IP``; the port is
ignored) pins a name so DNS cases can be checked offline; ``--no-dns`` makes
every other name unresolvable instead of asking the system resolver, whose
wait is bounded by ``--timeout``. ``--allow HOST:PORT`` (or ``IP:PORT``,
``CIDR[:PORT]``) allowlists a backend, as a service config does.

Exit 0 when every URL is allowed, 1 when any is blocked, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys

from aistack.cli.streams import EX_FOUND, EX_USAGE, write_jsonl


def _pin(spec: str) -> tuple[str, list[str]]:
    """Parse ``HOST=IP[,IP]`` or ``HOST:PORT:IP[,IP]`` into (host, [ip, ...])."""
    if "=" in spec:
        host, _, addrs = spec.partition("=")
    else:
        parts = spec.split(":", 2)
        if len(parts) != 3 or not parts[1].isdigit():
            raise argparse.ArgumentTypeError(f"{spec!r}: expected HOST=IP or HOST:PORT:IP")
        host, _, addrs = parts
    host = host.strip().lower().rstrip(".")
    if not host:
        raise argparse.ArgumentTypeError(f"{spec!r}: empty host")
    ips: list[str] = []
    for raw in addrs.split(","):
        text = raw.strip().removeprefix("[").removesuffix("]")
        try:
            ips.append(str(ipaddress.ip_address(text)))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{spec!r}: {raw.strip()!r} is not an IP") from None
    return host, ips


def _allow(spec: str) -> str:
    from aistack.guard.ssrf import AllowRule

    try:
        AllowRule.parse(spec)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return spec


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 60:
        raise argparse.ArgumentTypeError("timeout must be in (0, 60] seconds")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack guard url``."""
    parser = sub.add_parser(
        "url",
        help="check URLs against the SSRF guard",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument("urls", nargs="*", metavar="URL", help="URLs (default: stdin)")
    parser.add_argument(
        "--resolve",
        action="append",
        type=_pin,
        default=[],
        metavar="HOST=IP",
        help="pin HOST to IP (repeatable; also HOST:PORT:IP)",
    )
    parser.add_argument(
        "--allow",
        action="append",
        type=_allow,
        default=[],
        metavar="HOST:PORT",
        help="allowlist a backend: HOST:PORT, IP:PORT or CIDR[:PORT] (repeatable)",
    )
    parser.add_argument(
        "--scheme",
        action="append",
        default=None,
        help="allowed scheme (repeatable; default: https and http)",
    )
    parser.add_argument(
        "--no-dns", action="store_true", help="names not pinned by --resolve are unresolvable"
    )
    parser.add_argument(
        "--timeout",
        type=_positive,
        default=2.0,
        help="seconds to wait for a DNS answer (default 2)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check each URL; returns the exit code."""
    from aistack.guard.ssrf import Policy, check_url, system_resolver

    pins: dict[str, list[str]] = {}
    for host, ips in args.resolve:
        pins.setdefault(host, []).extend(ip for ip in ips if ip not in pins.get(host, []))
    no_dns = args.no_dns

    def resolver(host: str) -> list[str]:
        if host in pins:
            return pins[host]
        if no_dns:
            raise OSError("not pinned with --resolve (--no-dns)")
        return system_resolver(host)

    try:
        policy = Policy.from_config(
            allow=args.allow,
            schemes=args.scheme or ("https", "http"),
            resolve_timeout=args.timeout,
        )
    except ValueError as exc:
        print(f"aistack guard url: {exc}", file=sys.stderr)
        return EX_USAGE

    if args.urls:
        urls = list(args.urls)
    elif sys.stdin.isatty():
        print("aistack guard url: no URL given (arguments or stdin)", file=sys.stderr)
        return EX_USAGE
    else:
        try:
            urls = [
                line.strip()
                for line in sys.stdin
                if line.strip() and not line.lstrip().startswith("#")
            ]
        except UnicodeDecodeError as exc:
            print(f"aistack guard url: stdin is not UTF-8 ({exc.reason})", file=sys.stderr)
            return EX_USAGE
        if not urls:
            print("aistack guard url: no URL given (arguments or stdin)", file=sys.stderr)
            return EX_USAGE

    blocked = 0
    for url in urls:
        decision = check_url(url, resolver, policy)
        blocked += not decision.allowed
        write_jsonl(
            sys.stdout,
            {
                "url": url,
                "allowed": decision.allowed,
                "reason": decision.reason,
                "detail": decision.detail,
                "addresses": list(decision.addresses),
            },
        )
    return EX_FOUND if blocked else 0
