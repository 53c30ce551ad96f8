"""``aistack ingest / search / gaps / gc`` and ``aq-gaps`` as a user runs them,
against the running stack named by ``--config``."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from knowledge_helpers import Stack, close_stack, start_stack

pytestmark = pytest.mark.service

TIMER_PAGE = Path("/usr/share/man/man5/systemd.timer.5.gz")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[Stack]:
    if not TIMER_PAGE.is_file():
        pytest.fail(f"{TIMER_PAGE} missing: apt-get install -y systemd man-db (.ci/setup does)")
    s = start_stack(tmp_path_factory.mktemp("kcli"))
    try:
        yield s
    finally:
        close_stack(s)


def aistack(stack: Stack, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["aistack", *args, "--config", str(stack.config_path)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_gaps_on_an_empty_store_print_nothing(stack: Stack) -> None:
    proc = aistack(stack, "gaps")
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    alias = subprocess.run(
        [
            *(sys.executable, "-c", "from aistack.cli.knowledge_cmds import _main; _main()"),
            *("--config", str(stack.config_path)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert alias.returncode == 0 and alias.stdout == "", alias.stderr


def test_aq_gaps_is_a_console_script(repo_root: Path) -> None:
    import tomllib

    scripts = tomllib.loads((repo_root / "python" / "pyproject.toml").read_text())["project"][
        "scripts"
    ]
    assert scripts["aq-gaps"] == "aistack.cli.knowledge_cmds:_main"


def test_ingest_files_dirs_and_globs_then_search(stack: Stack, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "intro.md").write_text("# Laptop notes\n\nThe laptop suspends when the lid closes.\n")
    (docs / "sub" / "page.html").write_text(
        "<html><head><title>Swap</title></head><body><h1>Swap</h1>"
        "<p>zram compresses swap pages in memory.</p><script>x()</script></body></html>"
    )
    (docs / "sub" / "tool.py").write_text("def rotate(x):\n    return x[1:] + x[:1]\n")
    (docs / "blob.bin").write_bytes(b"\x00\x01binary")
    (docs / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    page = tmp_path / "systemd.timer.5.gz"
    page.write_bytes(TIMER_PAGE.read_bytes())
    proc = aistack(stack, "ingest", str(docs), str(tmp_path / "*.5.gz"), "--collection", "cli")
    assert proc.returncode == 0, proc.stderr
    assert "stored" in proc.stdout and "0 quarantined" in proc.stdout
    assert "latin1.txt: not UTF-8" in proc.stderr
    again = aistack(stack, "ingest", str(docs), str(tmp_path / "*.5.gz"), "--collection", "cli")
    assert " 0 stored" in again.stdout and "unchanged" in again.stdout
    got = aistack(stack, "search", "make a timer catch up on runs missed while powered off")
    assert got.returncode == 0
    answer = aistack(
        stack,
        "search",
        "make a timer catch up on runs missed while powered off",
        "--collection",
        "cli",
        "--json",
    )
    body = json.loads(answer.stdout)
    assert any("Persistent=" in r["heading_path"] for r in body["results"][:5])
    assert body["results"][0]["title"] == "systemd.timer(5)"
    human = aistack(stack, "search", "zram swap compression", "--collection", "cli", "--limit", "2")
    assert "zram compresses swap pages" in human.stdout and "x()" not in human.stdout


def test_gaps_list_repeated_misses_with_a_suggestion(stack: Stack) -> None:
    for _ in range(2):
        stack.search("how do I use iptables-save to store rules", collection="cli")
    stack.search("quokka habitat facts", collection="cli")
    import time

    time.sleep(1.5)
    proc = aistack(stack, "gaps")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].strip().startswith("2x") and "iptables-save" in lines[0]
    assert lines[1].strip().startswith("# Suggested: aistack ingest")
    assert all(lines[i].strip().startswith("# Suggested:") for i in range(1, len(lines), 2))


def test_gc_dry_run_and_run(stack: Stack) -> None:
    proc = aistack(stack, "gc", "--dry-run")
    assert proc.returncode == 0 and proc.stdout.startswith("gc: would remove 0 chunk(s)")
    proc = aistack(stack, "gc")
    assert proc.returncode == 0 and proc.stdout.startswith("gc: removed 0 chunk(s)")


def test_cli_reports_a_stopped_service(stack: Stack, tmp_path: Path) -> None:
    config = json.loads(stack.config_path.read_text())
    config["listen"] = {"kind": "unix", "path": str(tmp_path / "nobody.sock")}
    path = tmp_path / "k.json"
    path.write_text(json.dumps(config))
    proc = subprocess.run(
        ["aistack", "search", "anything", "--config", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 69 and "not answering" in proc.stderr


def test_ingest_of_a_missing_path_is_a_usage_error(stack: Stack, tmp_path: Path) -> None:
    proc = aistack(stack, "ingest", str(tmp_path / "nope"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
    gz = tmp_path / "x.md.gz"
    gz.write_bytes(gzip.compress(b"# T\n\nok"))
    assert aistack(stack, "ingest", str(gz)).returncode == 0
