"""SSRF guard: the decision in every spelling, and the httpx transport against real servers."""

from __future__ import annotations

import ipaddress
import json
import logging
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aistack.guard.ssrf import (
    AllowRule,
    Policy,
    SsrfBlocked,
    check_url,
    classify_address,
    guarded_client,
    parse_host,
)


def table_resolver(table: dict[str, list[str]]):
    """An offline resolver: names in ``table`` resolve, anything else is NXDOMAIN."""

    def resolve(host: str) -> list[str]:
        if host in table:
            return table[host]
        raise OSError(f"{host}: name not known")

    return resolve


OFFLINE = table_resolver({})

# --- the decision --------------------------------------------------------------

LOOPBACK_SPELLINGS = [
    "http://127.0.0.1/",
    "http://2130706433/",  # decimal
    "http://0177.0.0.1/",  # octal (httpx refuses it, curl/libc accept it)
    "http://0x7f000001/",  # hex
    "http://0x7f.0.0.1/",  # hex first octet
    "http://0x7F.1/",  # hex + short form
    "http://127.1/",  # short form
    "http://127.0.1/",
    "http://127.0.0.1./",  # trailing dot
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://[::ffff:0:127.0.0.1]/",  # IPv4-translated (SIIT)
    "http://[64:ff9b::127.0.0.1]/",  # NAT64
    "http://[2002:7f00:1::1]/",  # 6to4
    "http://good.example@127.0.0.1/",  # userinfo trick
    "http://user:{}@127.0.0.1:80/".format("pw-" + "x" * 4),
    "HTTP://127.0.0.1/",
]


@pytest.mark.parametrize("url", LOOPBACK_SPELLINGS)
def test_loopback_in_every_spelling_is_blocked(url: str) -> None:
    decision = check_url(url, OFFLINE, Policy())
    assert not decision.allowed
    assert decision.reason == "loopback", decision


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://2852039166/latest/meta-data/", "metadata"),  # decimal 169.254.169.254
        ("http://0xa9fea9fe/", "metadata"),
        ("http://0251.0376.0251.0376/", "metadata"),
        ("http://169.254.43518/", "metadata"),  # short form
        ("http://[::ffff:169.254.169.254]/", "metadata"),
        ("http://[fd00:ec2::254]/", "metadata"),
        ("http://100.100.100.200/", "metadata"),
        ("http://10.0.0.1/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://[fc00::1]/", "private"),
        ("http://[fd12:3456::1]/", "private"),
        ("http://[64:ff9b::10.1.2.3]/", "private"),
        ("http://[2002:c0a8:101::1]/", "private"),  # 6to4 of 192.168.1.1
        ("http://169.254.1.1/", "link_local"),
        ("http://[fe80::1]/", "link_local"),
        ("http://[fe80::1%25eth0]/", "link_local"),  # zone id
        ("http://100.64.0.1/", "cgnat"),
        ("http://100.127.255.254/", "cgnat"),
        ("http://224.0.0.251/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://255.255.255.255/", "broadcast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://198.18.0.1/", "benchmarking"),
        ("http://[2001:2::1]/", "benchmarking"),
        ("http://192.0.2.10/", "documentation"),
        ("http://198.51.100.7/", "documentation"),
        ("http://203.0.113.9/", "documentation"),
        ("http://[2001:db8::1]/", "documentation"),
        ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "reserved"),  # Teredo
    ],
)
def test_internal_ranges_are_blocked(url: str, reason: str) -> None:
    decision = check_url(url, OFFLINE, Policy())
    assert (decision.allowed, decision.reason) == (False, reason), decision


@pytest.mark.parametrize(
    "url",
    ["http://8.8.8.8/", "https://1.1.1.1:8443/x", "http://[2606:4700::1111]/"],
)
def test_public_literals_are_allowed(url: str) -> None:
    decision = check_url(url, OFFLINE, Policy())
    assert decision.allowed and decision.reason == "public", decision


def test_public_nat64_and_6to4_are_allowed() -> None:
    assert check_url("http://[64:ff9b::8.8.8.8]/", OFFLINE).allowed
    assert check_url("http://[2002:808:808::1]/", OFFLINE).allowed


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "gopher://127.0.0.1:70/_x", "ftp://example.org/", "dict://x/"]
)
def test_other_schemes_are_refused(url: str) -> None:
    decision = check_url(url, OFFLINE, Policy())
    assert (decision.allowed, decision.reason) == (False, "scheme")


def test_scheme_allowlist_is_configurable() -> None:
    https_only = Policy.from_config(schemes=["https"])
    assert check_url("http://8.8.8.8/", OFFLINE, https_only).reason == "scheme"
    assert check_url("https://8.8.8.8/", OFFLINE, https_only).allowed


def test_names_are_resolved_and_every_address_checked() -> None:
    resolver = table_resolver(
        {
            "public.test": ["93.184.216.34"],
            "evil.test": ["127.0.0.1"],
            "mixed.test": ["93.184.216.34", "10.1.2.3"],
            "meta.test": ["169.254.169.254"],
            "v6.test": ["::1"],
        }
    )
    assert check_url("http://public.test/", resolver).allowed
    assert check_url("http://PUBLIC.test/", resolver).allowed  # case
    # A trailing dot changes the Host header and TLS name some clients send.
    assert check_url("http://PUBLIC.test./", resolver).reason == "ambiguous_url"
    assert check_url("http://evil.test/", resolver).reason == "loopback"
    assert check_url("http://mixed.test/", resolver).reason == "private"
    assert check_url("http://meta.test/", resolver).reason == "metadata"
    assert check_url("http://v6.test/", resolver).reason == "loopback"


def test_unresolvable_name_is_blocked_quickly() -> None:
    decision = check_url("http://no-such-host.invalid/", OFFLINE)
    assert (decision.allowed, decision.reason) == (False, "unresolvable")


def test_hanging_resolver_is_bounded() -> None:
    release = threading.Event()

    def hanging(host: str) -> list[str]:
        release.wait(10)
        return ["8.8.8.8"]

    policy = Policy.from_config(resolve_timeout=0.2)
    try:
        decision = check_url("http://slow.test/", hanging, policy)
    finally:
        release.set()
    assert (decision.allowed, decision.reason) == (False, "unresolvable")
    assert "longer than" in decision.detail


def test_garbage_from_the_resolver_is_unresolvable() -> None:
    decision = check_url("http://x.test/", table_resolver({"x.test": ["not-an-ip"]}))
    assert decision.reason == "unresolvable"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://1.2.3.4.5/", "invalid_host"),
        ("http://0x/", "unspecified"),  # WHATWG: "0x" is 0
        ("http:///path", "invalid_url"),
        ("http://[::1/", "invalid_url"),
        ("http://256.1.1.1/", "invalid_url"),
        ("http://4294967296/", "invalid_host"),
    ],
)
def test_malformed_hosts_are_blocked_not_crashing(url: str, reason: str) -> None:
    decision = check_url(url, OFFLINE)
    assert (decision.allowed, decision.reason) == (False, reason), decision


def test_non_url_argument_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match=r"needs a str or httpx\.URL"):
        check_url(None, OFFLINE)  # type: ignore[arg-type]
    assert check_url(httpx.URL("http://10.0.0.1/"), OFFLINE).reason == "private"


def test_allowlist_names_a_backend_by_ip_port_cidr_or_name() -> None:
    resolver = table_resolver({"llama.local": ["127.0.0.1"], "other.local": ["127.0.0.1"]})
    policy = Policy.from_config(
        allow=["127.0.0.1:8080", "[::1]:8081", "10.8.0.0/16:443", "llama.local:9000"]
    )
    assert check_url("http://127.0.0.1:8080/v1/models", resolver, policy).reason == "allowlisted"
    # Spellings parsers read differently are refused even for an allowed IP.
    assert not check_url("http://0x7f000001:8080/", resolver, policy).allowed
    assert check_url("http://other.local:8080/", resolver, policy).allowed  # IP rule, any name
    assert check_url("http://127.0.0.1:8081/", resolver, policy).reason == "loopback"
    assert check_url("http://127.0.0.2:8080/", resolver, policy).reason == "loopback"
    assert check_url("http://[::1]:8081/", resolver, policy).allowed
    assert check_url("https://10.8.3.4/", resolver, policy).allowed
    assert check_url("http://10.8.3.4/", resolver, policy).reason == "private"  # port 80
    assert check_url("http://llama.local:9000/", resolver, policy).allowed
    assert check_url("http://other.local:9000/", resolver, policy).reason == "loopback"


def test_metadata_is_refused_even_when_allowlisted() -> None:
    policy = Policy.from_config(allow=["169.254.0.0/16"])
    assert check_url("http://169.254.169.254/", OFFLINE, policy).reason == "metadata"
    assert check_url("http://169.254.1.1/", OFFLINE, policy).allowed


@pytest.mark.parametrize("bad", ["", "host:", "host:99999", "[::1", "[::1]x", "a b:80", "127.1:80"])
def test_bad_allow_rules_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        AllowRule.parse(bad)


def test_parse_host_normalises() -> None:
    assert parse_host("[FE80::1%25eth0]") == ("FE80::1", ipaddress.IPv6Address("fe80::1"))
    assert parse_host("Example.COM.") == ("example.com", None)
    assert parse_host("017700000001")[1] == ipaddress.IPv4Address("127.0.0.1")


PRIVATE_V4 = st.one_of(
    st.integers(0x7F000000, 0x7FFFFFFF),  # 127/8
    st.integers(0x0A000000, 0x0AFFFFFF),  # 10/8
    st.integers(0xC0A80000, 0xC0A8FFFF),  # 192.168/16
    st.integers(0xA9FE0000, 0xA9FEFFFF),  # 169.254/16
    st.integers(0x64400000, 0x647FFFFF),  # 100.64/10
)


@given(PRIVATE_V4, st.sampled_from(["dec", "hex", "octal", "dotted_octal", "short", "mapped"]))
def test_every_spelling_of_an_internal_v4_is_classified_like_the_canonical(
    value: int, spelling: str
) -> None:
    ip = ipaddress.IPv4Address(value)
    octets = [int(o) for o in str(ip).split(".")]
    host = {
        "dec": str(value),
        "hex": hex(value),
        "octal": "0" + oct(value)[2:],
        "dotted_octal": ".".join("0" + oct(o)[2:] for o in octets),
        "short": f"{octets[0]}.{(value & 0xFFFFFF)}",
        "mapped": f"[::ffff:{ip}]",
    }[spelling]
    expected = classify_address(ip)
    assert expected is not None
    decision = check_url(f"http://{host}/", OFFLINE)
    assert not decision.allowed
    assert decision.reason == expected[0]


# --- the transport, against real servers ----------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    """Answers with JSON naming the Host header; /redirect?to=URL redirects."""

    server: _Server

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("Host")))
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"path": self.path, "host": self.headers.get("Host")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Recorder)
        self.seen: list[tuple[str, str | None]] = []


def _serve(server: _Server) -> Iterator[_Server]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def backend() -> Iterator[_Server]:
    yield from _serve(_Server(("127.0.0.1", 0)))


@pytest.fixture
def other_backend() -> Iterator[_Server]:
    yield from _serve(_Server(("127.0.0.1", 0)))


class CountingResolver:
    """Returns the given answers in turn (the last one forever) and counts calls."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls = 0

    def __call__(self, host: str) -> list[str]:
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return answer


def test_allowlisted_backend_is_reached_with_the_original_host_header(backend: _Server) -> None:
    port = backend.server_address[1]
    resolver = CountingResolver(["127.0.0.1"])
    policy = Policy.from_config(allow=[f"127.0.0.1:{port}"])
    with guarded_client(policy, resolver=resolver) as client:
        response = client.get(f"http://llama.test:{port}/v1/models")
    assert response.status_code == 200
    assert response.json() == {"path": "/v1/models", "host": f"llama.test:{port}"}
    assert str(response.request.url) == f"http://llama.test:{port}/v1/models"


def test_rebinding_cannot_swap_the_checked_address(backend: _Server) -> None:
    """First answer allowlisted loopback, later answers a different address:
    the request still goes to the first, and DNS is asked only once."""
    port = backend.server_address[1]
    resolver = CountingResolver(["127.0.0.1"], ["10.66.66.66"], ["10.66.66.66"])
    policy = Policy.from_config(allow=[f"127.0.0.1:{port}"])
    with guarded_client(policy, resolver=resolver) as client:
        response = client.get(f"http://rebind.test:{port}/secret")
    assert response.status_code == 200
    assert resolver.calls == 1
    assert backend.seen == [("/secret", f"rebind.test:{port}")]


def test_rebinding_from_public_to_loopback_never_reaches_loopback(backend: _Server) -> None:
    """A name that answers a public IP first and 127.0.0.1 afterwards: the
    connection goes to the public IP (unreachable offline), never to the local
    server that a second lookup would have picked."""
    port = backend.server_address[1]
    resolver = CountingResolver(["93.184.216.34"], ["127.0.0.1"])
    with (
        guarded_client(Policy(), resolver=resolver, timeout=1.0) as client,
        pytest.raises(httpx.TransportError),
    ):
        client.get(f"http://rebind.test:{port}/")
    assert resolver.calls == 1
    assert backend.seen == []


def test_blocked_request_raises_and_logs(backend: _Server, caplog) -> None:
    port = backend.server_address[1]
    userinfo = "user:" + "p" + str(port * 7919)  # built here: no credential-looking literal
    resolver = CountingResolver(["127.0.0.1"])
    caplog.set_level(logging.WARNING, logger="aistack.guard.ssrf")
    with (
        guarded_client(Policy(), resolver=resolver) as client,
        pytest.raises(SsrfBlocked) as info,
    ):
        client.get("http://" + userinfo + f"@evil.test:{port}/x?token=abc")
    # Userinfo is refused before any lookup: clients disagree on where it ends.
    assert info.value.decision.reason == "ambiguous_url"
    assert backend.seen == []
    records = [r for r in caplog.records if getattr(r, "event", None) == "ssrf_blocked"]
    assert len(records) == 1
    fields = records[0].fields
    assert fields["reason"] == "ambiguous_url"
    assert userinfo not in json.dumps(fields) and "token=abc" not in json.dumps(fields)


def test_redirect_to_another_loopback_address_is_blocked(backend: _Server) -> None:
    port = backend.server_address[1]
    policy = Policy.from_config(allow=[f"127.0.0.1:{port}"])
    resolver = CountingResolver(["127.0.0.1"])
    with (
        guarded_client(policy, resolver=resolver) as client,
        pytest.raises(SsrfBlocked) as info,
    ):
        client.get(f"http://llama.test:{port}/redirect?to=http://127.0.0.2:{port}/")
    assert info.value.decision.reason == "loopback"
    assert [p for p, _ in backend.seen] == [f"/redirect?to=http://127.0.0.2:{port}/"]


def test_redirect_to_a_port_not_allowlisted_is_blocked(
    backend: _Server, other_backend: _Server
) -> None:
    port, other = backend.server_address[1], other_backend.server_address[1]
    target = f"http://127.0.0.1:{other}/internal"
    # Control: without the guard the redirect lands on the second server.
    with httpx.Client(follow_redirects=True, trust_env=False) as plain:
        assert plain.get(f"http://127.0.0.1:{port}/redirect?to={target}").status_code == 200
    assert [p for p, _ in other_backend.seen] == ["/internal"]
    other_backend.seen.clear()

    policy = Policy.from_config(allow=[f"127.0.0.1:{port}"])
    with (
        guarded_client(policy, resolver=OFFLINE) as client,
        pytest.raises(SsrfBlocked) as info,
    ):
        client.get(f"http://127.0.0.1:{port}/redirect?to={target}")
    assert info.value.decision.reason == "loopback"
    assert other_backend.seen == []


def test_redirect_within_the_allowlist_is_followed(backend: _Server) -> None:
    port = backend.server_address[1]
    policy = Policy.from_config(allow=[f"127.0.0.1:{port}"])
    resolver = CountingResolver(["127.0.0.1"])
    with guarded_client(policy, resolver=resolver) as client:
        response = client.get(f"http://llama.test:{port}/redirect?to=/final")
    assert response.json() == {"path": "/final", "host": f"llama.test:{port}"}
    assert resolver.calls == 2  # every hop is checked


def test_redirect_loops_stop_at_the_policy_limit(backend: _Server) -> None:
    port = backend.server_address[1]
    policy = Policy.from_config(allow=[f"127.0.0.1:{port}"], max_redirects=2)
    resolver = CountingResolver(["127.0.0.1"])
    with guarded_client(policy, resolver=resolver) as client, pytest.raises(httpx.TooManyRedirects):
        client.get(f"http://loop.test:{port}/loop")
    assert len(backend.seen) == 3  # the request and two redirects
    assert resolver.calls == 3


def test_ipv6_pinned_address_is_bracketed(tmp_path: Path) -> None:
    class _Server6(_Server):
        address_family = socket.AF_INET6

    try:
        server = _Server6(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    for srv in _serve(server):
        port = srv.server_address[1]
        policy = Policy.from_config(allow=[f"[::1]:{port}"])
        with guarded_client(policy, resolver=CountingResolver(["::1"])) as client:
            response = client.get(f"http://six.test:{port}/v6")
        assert response.json() == {"path": "/v6", "host": f"six.test:{port}"}


def test_guarded_client_refuses_proxies() -> None:
    with pytest.raises(ValueError):
        guarded_client(Policy(), proxy="http://127.0.0.1:3128")


def test_async_transport_blocks_and_pins(backend: _Server) -> None:
    import anyio

    port = backend.server_address[1]
    policy = Policy.from_config(allow=[f"127.0.0.1:{port}"])
    resolver = CountingResolver(["127.0.0.1"], ["10.0.0.1"])

    async def run() -> tuple[int, str]:
        async with guarded_client(policy, resolver=resolver, asynchronous=True) as client:
            ok = await client.get(f"http://a.test:{port}/async")
            with pytest.raises(SsrfBlocked):
                await client.get("http://169.254.169.254/latest/meta-data")
            return ok.status_code, ok.json()["host"]

    assert anyio.run(run) == (200, f"a.test:{port}")
    assert resolver.calls == 1


# --- TLS: the pinned IP is dialled, the name is verified ---------------------------


@pytest.fixture
def tls_backend(tmp_path: Path) -> Iterator[tuple[_Server, Path]]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not available")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=backend.test", "-addext", "subjectAltName=DNS:backend.test",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server = _Server(("127.0.0.1", 0))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    for s in _serve(server):
        yield s, cert


def test_tls_verifies_the_name_while_connecting_to_the_pinned_ip(tls_backend) -> None:
    server, cert = tls_backend
    port = server.server_address[1]
    policy = Policy.from_config(allow=[f"127.0.0.1:{port}"])
    verify = ssl.create_default_context(cafile=str(cert))
    resolver = CountingResolver(["127.0.0.1"])
    with guarded_client(policy, resolver=resolver, verify=verify) as client:
        response = client.get(f"https://backend.test:{port}/tls")
        assert response.json() == {"path": "/tls", "host": f"backend.test:{port}"}
        # The certificate names backend.test only: asking for the IP must fail
        # verification, which shows the name (not the IP) was checked above.
        with pytest.raises(httpx.ConnectError):
            client.get(f"https://127.0.0.1:{port}/tls")
