"""The pure parts of source sync: cutting documents to the service's limit,
batching, the git command line; and the writer waiting out a 429 from a
scripted fault-injecting server on a Unix socket."""

from __future__ import annotations

import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from aistack.config.common import UnixEndpoint
from aistack.config.knowledge_sources import GitRepoSource
from aistack.sources.client import KnowledgeWriter, Outgoing, batches, source_name
from aistack.sources.documents import Document, decode_text, fit_document, split_to_fit
from aistack.sources.git_repo import clone_command
from aistack.sources.load import load_sources

from conftest import REPO_ROOT


def test_split_to_fit_keeps_every_paragraph_and_the_limit() -> None:
    paragraphs = [f"Paragraph {i}: " + "ünïcödé words " * (i % 7 + 1) for i in range(400)]
    text = "\n\n".join(paragraphs)
    parts = split_to_fit(text, 2000)
    assert len(parts) > 1
    assert all(len(p.encode()) <= 2000 for p in parts)
    joined = "".join(parts)
    for paragraph in paragraphs:
        assert paragraph in joined
    assert split_to_fit("short", 2000) == ["short"]


def test_a_line_longer_than_the_limit_is_cut_between_characters() -> None:
    text = "é" * 5000  # 10,000 bytes, one line, no blank lines
    parts = split_to_fit(text, 999)
    assert all(len(p.encode()) <= 999 for p in parts)
    assert "".join(parts) == text


def test_fit_document_names_the_parts() -> None:
    doc = Document("guide/big.md", "\n\n".join(["x" * 600] * 5))
    names = [d.name for d in fit_document(doc, 1300)]
    assert names == [f"guide/big.md#part-{i}" for i in range(1, len(names) + 1)]
    assert fit_document(Document("a.md", "tiny"), 1300) == [Document("a.md", "tiny")]


def test_batches_respect_count_and_bytes() -> None:
    items = [Outgoing(f"s:{i}", "y" * 1000, None, None) for i in range(25)]
    by_count = list(batches(items, 10, 10**9))
    assert [len(b) for b in by_count] == [10, 10, 5]
    by_bytes = list(batches(items, 100, 5000))
    assert all(len(b) == 2 for b in by_bytes[:-1]) and sum(map(len, by_bytes)) == 25


def test_clone_command_is_shallow_https_only_and_pinned() -> None:
    source = GitRepoSource(id="r", type="git_repo", repo="https://example.org/r.git", ref="v1.2")
    cmd = clone_command(source, Path("/tmp/x"), "example.org:443:93.184.215.14", False)
    text = " ".join(cmd)
    assert "protocol.allow=never" in text and "protocol.https.allow=always" in text
    assert "protocol.http.allow" not in text
    assert "http.curloptResolve=example.org:443:93.184.215.14" in text
    assert "http.followRedirects=false" in text
    assert cmd[cmd.index("--depth") + 1] == "1" and cmd[cmd.index("--branch") + 1] == "v1.2"
    assert cmd[-3:] == ["--", "https://example.org/r.git", "/tmp/x"]
    default = clone_command(
        GitRepoSource(id="r", type="git_repo", repo="https://example.org/r.git"),
        Path("/tmp/x"),
        None,
        False,
    )
    assert "--branch" not in default


class _Scripted(BaseHTTPRequestHandler):
    """First POST: 429 with Retry-After; then 200 with one result per document."""

    calls: list[int]

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        self.calls.append(len(body["documents"]))
        if len(self.calls) == 1:
            payload = json.dumps(
                {"error": {"message": "slow down", "type": "rate_limit_error", "code": "x"}}
            ).encode()
            self.send_response(429)
            self.send_header("Retry-After", "7")
        else:
            results = [{"status": "stored", "quarantine": False} for _ in body["documents"]]
            payload = json.dumps({"results": results}).encode()
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def test_writer_waits_out_a_rate_limit(tmp_path: Path) -> None:
    sock = tmp_path / "k.sock"
    handler = type("H", (_Scripted,), {"calls": []})

    class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
        daemon_threads = True

        # BaseHTTPRequestHandler wants an address pair; a Unix socket has none.
        def get_request(self) -> tuple:
            conn, _ = super().get_request()
            return conn, ("uds", 0)

    server = Server(str(sock), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slept: list[float] = []
    writer = KnowledgeWriter(UnixEndpoint(kind="unix", path=str(sock)), sleep=slept.append)
    try:
        results = writer.post([Outgoing("s:a", "text a", None, None)] * 3)
    finally:
        writer.close()
        server.shutdown()
        server.server_close()
    assert slept == [7.0]
    assert handler.calls == [3, 3] and len(results) == 3


def test_the_readme_example_is_a_valid_sources_file(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("### Knowledge sources", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "knowledge-sources.yaml"
    path.write_text(example)
    parsed = load_sources(path)
    assert [s.type for s in parsed.sources] == ["local_dir", "url", "git_repo"]
    assert parsed.sources[2].enabled is False and parsed.sources[1].max_bytes == 2097152


def test_a_big_man_page_is_sent_as_markdown_parts_with_its_title() -> None:
    page = Path("/usr/share/man/man5/systemd.exec.5.gz")
    if not page.exists():
        pytest.fail("systemd.exec(5) missing: apt-get install -y systemd man-db (.ci/setup does)")
    text = decode_text(page.read_bytes(), page.name)
    parts = fit_document(Document("man5/systemd.exec.5.gz", text), 51_200)
    assert len(parts) >= 2
    assert all(len(p.text.encode()) <= 51_200 for p in parts)
    assert {p.fmt for p in parts} == {"markdown"} and {p.title for p in parts} == {
        "systemd.exec(5)"
    }
    joined = "".join(p.text for p in parts)
    assert "ProtectSystem=" in joined and ".TP" not in joined  # read as roff, not raw markup


def test_long_source_names_are_shortened_and_stay_unique() -> None:
    a = source_name("web", "https://example.org/" + "a" * 3000)
    b = source_name("web", "https://example.org/" + "a" * 2999 + "b")
    assert len(a) <= 2048 and len(b) <= 2048 and a != b
    assert source_name("web", "https://example.org/x") == "web:https://example.org/x"
