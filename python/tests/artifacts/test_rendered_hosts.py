"""Every example host rendered, and every file checked by the tool that owns its format."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from aistack.config import ConfigError, load_config, model_for_service

from conftest import HOSTS

EXPECTED_TIERS = {"laptop": "medium", "sbc-minimal": "micro", "server": "large"}

# systemd-analyze security targets: a Python service at most 1.0, one that
# loads torch (needs W+X memory) at most 1.5.
MAX_EXPOSURE = 1.0
MAX_EXPOSURE_TORCH = 1.5
# A service with no IP network at all (socket-activated, PrivateNetwork=yes).
MAX_EXPOSURE_NO_NETWORK = 0.5
# llama.cpp with DevicePolicy=closed and only its GPU's nodes (nixpkgs' own: 1.5).
MAX_EXPOSURE_LLAMA_CPP = 1.3
# The task runner builds bubblewrap sandboxes: it keeps user/pid/net/mount
# namespaces, the mount syscalls, a full /proc and a delegated cgroup subtree,
# and confines each agent in a sandbox of its own instead.
MAX_EXPOSURE_SANDBOX_RUNNER = 3.0


def systemd_analyze() -> str:
    binary = shutil.which("systemd-analyze")
    if binary is None:
        pytest.fail(
            "systemd-analyze not found: apt-get install -y systemd (.ci/run does)", pytrace=False
        )
    return binary


# Directives NixOS 26.05's systemd knows but this machine's (Debian's 252) does
# not: verify warns "Unknown key" for these and only these, which is expected.
DIRECTIVES_NEWER_THAN_THIS_SYSTEMD = {"NFTSet": 254}


def newer_than_this_systemd(line: str) -> bool:
    """A verify warning about a directive this systemd is too old to know."""
    match = re.search(r"Unknown key '(\w+)' in section \[Service\]", line)
    if not match or match.group(1) not in DIRECTIVES_NEWER_THAN_THIS_SYSTEMD:
        return False
    version = int(
        subprocess.run(
            [systemd_analyze(), "--version"], capture_output=True, text=True
        ).stdout.split()[1]
    )
    return version < DIRECTIVES_NEWER_THAN_THIS_SYSTEMD[match.group(1)]


def verify_root(units: list[Path], scratch: Path, provide_exec: bool = True) -> Path:
    """A root for ``systemd-analyze verify --root``: this machine's systemd units,
    the rendered units, and each ExecStart executable (a copy of the real one, or
    an empty executable where it only exists on NixOS, e.g. llama-server)."""
    root = scratch / "verify-root"
    units_dir = root / "etc" / "systemd" / "system"
    units_dir.mkdir(parents=True, exist_ok=True)
    system_units = root / "usr" / "lib" / "systemd" / "system"
    if not system_units.exists():
        shutil.copytree("/usr/lib/systemd/system", system_units, symlinks=True)
    for unit in units:
        shutil.copy(unit, units_dir / unit.name)
        if not provide_exec:
            continue
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                exe = Path(shlex.split(line.removeprefix("ExecStart="))[0])
                target = root / exe.relative_to("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                if exe.is_file():
                    shutil.copy(exe, target)
                else:
                    target.write_text("#!/bin/sh\n")
                target.chmod(0o755)
    return root


def verify_unit(
    unit: Path, scratch: Path, provide_exec: bool = True, siblings: list[Path] = ()
) -> subprocess.CompletedProcess[str]:
    """``systemd-analyze verify`` of ``unit`` (with the units it references);
    a clean unit prints nothing at all."""
    root = verify_root([unit, *siblings], scratch, provide_exec)
    return subprocess.run(
        [systemd_analyze(), "verify", "--man=no", f"--root={root}", unit.name],
        capture_output=True,
        text=True,
        check=False,
    )


def exposure(unit: Path, scratch: Path) -> float:
    """Overall exposure from ``systemd-analyze security --offline=yes``."""
    root = scratch / f"root-{unit.stem}"
    units_dir = root / "etc" / "systemd" / "system"
    units_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(unit, units_dir / unit.name)
    proc = subprocess.run(
        [systemd_analyze(), "security", "--offline=yes", f"--root={root}", "--no-pager", unit.name],
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+(?:\.\d+)?)", proc.stdout)
    assert match, f"no exposure in output:\n{proc.stdout}\n{proc.stderr}"
    return float(match.group(1))


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """Sections -> key -> values (a key may repeat, as systemd allows)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"directive outside a section: {line}"
        current.setdefault(key, []).append(value)
    return sections


def nixos_values(value: object) -> list[str]:
    """A plan value as the lines NixOS would write for it."""
    items = value if isinstance(value, list) else [value]
    return ["true" if v is True else "false" if v is False else str(v) for v in items]


def load_plan(out: Path) -> dict:
    return json.loads((out / "plan.json").read_text())


@pytest.mark.parametrize("host", HOSTS)
def test_one_config_and_one_unit_per_service(rendered: dict[str, Path], host: str) -> None:
    out = rendered[host]
    plan = load_plan(out)
    if host in EXPECTED_TIERS:
        assert plan["tier"] == EXPECTED_TIERS[host]
    services = plan["services"]
    expected = {"audit", "coordinator", "dashboard", "embeddings", "knowledge"}
    if plan["tier"] == "nano":  # torch does not fit: no embeddings, no retrieval
        expected -= {"embeddings", "knowledge"}
    if host == "server":  # the one example host that opts into the task runner
        expected |= {"tasks"}
    assert set(services) == expected
    assert sorted(p.name for p in (out / "etc" / "aistack").iterdir()) == sorted(
        f"{s}.json" for s in services
    )
    assert set(plan["units"]) >= {s["unit"] for s in services.values()}
    units = sorted(f"{name}.service" for name in plan["units"])
    sockets = sorted(f"{name}.socket" for name, u in plan["units"].items() if u["socket"])
    timers = sorted(f"{name}.timer" for name, u in plan["units"].items() if u["timer"])
    # The coordinator's weekly learning pass comes with it.
    assert ("aistack-learn.timer" in timers) == ("coordinator" in services)
    assert sorted(p.name for p in (out / "systemd").iterdir()) == sorted(units + sockets + timers)


@pytest.mark.parametrize("host", HOSTS)
def test_every_config_loads_with_its_model(rendered: dict[str, Path], host: str) -> None:
    for path in sorted((rendered[host] / "etc" / "aistack").glob("*.json")):
        config = load_config(path, model_for_service(path.stem))
        assert config.schema_version == 1
        assert config.host_name == host


@pytest.mark.parametrize("host", HOSTS)
def test_units_pass_systemd_analyze_verify(
    rendered: dict[str, Path], host: str, tmp_path: Path
) -> None:
    units = sorted((rendered[host] / "systemd").iterdir())
    for unit in units:
        proc = verify_unit(unit, tmp_path, siblings=units)
        output = [
            ln for ln in (proc.stdout + proc.stderr).splitlines() if not newer_than_this_systemd(ln)
        ]
        assert proc.returncode == 0 and output == [], f"{unit.name}:\n{proc.stderr}"


@pytest.mark.parametrize("host", HOSTS)
def test_units_carry_the_plan_directive_for_directive(rendered: dict[str, Path], host: str) -> None:
    plan = load_plan(rendered[host])
    for name, service in plan["units"].items():
        parsed = parse_unit((rendered[host] / "systemd" / f"{name}.service").read_text())
        assert set(parsed) == {"Unit", "Service", "Install"}
        directives = {k: v for k, v in parsed["Service"].items() if k != "Environment"}
        expected = {k: nixos_values(v) for k, v in service["serviceConfig"].items()}
        assert directives == expected
        if service["socket"]:
            assert parsed["Install"] == {"Also": [f"{name}.socket"]}
            assert f"{name}.socket" in parsed["Unit"]["Requires"][0].split()
        elif service["timer"]:
            assert parsed["Install"] == {"Also": [f"{name}.timer"]}
        else:
            assert parsed["Install"]["WantedBy"] == ["multi-user.target"]
        # systemd itself reads the file the same way (no stray syntax).
        cp = configparser.ConfigParser(strict=False, interpolation=None)
        cp.optionxform = str  # type: ignore[assignment,method-assign]
        cp.read_string((rendered[host] / "systemd" / f"{name}.service").read_text())


@pytest.mark.parametrize("host", HOSTS)
def test_security_exposure_within_budget(
    rendered: dict[str, Path], host: str, tmp_path: Path, capsys
) -> None:
    plan = load_plan(rendered[host])
    figures = {}
    for name, unit in sorted(plan["units"].items()):
        score = exposure(rendered[host] / "systemd" / f"{name}.service", tmp_path)
        if name == "llama-cpp":
            budget = MAX_EXPOSURE_LLAMA_CPP
        elif "Delegate" in unit["serviceConfig"]:
            budget = MAX_EXPOSURE_SANDBOX_RUNNER
        elif unit["serviceConfig"].get("PrivateNetwork") is True:
            budget = MAX_EXPOSURE_NO_NETWORK
        elif unit["serviceConfig"]["MemoryDenyWriteExecute"] is False:
            budget = MAX_EXPOSURE_TORCH
        else:
            budget = MAX_EXPOSURE
        figures[name] = (score, budget)
    with capsys.disabled():
        print(
            f"\n  systemd-analyze security, {host}: "
            + ", ".join(f"{n} {s:.1f} (<= {b})" for n, (s, b) in figures.items())
        )
    over = {n: f for n, f in figures.items() if f[0] > f[1]}
    assert over == {}


# --- every check above can fail ----------------------------------------------


def test_verify_rejects_a_broken_unit(rendered: dict[str, Path], tmp_path: Path) -> None:
    unit = rendered["laptop"] / "systemd" / "aistack-coordinator.service"
    text = unit.read_text()
    broken = tmp_path / unit.name
    broken.write_text(
        text.replace("MemoryMax=2G", "MemoryMax=lots").replace("TasksMax=256", "TaksMax=256")
    )
    proc = verify_unit(broken, tmp_path / "a")
    assert "Invalid memory limit" in proc.stderr and "Unknown key" in proc.stderr
    llama = rendered["laptop"] / "systemd" / "llama-cpp.service"
    proc = verify_unit(llama, tmp_path / "b", provide_exec=False)
    assert proc.returncode != 0 and "is not executable" in proc.stderr


def test_security_check_sees_a_weakened_unit(rendered: dict[str, Path], tmp_path: Path) -> None:
    unit = rendered["laptop"] / "systemd" / "aistack-coordinator.service"
    weak_lines = [
        line
        for line in unit.read_text().splitlines()
        if not line.startswith(("Protect", "Private", "SystemCall", "Restrict", "Capability"))
    ]
    weak = tmp_path / "weak" / unit.name
    weak.parent.mkdir()
    weak.write_text("\n".join(weak_lines) + "\n")
    assert exposure(weak, tmp_path) > MAX_EXPOSURE_TORCH


def test_config_model_rejects_a_tampered_rendered_config(
    rendered: dict[str, Path], tmp_path: Path
) -> None:
    config = json.loads((rendered["laptop"] / "etc" / "aistack" / "knowledge.json").read_text())
    config["embedding_dim"] = "384"
    bad = tmp_path / "knowledge.json"
    bad.write_text(json.dumps(config))
    with pytest.raises(ConfigError, match="embedding_dim"):
        load_config(bad)


@pytest.mark.parametrize("host", HOSTS)
def test_profiles_let_units_read_what_systemd_hands_them(
    rendered: dict[str, Path], host: str
) -> None:
    """A unit with LoadCredential= can read its credentials directory under its
    AppArmor profile, and its config file; otherwise enforce mode would stop it
    before its first request."""
    plan = load_plan(rendered[host])
    for name, unit in plan["units"].items():
        profile = (
            rendered[host] / "apparmor" / unit["serviceConfig"]["AppArmorProfile"]
        ).read_text()
        if unit["serviceConfig"].get("LoadCredential"):
            credentials = f"{plan['paths']['credentialsDir']}/{name}.service/**"
            assert f"{credentials} r," in profile, (name, credentials)
        service = next((s for s in plan["services"].values() if s["unit"] == name), None)
        if service is not None:
            assert f"{service['configFile']} r," in profile, name
