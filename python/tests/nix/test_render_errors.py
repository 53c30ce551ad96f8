"""Bad host settings fail `aistack render` with one clear message, not a trace."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import REPO_ROOT


def make_host(tmp_path: Path, facts: str, settings: str = "") -> Path:
    """A host folder inside a copy-free layout: render finds lib via --source."""
    host = tmp_path / "host"
    host.mkdir()
    (host / "facts.nix").write_text(facts)
    (host / "aistack.nix").write_text(
        textwrap.dedent(
            f"""
            {{
              services.aistack = {{
                enable = true;
                facts = import ./facts.nix;
                {settings}
              }};
            }}
            """
        )
    )
    return host


def render(host: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["aistack", "render", str(host), "--out", str(out), "--source", str(REPO_ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )


CASES = {
    "tier outside the five": (
        "{ systemRamGb = 8; }",
        'tier = "huge";',
        ["nano", "micro", "small", "medium", "large"],
    ),
    "14B model on an 8 GB host": (
        '{ systemRamGb = 8; cpuArchitecture = "aarch64"; }',
        'model = "qwen2.5-14b-instruct-q4_k_m";',
        [
            "14.7B-parameter (14B-class)",
            "at least 12 GB",
            "this host has 8 GB",
            "Pick phi-4-mini-instruct-q4_k_m",
            "services.aistack.model",
        ],
    ),
    "unknown model": (
        "{ systemRamGb = 16; }",
        'model = "gpt-5";',
        ["services.aistack.model", "qwen2.5-7b-instruct-q4_k_m"],
    ),
    "RAM of the wrong type": (
        '{ systemRamGb = "lots"; }',
        "",
        ["systemRamGb", "positive"],
    ),
    "API key in the Nix store": (
        "{ systemRamGb = 32; }",
        'remoteApi = { enable = true; baseUrl = "https://api.example.com/v1"; model = "m"; apiKeyFile = "/nix/store/abc-key"; };',
        ["apiKeyFile is in the Nix store", "outside the store"],
    ),
    "remote API over plain http": (
        "{ systemRamGb = 32; }",
        'remoteApi = { enable = true; baseUrl = "http://api.example.com/v1"; model = "m"; apiKeyFile = "/run/secrets/k"; };',
        ["must be an https:// URL"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_settings_give_one_clear_message(case: str, tmp_path: Path, nixpkgs_lib: Path) -> None:
    facts, settings, expected = CASES[case]
    host = make_host(tmp_path, facts, settings)
    proc = render(host, tmp_path / "out")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith("aistack render: ")
    for needle in expected:
        assert needle in proc.stderr, f"{needle!r} not in: {proc.stderr}"
    # A message, not a Nix trace dump.
    assert "while evaluating" not in proc.stderr
    assert "--show-trace" not in proc.stderr
    assert len(proc.stderr.splitlines()) <= 4, proc.stderr
    assert not (tmp_path / "out" / "plan.json").exists(), "nothing is written on failure"


def test_good_settings_render(tmp_path: Path, nixpkgs_lib: Path) -> None:
    """The same harness with valid settings renders: the cases above fail for their reason."""
    host = make_host(tmp_path, "{ systemRamGb = 16; }", 'model = "qwen2.5-7b-instruct-q4_k_m";')
    proc = render(host, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "plan.json").is_file()


def test_missing_nixpkgs_lib_is_one_line(tmp_path: Path) -> None:
    """Without any nixpkgs lib, render says how to get one, in one line."""
    env = {
        "PATH": subprocess.os.environ["PATH"],
        "HOME": str(tmp_path),
        "NIXPKGS_LIB": str(tmp_path / "none"),
    }
    proc = subprocess.run(
        ["aistack", "render", str(REPO_ROOT / "hosts" / "laptop"), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1
    assert "nixpkgs lib not found" in proc.stderr and "DEVELOPERS.md" in proc.stderr
