"""The README's knowledge-base commands, run as written against ``aistack dev``."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from conftest import REPO_ROOT

pytestmark = pytest.mark.service


def readme_knowledge_commands() -> list[list[str]]:
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("## Knowledge base", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```console\n(.+?)\n```", section, re.S).group(1)
    return [shlex.split(line) for line in block.splitlines() if line.strip()]


def test_readme_ingest_and_search_work_against_aistack_dev(nixpkgs_lib: Path) -> None:
    commands = readme_knowledge_commands()
    assert [c[:2] for c in commands] == [["aistack", "ingest"], ["aistack", "search"]]
    out = Path(commands[0][commands[0].index("--config") + 1]).parents[2]
    assert str(out) == "/tmp/aistack-laptop"
    dev = subprocess.Popen(
        ["aistack", "dev", "hosts/laptop", "--out", str(out)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ.copy(),
    )
    try:
        sock = out / "run/aistack/knowledge.sock"
        emb = out / "run/aistack/embeddings.sock"
        deadline = time.monotonic() + 180
        ready = False
        while time.monotonic() < deadline and not ready:
            assert dev.poll() is None, dev.stdout.read()
            try:
                for path, check in ((sock, None), (emb, "engine")):
                    with httpx.Client(
                        base_url="http://localhost", transport=httpx.HTTPTransport(uds=str(path))
                    ) as c:
                        body = c.get("/health", timeout=2).json()
                        assert check is None or body["checks"].get(check) == "ok"
                ready = True
            except (httpx.TransportError, AssertionError, ValueError, KeyError):
                time.sleep(0.5)
        assert ready, "aistack dev did not bring up embeddings and knowledge"
        ingest = subprocess.run(
            commands[0], capture_output=True, text=True, timeout=600, check=False
        )
        assert ingest.returncode == 0 and "stored" in ingest.stdout + ingest.stderr, ingest.stderr
        search = subprocess.run(
            commands[1], capture_output=True, text=True, timeout=120, check=False
        )
        assert search.returncode == 0, search.stderr
        assert "systemd.timer(5)" in search.stdout and "Persistent" in search.stdout
    finally:
        dev.send_signal(signal.SIGTERM)
        try:
            dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            dev.kill()
