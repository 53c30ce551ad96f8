"""What check_url approves, every common URL parser reads as the same host and port,
and the pinned transport connects there (property and differential tests).

Parsers compared: httpx.URL (what the guard and its transport use),
urllib3's parse_url (requests), urllib.parse.urlsplit, rfc3986, and ada-url
(the WHATWG URL standard as browsers implement it).
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aistack.guard.ssrf import Policy, SsrfBlocked, check_url, guarded_client
from aistack.guard.ssrf_syntax import ambiguity

try:
    import ada_url
    import rfc3986
    import urllib3.util
except ImportError as exc:  # pragma: no cover - the guard-eval extra is missing
    raise ImportError(f"{exc}: pip install -e 'python[guard-eval]'") from None

PUBLIC = "93.184.216.34"


def public_resolver(host: str) -> list[str]:
    return [PUBLIC]


AMBIGUOUS = [
    "http://127.0.0.1\\@example.com/",
    "http://example.com\\@127.0.0.1/",
    "http://example.com#@127.0.0.1/",
    "http://example.com?@127.0.0.1/",
    "http://user@example.com/",
    "http://user:pw@example.com/",
    "http://@example.com/",
    "http://example.com:0/",
    "http://example.com:65536/",
    "http://example.com:99999999/",
    "http://example.com:/",
    "http://example.com:80a/",
    "http://example.com:+80/",
    "http://example.com:-1/",
    "http://example.com:80:80/",
    "http://%31%32%37.0.0.1/",
    "http://exa%6dple.com/",
    "http://exa\tmple.com/",
    "http://exa\nmple.com/",
    "http://example.com /",
    "http://bücher.de/",
    "http://ｅｘａｍｐｌｅ.com/",
    "http://example。com/",
    "http://example.com./",
    "http://" + "a" * 64 + ".com/",
    "http://" + ".".join(["abcdefghij"] * 24) + ".com/",
    "http:/example.com/",
    "http:///example.com/",
    "http:example.com/",
    "http://example..com/",
    "http://.example.com/",
    "http://-example.com/",
    "http://exa_mple.com/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://0x7f.0.0.1/",
    "http://2130706433/",
    "http://1.2.3.4.5/",
    "http://[::1%25eth0]/",
    "http://[::1]x/",
    "http://[::1/",
]


@pytest.mark.parametrize("url", AMBIGUOUS)
def test_urls_clients_may_read_differently_are_refused(url: str) -> None:
    decision = check_url(url, public_resolver, Policy())
    assert not decision.allowed, (url, decision)
    assert decision.detail or decision.reason


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "https://EXAMPLE.com:8443/a/b?c=d#e",
        "http://xn--bcher-kva.de/",
        "http://8.8.8.8:1/",
        "http://[2606:4700::1111]:65535/",
        "http://example.com/users/@me?mail=a@b.example#x@y",
        "http://" + "a" * 63 + ".com/",
    ],
)
def test_plain_urls_still_pass(url: str) -> None:
    assert ambiguity(url) is None
    assert check_url(url, public_resolver, Policy()).allowed


def readings(url: str) -> dict[str, tuple[str, int | None]]:
    """(host, port) as each parser reads ``url``; a parser that refuses is left out."""
    out: dict[str, tuple[str, int | None]] = {}
    default = {"http": 80, "https": 443}

    def norm(host: str | None, port: int | None, scheme: str) -> tuple[str, int | None]:
        h = (host or "").lower().strip("[]")
        return h, port if port is not None else default.get(scheme.lower())

    try:
        u = httpx.URL(url)
        out["httpx"] = norm(u.raw_host.decode("ascii"), u.port, u.scheme)
    except (httpx.InvalidURL, ValueError):
        pass
    try:
        p = urllib3.util.parse_url(url)
        out["urllib3"] = norm(p.host, p.port, p.scheme or "")
    except (ValueError, urllib3.exceptions.LocationParseError):
        pass
    try:
        s = urllib.parse.urlsplit(url)
        out["urllib"] = norm(s.hostname, s.port, s.scheme)
    except ValueError:
        pass
    try:
        r = rfc3986.urlparse(url)
        out["rfc3986"] = norm(r.host, int(r.port) if r.port else None, r.scheme or "")
    except (ValueError, rfc3986.exceptions.RFC3986Exception):
        pass
    try:
        w = ada_url.URL(url)
        out["whatwg"] = norm(w.hostname, int(w.port) if w.port else None, w.protocol.rstrip(":"))
    except ValueError:
        pass
    return out


# Authorities built from the characters parsers disagree on.
AUTHORITY = st.text(alphabet="abcxn-.:@\\/%#?[]0179 \téＡ", min_size=1, max_size=24)
HOSTS = st.sampled_from(
    [
        "example.com",
        "EXAMPLE.com",
        "xn--bcher-kva.de",
        "bücher.de",
        "1.2.3.4",
        "8.8.8.8",
        "[2606:4700::1111]",
        "example.com.",
        "%65xample.com",
        "0x7f.1",
        "a" * 64 + ".com",
    ]
)
GLUE = st.sampled_from(
    ["", "\\", "@", "#@", "?@", ":", ":0", ":65536", ":8080", ":", "%2e", "\\@x.com"]
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        authority = draw(AUTHORITY)
    else:
        authority = draw(GLUE).lstrip("\\@") + draw(HOSTS) + draw(GLUE)
    return f"{draw(st.sampled_from(['http', 'https', 'HTTP']))}://{authority}/{draw(GLUE)}p"


@settings(max_examples=400, deadline=None)
@given(urls())
def test_what_the_guard_approves_every_parser_reads_alike(url: str) -> None:
    decision = check_url(url, public_resolver, Policy())
    if not decision.allowed:
        return
    seen = readings(url)
    assert set(seen) == {"httpx", "urllib3", "urllib", "rfc3986", "whatwg"}, (url, seen)
    assert len(set(seen.values())) == 1, (url, seen)


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.seen.append(self.headers.get("Host"))  # type: ignore[attr-defined]
        body = json.dumps({"host": self.headers.get("Host")}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def echo_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


NAMES = st.sampled_from(
    ["example.com", "API.Example.com", "xn--bcher-kva.de", "bücher.de", "a.b.c"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES, GLUE, GLUE)
def test_the_pinned_transport_connects_where_the_guard_approved(
    name: str, before: str, after: str
) -> None:
    """Every name resolves to the loopback backend, which the policy allows by
    IP and port: a request either never reaches it (refused) or arrives with
    exactly the host the guard checked in its Host header."""
    with echo_server() as server:
        port = server.server_address[1]
        url = f"http://{before.lstrip(':')}{name}:{port}{after.lstrip(':')}/x"
        policy = Policy.from_config(allow=[f"127.0.0.1:{port}"])
        decision = check_url(url, lambda h: ["127.0.0.1"], policy)
        with guarded_client(policy, resolver=lambda h: ["127.0.0.1"]) as client:
            try:
                response = client.get(url)
            except (SsrfBlocked, httpx.InvalidURL, httpx.UnsupportedProtocol):
                assert not decision.allowed, url
                assert server.seen == []
                return
        # httpx turns an IDN into its xn-- form before the transport sees it;
        # the transport decides on (and connects to) exactly that form.
        sent = httpx.URL(url)
        assert decision.allowed or check_url(sent, lambda h: ["127.0.0.1"], policy).allowed, url
        checked = sent.raw_host.decode("ascii")
        assert server.seen == [f"{checked}:{port}"]
        assert response.json()["host"] == f"{checked}:{port}"
        if decision.allowed:
            assert set(readings(url).values()) == {(checked, port)}, url
