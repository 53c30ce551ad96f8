"""``url`` sources: each URL fetched through the SSRF guard, bounded in size and time."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from aistack.config.knowledge_sources import UrlSource
from aistack.guard.ssrf import Policy
from aistack.sources.documents import Document, NotText, Skipped, decode_text


def policy_for(url: str, allow: Sequence[str]) -> Policy:
    """The SSRF policy for one URL: https only, plain http only when the URL itself
    is http (an https page never redirects down to http)."""
    schemes = ("https", "http") if url.startswith("http://") else ("https",)
    return Policy.from_config(allow=allow, schemes=schemes)


def _format_for(content_type: str) -> str | None:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return "html"
    if kind in ("text/markdown", "text/x-markdown"):
        return "markdown"
    return None


def fetch_one(url: str, source: UrlSource, allow: Sequence[str]) -> Document | Skipped:
    """GET ``url`` (redirects checked hop by hop); a refusal or failure is a
    :class:`Skipped` naming the reason, never an exception."""
    import httpx

    from aistack.guard.ssrf import SsrfBlocked, guarded_client

    try:
        policy = policy_for(url, [*source.allow_hosts, *allow])
    except ValueError as exc:
        return Skipped(url, f"bad allow rule: {exc}", error=True)
    client = guarded_client(
        policy,
        timeout=httpx.Timeout(source.timeout_seconds, connect=min(30.0, source.timeout_seconds)),
    )
    # httpx bounds each read; the whole fetch is bounded here.
    deadline = time.monotonic() + source.timeout_seconds
    try:
        with client.stream("GET", url, headers={"Accept": "text/*, */*;q=0.5"}) as response:
            if response.status_code != 200:
                return Skipped(url, f"HTTP {response.status_code}", error=True)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > source.max_bytes:
                    return Skipped(url, f"larger than max_bytes ({source.max_bytes})", error=True)
                if time.monotonic() > deadline:
                    return Skipped(url, f"took longer than {source.timeout_seconds:g}s", error=True)
            fmt = _format_for(response.headers.get("content-type", ""))
    except SsrfBlocked as exc:
        return Skipped(url, f"refused by the SSRF guard: {exc.decision.reason}", error=True)
    except httpx.TooManyRedirects:
        return Skipped(url, "too many redirects", error=True)
    except httpx.TimeoutException:
        return Skipped(url, f"timed out after {source.timeout_seconds:g}s", error=True)
    except httpx.HTTPError as exc:
        return Skipped(url, f"fetch failed: {exc}", error=True)
    finally:
        client.close()
    try:
        return Document(url, decode_text(bytes(body), url.split("?", 1)[0]), fmt)
    except NotText as exc:
        return Skipped(url, str(exc))


def collect_urls(source: UrlSource, allow: Sequence[str] = ()) -> Iterator[Document | Skipped]:
    """The documents of a ``url`` source, one per URL."""
    for url in source.urls:
        yield fetch_one(url, source, allow)
