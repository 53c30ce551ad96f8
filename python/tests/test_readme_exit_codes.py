"""The README's exit-code table holds: every row's malformed inputs give its exit code,
with one line of reason and no traceback."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO_ROOT

DEEP = b"[" * 100_000 + b"]" * 100_000
HUGE_INT = b"9" * 100_000


def readme_rows() -> dict[str, int]:
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("### Exit codes for malformed input", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2].isdigit():
            rows[f"{cells[0]} / {cells[1][:12]}"] = int(cells[2])
    return rows


def aistack(*args: str, stdin: bytes = b"") -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "aistack", *args], input=stdin, capture_output=True, timeout=180
    )
    stderr = proc.stderr.decode(errors="replace")
    assert "Traceback" not in stderr, stderr
    assert stderr.strip(), "no reason printed"
    return proc.returncode, stderr


def bad_configs(tmp: Path, good: bytes) -> list[Path]:
    cases = {
        "utf8": good.replace(b'"laptop"', b'"lap\xfftop"'),
        "deep": b'{"a": ' + DEEP + b"}",
        "int": b'{"a": ' + HUGE_INT + b"}",
        "big": b"[" + b"{}," * 400_000 + b"{}]",
        "meaning": good.replace(b'"laptop"', b'"lap top"'),
    }
    paths = []
    for name, data in cases.items():
        path = tmp / f"{name}.json"
        path.write_bytes(data)
        paths.append(path)
    return paths


def jsonl_lines() -> list[bytes]:
    return [
        b'{"text": "caf\xe9"}\n',
        b"not json\n",
        b'{"text": "x", "y": ' + DEEP + b"}\n",
        b'{"text": "x", "n": ' + HUGE_INT + b"}\n",
        b'{"text": ' + b'"' + b"a" * (9 * 1024 * 1024) + b'"}\n',
        b'{"txt": "x"}\n',
    ]


def bad_audit_logs(tmp: Path) -> list[Path]:
    paths = []
    for name, line in {
        "utf8": b'{"seq": "\xff"}\n',
        "deep": b'{"a": ' + DEEP[:60_000] + b"}\n",
        "int": b'{"seq": ' + HUGE_INT[:5000] + b"}\n",
        "chain": b'{"hash":"x","prev":"y","record":{},"seq":1}\n',
    }.items():
        path = tmp / f"{name}.log"
        path.write_bytes(line)
        paths.append(path)
    return paths


def host_with_facts(tmp: Path, name: str, extra: str) -> Path:
    host = tmp / name
    shutil.copytree(REPO_ROOT / "hosts" / "laptop", host)
    facts = (host / "facts.nix").read_text().replace("{\n", "{\n" + extra + "\n", 1)
    (host / "facts.nix").write_text(facts)
    return host


def cases(tmp: Path, rendered: dict[str, Path]) -> dict[str, list[Callable[[], tuple[int, str]]]]:
    good = (rendered["laptop"] / "etc" / "aistack" / "coordinator.json").read_bytes()
    configs = bad_configs(tmp, good)
    render = ["render", "--source", str(REPO_ROOT)]
    bad_hosts = [
        host_with_facts(tmp, "nixerr", "  cpuCores = 1 +;"),
        host_with_facts(tmp, "shadow", "  cpuVendor = builtins.readFile /etc/shadow;"),
        host_with_facts(tmp, "unknown", '  tier = "gigantic";'),
        host_with_facts(tmp, "ram", "  gpuVramGb = 99999;"),
    ]
    (bad_hosts[3] / "facts.nix").write_text(
        (bad_hosts[3] / "facts.nix").read_text().replace('"laptop"', '"lap top"')
    )
    return {
        "`aistack config check FILE`": [
            (lambda p=p: aistack("config", "check", str(p))) for p in configs
        ],
        "`aistack serve SERVICE --config FILE`": [
            (lambda p=p: aistack("serve", "coordinator", "--config", str(p))) for p in configs
        ],
        "`aistack guard scan --jsonl`, `aistack guard redact --jsonl`": [
            (lambda g=g, line=line: aistack("guard", g, "--jsonl", stdin=line))
            for g in ("scan", "redact")
            for line in jsonl_lines()
        ],
        "`aistack audit verify FILE` / a line that ": [
            (lambda p=p: aistack("audit", "verify", str(p))) for p in bad_audit_logs(tmp)
        ],
        "`aistack audit verify FILE` / a missing or": [
            lambda: aistack("audit", "verify", str(tmp / "no-such.log"))
        ],
        "`aistack render HOST_DIR --out DIR`": [
            (lambda h=h: aistack(*render, str(h), "--out", str(tmp / f"out-{h.name}")))
            for h in bad_hosts
        ],
        "`aistack render HOST_DIR --out DIR --local`": [
            lambda: aistack(
                *render, str(REPO_ROOT / "hosts" / "laptop"), "--local", "--out", str(tmp / "o sp")
            ),
        ],
    }


def test_every_row_of_the_exit_code_table_holds(rendered, tmp_path: Path) -> None:
    rows = readme_rows()
    assert len(rows) == 7, rows
    table = cases(tmp_path, rendered)
    for row, expected in rows.items():
        command, _, _ = row.partition(" / ")
        runners = table.get(row) or table.get(command)
        assert runners, f"README row without a test: {row}"
        for run in runners:
            code, stderr = run()
            assert code == expected, f"{row}: exit {code}, expected {expected}: {stderr}"
    for out in tmp_path.glob("out-*"):
        pytest.fail(f"a failed render wrote {out}")
    assert not (tmp_path / "o sp").exists()


def test_audit_verify_names_the_line(tmp_path: Path) -> None:
    path = bad_audit_logs(tmp_path)[1]
    proc = subprocess.run(
        [sys.executable, "-m", "aistack", "audit", "verify", str(path)],
        capture_output=True,
        text=True,
    )
    assert json.loads(proc.stdout)["line"] == 1
    assert re.search(r"line 1: not valid JSON \(nested deeper", proc.stderr), proc.stderr
