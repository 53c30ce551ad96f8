"""A host folder is untrusted input: ``aistack render`` evaluates it sandboxed and writes all or nothing."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from aistack.render.files import write_rendered_tree
from aistack.render.nftables import PolicyError
from aistack.render.nixeval import NixEvalError, nix_eval_json

REPO = Path(__file__).resolve().parents[3]
RENDER = [sys.executable, "-m", "aistack", "render"]
# Never terminates in practice, allocates little: the timeout must stop it.
TIME_BOMB = (
    "builtins.foldl' (a: b: builtins.foldl' (c: d: c + d) a "
    "(builtins.genList (x: x) 100000)) 0 (builtins.genList (x: x) 100000)"
)


def host_with(tmp_path: Path, **facts: str) -> Path:
    """A copy of hosts/laptop whose facts.nix has ``facts`` (Nix source) set or added."""
    host = tmp_path / "host"
    shutil.copytree(REPO / "hosts" / "laptop", host)
    body = {
        "hostName": '"laptop"',
        "systemRamGb": "27",
        "cpuArchitecture": '"x86_64"',
        "cpuCores": "8",
    }
    body.update(facts)
    (host / "facts.nix").write_text(
        "{\n" + "".join(f"  {k} = {v};\n" for k, v in body.items()) + "}\n"
    )
    return host


def render(host: Path, out: Path, *extra: str, env: dict | None = None):
    return subprocess.run(
        [*RENDER, str(host), "--source", str(REPO), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("builtins.readFile /etc/shadow", "forbidden in restricted mode"),
        ("builtins.readFile /dev/zero", "forbidden in restricted mode"),
        ('builtins.readFile (builtins.fetchurl "http://127.0.0.1:9/k")', "forbidden"),
        ('builtins.readFile "${builtins.fetchGit ./.}/facts.nix"', "not supported by store"),
    ],
    ids=["shadow", "dev-zero", "fetchurl", "fetchGit-copy"],
)
def test_host_files_cannot_reach_outside_their_inputs(
    nixpkgs_lib, tmp_path: Path, expr: str, words: str
) -> None:
    host = host_with(tmp_path, hostName=expr)
    # A git repository fetchGit could copy into the Nix store, were the store writable.
    if shutil.which("git") is None:
        pytest.fail("git not found: apt-get install -y git", pytrace=False)
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=host, check=True)
    subprocess.run([*git, "add", "-A"], cwd=host, check=True)
    subprocess.run([*git, "commit", "-qm", "host"], cwd=host, check=True)
    out = tmp_path / "out"
    proc = render(host, out)
    assert proc.returncode == 1, proc.stdout
    assert words in proc.stderr, proc.stderr
    assert not out.exists()  # nothing written


def test_environment_variables_do_not_reach_the_plan(nixpkgs_lib, tmp_path: Path) -> None:
    marker = "envsecret" + secrets.token_hex(8)
    host = host_with(tmp_path, cpuVendor='builtins.getEnv "AISTACK_TEST_SECRET"')
    out = tmp_path / "out"
    proc = render(host, out, env={**os.environ, "AISTACK_TEST_SECRET": marker})
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "plan.json").read_text())["facts"]["cpuVendor"] == ""
    for path in out.rglob("*"):
        if path.is_file():
            assert marker not in path.read_text(errors="replace"), path


def test_a_memory_bomb_is_stopped_by_the_memory_limit(nixpkgs_lib, tmp_path: Path) -> None:
    host = host_with(
        tmp_path, cpuCores='builtins.length (builtins.genList (x: "a${toString x}") 300000000)'
    )
    proc = render(host, tmp_path / "out")
    assert proc.returncode == 1
    assert "out of memory" in proc.stderr, proc.stderr


def _nix_children_of(pid: int) -> list[psutil.Process]:
    try:
        return [p for p in psutil.Process(pid).children(recursive=True) if "nix" in p.name()]
    except psutil.NoSuchProcess:
        return []


def test_timeout_kills_the_evaluation(tmp_path: Path) -> None:
    expr = tmp_path / "bomb.nix"
    expr.write_text(TIME_BOMB + "\n")
    started = time.monotonic()
    with pytest.raises(NixEvalError, match="took longer than"):
        nix_eval_json(expr, {}, timeout=2)
    assert time.monotonic() - started < 10
    assert _nix_children_of(os.getpid()) == []


def test_sigterm_to_render_stops_the_evaluation(nixpkgs_lib, tmp_path: Path) -> None:
    host = host_with(tmp_path, systemRamGb=TIME_BOMB)
    proc = subprocess.Popen(
        [*RENDER, str(host), "--source", str(REPO), "--out", str(tmp_path / "out")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        children: list[psutil.Process] = []
        while not children and time.monotonic() < deadline:
            children = _nix_children_of(proc.pid)
            time.sleep(0.1)
        assert children, "nix-instantiate never started"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        _, alive = psutil.wait_procs(children, timeout=10)
        assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], alive
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        # The typed facts option rejects the key before lib/tiers.nix sees it.
        ({"tier": '"gigantic"'}, "option `services.aistack.facts.tier' does not exist"),
        ({"hostName": '"lap\\ntop; rm -rf /"'}, "not an RFC 1123 host name"),
        ({"hostName": '"lap_top"'}, "not an RFC 1123 host name"),
        ({"systemRamGb": "10000"}, "facts.systemRamGb = 10000 is not plausible"),
        ({"cpuCores": "100000"}, "facts.cpuCores = 100000 is not plausible"),
        ({"gpuVramGb": "5000"}, "facts.gpuVramGb = 5000 is not plausible"),
    ],
    ids=["unknown-key", "newline-host", "underscore-host", "ram", "cores", "vram"],
)
def test_facts_are_validated(nixpkgs_lib, tmp_path: Path, facts: dict, words: str) -> None:
    out = tmp_path / "out"
    proc = render(host_with(tmp_path, **facts), out)
    assert proc.returncode == 1, proc.stdout
    assert words in proc.stderr, proc.stderr
    assert not out.exists()


def test_unit_unsafe_out_path_is_refused_before_anything_is_written(
    nixpkgs_lib, tmp_path: Path
) -> None:
    out = tmp_path / "o sp"
    proc = render(REPO / "hosts" / "laptop", out, "--local")
    assert proc.returncode == 2
    assert "contains ' '" in proc.stderr
    assert not out.exists()


def test_a_failing_policy_leaves_the_previous_render_untouched(rendered, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(rendered["laptop"], out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    plan = json.loads((out / "plan.json").read_text())
    plan["hostName"] = "changed"
    # The policies render last; one bad path in them must stop the whole render.
    policy = plan["policies"]["aistack-audit"]
    policy["writePaths"] = [*policy["writePaths"], "/var/lib/a b"]
    with pytest.raises(PolicyError):
        write_rendered_tree(plan, out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left


def test_a_line_break_cannot_inject_a_unit_directive() -> None:
    from aistack.render.units import UnitRenderError, render_unit

    unit = {"description": "x\nExecStartPre=/bin/sh -c evil", "serviceConfig": {}}
    with pytest.raises(UnitRenderError):
        render_unit("aistack-x", unit)
    unit = {"description": "x", "serviceConfig": {"ReadWritePaths": ["/a\nUser=root"]}}
    with pytest.raises(UnitRenderError):
        render_unit("aistack-x", unit)


def test_audit_unit_has_room_for_its_connection_cap(rendered) -> None:
    unit = (rendered["laptop"] / "systemd" / "aistack-audit.service").read_text()
    nofile = int(
        next(ln for ln in unit.splitlines() if ln.startswith("LimitNOFILE=")).split("=")[1]
    )
    config = json.loads((rendered["laptop"] / "etc" / "aistack" / "audit.json").read_text())
    assert config["max_connections"] + 64 <= nofile
