"""``aistack fetch-model`` against a real HTTP server on loopback.

The server (http.server in a thread, 127.0.0.1 only) serves a GGUF built by
the test factory behind a redirect, as huggingface.co does with its CDN, and
can break a transfer midway, ignore Range, or redirect somewhere the SSRF
guard must refuse. The command runs as a subprocess, as the systemd unit runs
it; only 127.0.0.1:<port> is allowlisted in its SSRF policy (--allow-host).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from gguf_factory import build_gguf

from aistack.models.fetch import DownloadRefused, range_headers, response_action

REPO = "test-org/Tiny-GGUF"
FILE = "tiny-q8_0.gguf"
RESOLVE = f"/{REPO}/resolve/main/{FILE}"
CDN = f"/cdn/{FILE}"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass
class Behaviour:
    """What the server does; tests change it between runs."""

    body: bytes = b""
    honour_range: bool = True
    drop_after: int | None = None  # bytes sent before the connection is cut (once)
    redirect_to: str = CDN
    requests: list[tuple[str, str | None]] = field(default_factory=list)


class Handler(BaseHTTPRequestHandler):
    """Serves ``Behaviour.body`` at CDN, redirects RESOLVE to ``redirect_to``."""

    server: ModelServer  # type: ignore[assignment]

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        b = self.server.behaviour
        b.requests.append((self.path, self.headers.get("Range")))
        if self.path == RESOLVE:
            self.send_response(302)
            self.send_header("Location", b.redirect_to)
            self.send_header("X-Repo-Commit", COMMIT)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path != CDN:
            self.send_error(404)
            return
        body, start = b.body, 0
        wanted = self.headers.get("Range")
        if wanted and b.honour_range:
            start = int(wanted.removeprefix("bytes=").split("-")[0])
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        payload = body[start:]
        if b.drop_after is not None:
            cut, b.drop_after = b.drop_after, None
            self.wfile.write(payload[:cut])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)  # the peer sees EOF before Content-Length
            return
        self.wfile.write(payload)


class ModelServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer carrying the test's Behaviour."""

    daemon_threads = True

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.behaviour = behaviour


@pytest.fixture
def model_bytes(tmp_path: Path) -> bytes:
    # Large enough that a cut midway leaves a real partial file.
    return build_gguf(tmp_path / "source.gguf", vocab=[f"tok{i}" for i in range(20000)])


@pytest.fixture
def server(model_bytes: bytes) -> Iterator[ModelServer]:
    srv = ModelServer(Behaviour(body=model_bytes))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def fetch(
    server: ModelServer, tmp_path: Path, *extra: str, allow_repo: str = REPO
) -> tuple[int, dict | None, str]:
    """Run ``aistack fetch-model`` for the server's model into tmp_path/models."""
    port = server.server_address[1]
    args = [
        "--url",
        f"http://127.0.0.1:{port}{RESOLVE}",
        "--dest",
        str(tmp_path / "models" / FILE),
        "--repo",
        REPO,
        "--provenance",
        str(tmp_path / "models" / "provenance.json"),
        "--allow-repo",
        allow_repo,
        "--allow-host",
        f"127.0.0.1:{port}",
        "--timeout",
        "20",
        *extra,
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "aistack", "fetch-model", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = proc.stdout.splitlines()
    assert len(lines) <= 1, proc.stdout
    return proc.returncode, json.loads(lines[0]) if lines else None, proc.stderr


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_full_download_through_a_redirect(server, tmp_path: Path, model_bytes: bytes) -> None:
    code, report, err = fetch(server, tmp_path, "--sha256", sha(model_bytes))
    assert code == 0, (report, err)
    dest = tmp_path / "models" / FILE
    assert dest.read_bytes() == model_bytes
    assert not (tmp_path / "models" / f"{FILE}.part").exists()
    assert report["stage"] == "installed"
    assert report["verify"]["checks"]["sha256"] == "match"
    assert report["download"]["final_url"].endswith(CDN)
    assert [p for p, _ in server.behaviour.requests] == [RESOLVE, CDN]
    record = json.loads((tmp_path / "models" / "provenance.json").read_text())[FILE]
    assert record["sha256"] == sha(model_bytes)
    assert record["hf_repo"] == REPO
    assert record["hf_commit"] == COMMIT  # from the huggingface.co redirect


def test_present_model_is_verified_not_downloaded(server, tmp_path, model_bytes) -> None:
    assert fetch(server, tmp_path, "--sha256", sha(model_bytes))[0] == 0
    server.behaviour.requests.clear()
    code, report, _ = fetch(server, tmp_path, "--sha256", sha(model_bytes))
    assert code == 0
    assert report["already_present"] is True
    assert server.behaviour.requests == []


def test_resume_after_the_connection_drops(server, tmp_path, model_bytes) -> None:
    cut = len(model_bytes) // 2
    server.behaviour.drop_after = cut
    code, report, _ = fetch(server, tmp_path, "--sha256", sha(model_bytes))
    assert code == 3, report
    part = tmp_path / "models" / f"{FILE}.part"
    kept = part.stat().st_size
    assert 0 < kept <= cut
    assert part.read_bytes() == model_bytes[:kept]
    assert not (tmp_path / "models" / FILE).exists()

    server.behaviour.requests.clear()
    code, report, err = fetch(server, tmp_path, "--sha256", sha(model_bytes))
    assert code == 0, (report, err)
    assert report["download"]["resumed_from"] == kept
    assert report["download"]["restarted"] is False
    # The second run asked only for the rest.
    assert (CDN, f"bytes={kept}-") in server.behaviour.requests
    assert (tmp_path / "models" / FILE).read_bytes() == model_bytes
    assert not part.exists()
    print(f"resumed at byte {kept} of {len(model_bytes)} (cut after {cut})")


def test_server_without_range_support_restarts_from_zero(server, tmp_path, model_bytes) -> None:
    server.behaviour.drop_after = len(model_bytes) // 3
    assert fetch(server, tmp_path, "--sha256", sha(model_bytes))[0] == 3
    server.behaviour.honour_range = False
    code, report, err = fetch(server, tmp_path, "--sha256", sha(model_bytes))
    assert code == 0, (report, err)
    assert report["download"]["restarted"] is True
    assert report["download"]["resumed_from"] == 0
    assert (tmp_path / "models" / FILE).read_bytes() == model_bytes


def test_sha256_mismatch_deletes_the_file(server, tmp_path, model_bytes) -> None:
    code, report, _ = fetch(server, tmp_path, "--sha256", sha(b"another model"))
    assert code == 1
    assert report["verify"]["checks"]["sha256"] == "mismatch"
    models = tmp_path / "models"
    assert not (models / FILE).exists()
    assert not (models / f"{FILE}.part").exists()
    assert not (models / "provenance.json").exists()


def test_smuggled_pickle_fails_verification(server, tmp_path) -> None:
    class Payload:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.system, ("true",))

    bad = build_gguf(extra_strings={"general.notes": pickle.dumps(Payload(), protocol=4)})
    server.behaviour.body = bad
    code, report, _ = fetch(server, tmp_path)  # unpinned: the scan still runs
    assert code == 1
    assert report["verify"]["checks"]["code_markers"] == "fail"
    assert not (tmp_path / "models" / FILE).exists()


def test_redirect_to_a_non_allowlisted_address_is_blocked(server, tmp_path, model_bytes) -> None:
    port = server.server_address[1]
    # Another loopback address: refused by the guard before any connection.
    server.behaviour.redirect_to = f"http://127.0.0.2:{port}{CDN}"
    code, report, _ = fetch(server, tmp_path, "--sha256", sha(model_bytes))
    assert code == 4
    assert "blocked: loopback" in report["error"]
    assert [p for p, _ in server.behaviour.requests] == [RESOLVE]
    assert not (tmp_path / "models" / f"{FILE}.part").exists()


def test_repo_off_the_allowlist_is_refused_before_any_request(server, tmp_path) -> None:
    code, report, _ = fetch(server, tmp_path, allow_repo="other-org/Other-GGUF")
    assert code == 1
    assert report["stage"] == "allowlist"
    assert server.behaviour.requests == []


@pytest.mark.parametrize(
    "extra",
    [("--sha256", "abc"), ("--allow-host", "not a host"), ("--timeout", "0")],
)
def test_bad_usage_exits_2(server, tmp_path, extra) -> None:
    code, report, err = fetch(server, tmp_path, *extra)
    assert code == 2
    assert report is None
    assert "aistack fetch-model:" in err
    assert server.behaviour.requests == []


# --- the pure decisions ------------------------------------------------------


def test_range_headers() -> None:
    assert "Range" not in range_headers(0, '"v1"')
    assert range_headers(10, '"v1"')["Range"] == "bytes=10-"
    assert range_headers(10, '"v1"')["If-Range"] == '"v1"'
    assert "If-Range" not in range_headers(10, None)


@pytest.mark.parametrize(
    ("status", "headers", "offset", "action"),
    [
        (200, {}, 0, "append"),
        (200, {}, 100, "restart"),  # Range ignored (or If-Range failed)
        (206, {"content-range": "bytes 100-199/200"}, 100, "append"),
        (206, {"content-range": "bytes 0-199/200"}, 100, "restart"),
        (416, {"content-range": "bytes */100"}, 100, "complete"),
        (416, {"content-range": "bytes */50"}, 100, "restart"),
    ],
)
def test_response_action(status, headers, offset, action) -> None:
    assert response_action(status, headers, offset) == action


@pytest.mark.parametrize(
    ("status", "headers"), [(404, {}), (500, {}), (206, {"content-range": "nonsense"})]
)
def test_response_action_refuses(status, headers) -> None:
    with pytest.raises(DownloadRefused):
        response_action(status, headers, 0)


def test_progress_on_a_terminal_and_quiet_otherwise(
    server, tmp_path: Path, model_bytes: bytes
) -> None:
    """stderr a terminal: a progress line with bytes, percent and rate ends the
    download; stderr a pipe (the journal): no progress at all."""
    import pty

    code, _, err = fetch(server, tmp_path / "piped", "--sha256", sha(model_bytes))
    assert code == 0 and "\r" not in err and "%" not in err

    port = server.server_address[1]
    master, slave = pty.openpty()
    dest = tmp_path / "tty" / FILE
    args = [
        *("--url", f"http://127.0.0.1:{port}{RESOLVE}", "--dest", str(dest)),
        *("--repo", REPO, "--allow-repo", REPO, "--allow-host", f"127.0.0.1:{port}"),
        *("--provenance", str(dest.parent / "provenance.json"), "--sha256", sha(model_bytes)),
    ]
    proc = subprocess.Popen(
        [sys.executable, "-m", "aistack", "fetch-model", *args],
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    shown = b"".join(chunks).decode()
    assert proc.returncode == 0, shown
    total = len(model_bytes)
    from aistack.cli.progress import human_bytes

    assert f"{human_bytes(total)} / {human_bytes(total)}  100%" in shown
    assert "/s" in shown
