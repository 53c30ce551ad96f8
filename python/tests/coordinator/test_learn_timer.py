"""The weekly learn job's spec in lib/services.nix: evaluates, and its calendar is valid."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest


def test_learn_job_spec(nixpkgs_lib: Path, repo_root: Path) -> None:
    expr = (
        f"let lib = import {nixpkgs_lib}/lib; in "
        f"(import {repo_root}/lib/services.nix {{ inherit lib; }}).jobs {{ }}"
    )
    proc = subprocess.run(
        ["nix-instantiate", "--eval", "--strict", "--json", "-E", expr],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    learn = json.loads(proc.stdout)["learn"]
    assert learn["args"] == ["learn"] and learn["service"] == "coordinator" and learn["persistent"]
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze not found: apt-get install -y systemd")
    calendar = subprocess.run(
        ["systemd-analyze", "calendar", learn["onCalendar"]], capture_output=True, text=True, check=False
    )  # fmt: skip
    assert calendar.returncode == 0, calendar.stderr
    assert "Next elapse" in calendar.stdout
