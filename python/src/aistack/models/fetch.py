"""Resumable, guarded model download: ``DEST.part`` -> verify -> provenance -> ``DEST``.

The steps, each safe to interrupt:

1. :func:`download` continues ``DEST.part`` from its size with an HTTP
   ``Range`` request (``If-Range`` with the validator the server gave when the
   part was started, so a file changed upstream restarts instead of splicing
   two versions). Every request and redirect hop goes through the SSRF guard
   (:mod:`aistack.guard.ssrf`): huggingface.co answers with a redirect to its
   CDN, and a redirect to an internal address is refused before any
   connection is made. A server that ignores ``Range`` (200) restarts the
   part from zero. A broken connection raises :class:`DownloadIncomplete` and
   keeps the part for the next attempt.
2. :func:`aistack.models.safety.verify_model` on the complete part. A file that
   fails (sha256 mismatch, smuggled code, wrong repo) is deleted: resuming
   would only rebuild the same bad bytes.
3. The provenance record (:mod:`aistack.models.provenance`, atomic).
4. ``os.replace`` of the part onto ``DEST`` and an fsync of the directory.

A crash between 3 and 4 leaves a complete part: the next run's ``Range``
request gets 416, the part is verified again and renamed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aistack.models.provenance import HF_COMMIT_RE

_CONTENT_RANGE_RE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_UNSATISFIED_RANGE_RE = re.compile(r"^bytes \*/(\d+)$")


class DownloadIncomplete(Exception):
    """The transfer stopped before the end; the ``.part`` file is kept to resume."""


class DownloadRefused(Exception):
    """The server answered with something other than the file (4xx/5xx, bad range)."""


@dataclass(frozen=True)
class DownloadResult:
    """What one :func:`download` call did."""

    size: int
    resumed_from: int  # bytes already in the part file that were kept
    restarted: bool  # a part existed but the server sent the whole file again
    hf_commit: str | None  # X-Repo-Commit of any response in the redirect chain
    final_url: str


def part_path(dest: str | os.PathLike[str]) -> Path:
    """Where the download of ``dest`` accumulates."""
    d = Path(dest)
    return d.with_name(d.name + ".part")


def _meta_path(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def range_headers(offset: int, validator: str | None) -> dict[str, str]:
    """Request headers to continue a download at ``offset``.

    ``If-Range`` makes the server send the whole (new) file instead of a range
    of it when the file changed since the part was started.
    """
    if offset <= 0:
        return {"Accept-Encoding": "identity"}
    headers = {"Range": f"bytes={offset}-", "Accept-Encoding": "identity"}
    if validator:
        headers["If-Range"] = validator
    return headers


def response_action(status: int, headers: dict[str, str], offset: int) -> str:
    """What to do with a response to a request for ``offset`` onwards (pure).

    Returns ``append`` (a 206 starting at ``offset``), ``restart`` (the whole
    file: 200, or a range we did not ask for the start of), ``complete`` (416
    saying the file is exactly ``offset`` bytes long). Raises
    :class:`DownloadRefused` for anything else.
    """
    content_range = headers.get("content-range", "")
    if status == 200:
        return "restart" if offset > 0 else "append"
    if status == 206:
        m = _CONTENT_RANGE_RE.match(content_range)
        if m is None:
            raise DownloadRefused(f"206 with unusable Content-Range {content_range!r}")
        return "append" if int(m.group(1)) == offset else "restart"
    if status == 416 and offset > 0:
        m = _UNSATISFIED_RANGE_RE.match(content_range)
        if m is not None and int(m.group(1)) == offset:
            return "complete"
        return "restart"
    raise DownloadRefused(f"HTTP {status}")


def expected_total(headers: dict[str, str], kept: int) -> int | None:
    """The complete file's size from a response's headers (pure): the total of
    ``Content-Range``, else ``Content-Length`` past the ``kept`` bytes; None
    when the server does not say."""
    lowered = {k.lower(): v for k, v in headers.items()}
    total = lowered.get("content-range", "").rpartition("/")[2]
    if total.isdigit():
        return int(total)
    length = lowered.get("content-length", "")
    return kept + int(length) if length.isdigit() else None


def _hf_commit(response: Any) -> str | None:
    for r in [*response.history, response]:
        commit = r.headers.get("x-repo-commit")
        if commit and HF_COMMIT_RE.match(commit):
            return commit
    return None


def _validator(response: Any) -> str | None:
    etag = response.headers.get("etag")
    # A weak ETag cannot be used in If-Range (RFC 9110 13.1.5).
    if etag and not etag.startswith("W/"):
        return etag
    return response.headers.get("last-modified")


def _read_meta(part: Path, url: str) -> str | None:
    try:
        meta = json.loads(_meta_path(part).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("url") != url:
        return None
    validator = meta.get("validator")
    return validator if isinstance(validator, str) else None


def _write_meta(part: Path, url: str, validator: str | None) -> None:
    _meta_path(part).write_text(json.dumps({"url": url, "validator": validator}))


def discard_part(dest: str | os.PathLike[str]) -> None:
    """Remove the part file of ``dest`` and its metadata."""
    part = part_path(dest)
    for p in (part, _meta_path(part)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def download(
    client: Any,
    url: str,
    dest: str | os.PathLike[str],
    *,
    on_progress: Callable[[int], None] | None = None,
    on_total: Callable[[int | None, int], None] | None = None,
) -> DownloadResult:
    """Bring ``DEST.part`` to the complete file at ``url`` with ``client`` (httpx).

    ``on_total(total, kept)`` is called once the response arrives (the file's
    full size when the server says it, and the bytes already kept);
    ``on_progress(size)`` after every piece written, with the bytes on disk.

    Raises :class:`DownloadIncomplete` (part kept) when the connection breaks
    and :class:`DownloadRefused` when the server refuses; the SSRF guard's
    ``SsrfBlocked`` passes through unchanged.
    """
    import httpx

    part = part_path(dest)
    part.parent.mkdir(parents=True, exist_ok=True)
    offset = part.stat().st_size if part.exists() else 0
    validator = _read_meta(part, url) if offset > 0 else None
    if offset > 0 and validator is None and _meta_path(part).exists():
        offset = 0  # a part of some other URL: start over
    try:
        with client.stream("GET", url, headers=range_headers(offset, validator)) as response:
            action = response_action(response.status_code, dict(response.headers), offset)
            commit = _hf_commit(response)
            final_url = str(response.url)
            if action == "complete":
                return DownloadResult(offset, offset, False, commit, final_url)
            restarted = action == "restart" and offset > 0
            if action == "restart" and response.status_code != 200:
                # A range we cannot use: ask again for the whole file.
                response.close()
                discard_part(dest)
                return download(client, url, dest, on_progress=on_progress, on_total=on_total)
            kept = 0 if action == "restart" else offset
            if kept == 0:
                _write_meta(part, url, _validator(response))
            size = kept
            if on_total is not None:
                on_total(expected_total(dict(response.headers), kept), kept)
            with open(part, "r+b" if kept else "wb") as fp:
                fp.truncate(kept)
                fp.seek(kept)
                try:
                    # Network-sized pieces, not fixed-size ones: a chunker
                    # would lose the bytes it holds when the connection breaks.
                    for chunk in response.iter_bytes():
                        fp.write(chunk)
                        size += len(chunk)
                        if on_progress is not None:
                            on_progress(size)
                finally:
                    fp.flush()
                    os.fsync(fp.fileno())
    except (httpx.TransportError, httpx.StreamError) as exc:
        have = part.stat().st_size if part.exists() else 0
        raise DownloadIncomplete(f"{type(exc).__name__}: {exc} ({have} bytes kept)") from None
    return DownloadResult(size, kept, restarted, commit, final_url)


def install(part: Path, dest: str | os.PathLike[str]) -> None:
    """Rename the verified part onto ``dest`` and make the rename durable."""
    target = Path(dest)
    os.replace(part, target)
    with contextlib.suppress(FileNotFoundError):
        _meta_path(part).unlink()
    fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def now_epoch() -> float:
    """Current time (a seam for the provenance timestamp)."""
    return time.time()
