"""The host's identity key: created once, never replaced, refused when exposed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from aistack.guard.keys import KeyFileError, ensure_key_file, read_key_file

from conftest import REPO_ROOT


def test_created_once_with_private_mode(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "identity-key"
    assert ensure_key_file(path) is True
    first = path.read_bytes()
    assert len(first) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert ensure_key_file(path) is False  # never replaced
    assert path.read_bytes() == first
    assert read_key_file(path) == first
    assert [p.name for p in path.parent.iterdir()] == ["identity-key"]  # no temp file left


def test_exposed_short_or_missing_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "identity-key"
    with pytest.raises(KeyFileError, match="cannot read"):
        read_key_file(path)
    path.write_bytes(b"x" * 32)
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match="readable by group or others"):
        read_key_file(path)
    path.write_bytes(b"short")
    path.chmod(0o400)
    with pytest.raises(KeyFileError, match="at least 16"):
        read_key_file(path)


def test_secrets_init_command(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["aistack", "secrets", "init", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    events = [json.loads(line) for line in proc.stderr.strip().splitlines()]
    created = sorted(Path(e["path"]).name for e in events if e["event"] == "secret_created")
    assert created == ["api-keys", "identity-key"]
    assert str(read_key_file(tmp_path / "identity-key")) not in proc.stdout + proc.stderr
    api_keys = (tmp_path / "api-keys").read_text()
    assert api_keys.split("local:", 1)[1].strip() not in proc.stdout + proc.stderr
    again = subprocess.run(
        ["aistack", "secrets", "init", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(again.stderr.strip().splitlines()[-1])["event"] == "secret_present"


def test_coordinator_without_its_key_refuses_to_start(tmp_path: Path, nixpkgs_lib: Path) -> None:
    out = tmp_path / "r"
    subprocess.run(
        ["aistack", "render", str(REPO_ROOT / "hosts" / "laptop"), "--out", str(out), "--local"],
        check=True,
        capture_output=True,
    )
    config = out / "etc" / "aistack" / "coordinator.json"
    proc = subprocess.run(
        ["aistack", "serve", "coordinator", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 78
    assert "identity-key" in proc.stderr and "cannot read the key" in proc.stderr
