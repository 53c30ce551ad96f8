"""``aistack verify-model`` as a user runs it: a real subprocess, real files."""

from __future__ import annotations

import hashlib
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from gguf_factory import build_gguf

REPORT_KEYS = {"path", "ok", "magic", "version", "tensor_count", "kv_count", "sha256", "findings"}


def run_cli(*args: str | Path) -> tuple[int, dict | None, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "aistack", "verify-model", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = proc.stdout.splitlines()
    assert len(lines) <= 1, proc.stdout
    return proc.returncode, json.loads(lines[0]) if lines else None, proc.stderr


@pytest.fixture()
def model(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "tiny-q8_0.gguf"
    build_gguf(path)
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def test_clean_file_exit_0(model: tuple[Path, str]) -> None:
    path, digest = model
    code, report, _ = run_cli(path, "--sha256", digest)
    assert code == 0
    assert report is not None and set(report) >= REPORT_KEYS
    assert report["ok"] is True and report["findings"] == []
    assert (report["magic"], report["version"], report["tensor_count"]) == ("GGUF", 3, 2)
    assert report["kv_count"] == 12 and report["sha256"] == digest


def test_findings_exit_1(tmp_path: Path, model: tuple[Path, str]) -> None:
    path, _ = model
    code, report, _ = run_cli(path, "--sha256", "0" * 64)
    assert code == 1 and report and report["findings"][0]["kind"] == "sha256_mismatch"

    evil = tmp_path / "evil.gguf"
    evil.write_bytes(pickle.dumps({"x": 1}, protocol=4) + b"cposix\nsystem\n")
    code, report, _ = run_cli(evil)
    assert code == 1 and report and report["ok"] is False
    assert {"bad_magic", "pickle_global"} <= {f["kind"] for f in report["findings"]}

    hostile = tmp_path / "hostile.gguf"
    hostile.write_bytes(b"GGUF" + (3).to_bytes(4, "little") + (2**64 - 1).to_bytes(8, "little") * 2)
    code, report, _ = run_cli(hostile)
    assert code == 1 and report and report["findings"][0]["kind"] == "truncated_file"


@pytest.mark.parametrize(
    "args",
    [
        ["--sha256", "xyz"],
        ["--sha256", "a" * 63],
        ["--repo", "not a repo"],
        ["--allow-repo", "../etc"],
        ["--hf-commit", "HEAD"],
        ["--downloaded-at", "yesterday"],
    ],
)
def test_bad_usage_exit_2(model: tuple[Path, str], args: list[str]) -> None:
    path, _ = model
    code, report, err = run_cli(path, *args)
    assert code == 2 and report is None and "verify-model" in err


def test_missing_file_and_bad_registry_exit_2(tmp_path: Path, model: tuple[Path, str]) -> None:
    code, report, err = run_cli(tmp_path / "missing.gguf")
    assert code == 2 and report is None and "no such file" in err
    registry = tmp_path / "registry.json"
    registry.write_text('{"models": "nope"}')
    code, report, err = run_cli(model[0], "--registry", registry)
    assert code == 2 and "registry" in err
    code, report, err = run_cli(model[0], "--registry", tmp_path / "absent.json")
    assert code == 2 and report is None and "absent.json" in err


def test_registry_and_allowlist(tmp_path: Path, model: tuple[Path, str]) -> None:
    path, digest = model
    registry = tmp_path / "registry.json"
    entry = {"id": "tiny", "hf_repo": "test/tiny-GGUF", "hf_file": path.name, "sha256": digest}
    registry.write_text(json.dumps({"schema_version": 1, "models": [entry]}))
    code, report, _ = run_cli(path, "--registry", registry, "--repo", "test/tiny-GGUF")
    assert code == 0 and report and report["registry_id"] == "tiny"
    assert report["checks"]["sha256"] == "match" and report["checks"]["repo"] == "allowed"
    code, report, _ = run_cli(path, "--registry", registry, "--repo", "someone/else")
    assert code == 1 and report and report["checks"]["repo"] == "not_allowed"
    code, report, _ = run_cli(
        path,
        "--registry",
        registry,
        "--repo",
        "someone/else",
        "--allow-repo",
        "someone/else",
        "--allow-repo",
        "test/tiny-GGUF",
    )
    # Allowed by the explicit list, but the registry pins this file to another repo.
    assert code == 1 and report and report["checks"]["repo"] == "mismatch"


def test_default_registry_is_the_repos(repo_root: Path, model: tuple[Path, str]) -> None:
    registry = repo_root / "lib" / "models" / "registry.json"
    if not registry.is_file():
        pytest.skip("lib/models/registry.json not in this checkout")
    data = json.loads(registry.read_text())
    entries = data["models"] if isinstance(data, dict) else data
    code, report, _ = run_cli(model[0], "--repo", entries[0]["hf_repo"])
    assert code == 0 and report and report["checks"]["repo"] == "allowed"


def test_provenance_written_only_when_clean(tmp_path: Path, model: tuple[Path, str]) -> None:
    path, digest = model
    prov = tmp_path / "provenance.json"
    code, report, _ = run_cli(
        path,
        "--sha256",
        digest,
        "--repo",
        "test/tiny-GGUF",
        "--allow-repo",
        "test/tiny-GGUF",
        "--provenance",
        prov,
        "--model",
        "tiny",
        "--hf-commit",
        "a" * 40,
        "--downloaded-at",
        "2025-01-02T03:04:05Z",
    )
    assert code == 0 and report and report["provenance"] == str(prov)
    assert json.loads(prov.read_text()) == {
        "tiny": {
            "model": "tiny",
            "sha256": digest,
            "hf_repo": "test/tiny-GGUF",
            "hf_commit": "a" * 40,
            "downloaded_at": "2025-01-02T03:04:05Z",
        }
    }
    before = prov.read_bytes()
    code, report, _ = run_cli(path, "--sha256", "1" * 64, "--provenance", prov, "--model", "x")
    assert code == 1 and report and report["provenance"] is None
    assert prov.read_bytes() == before

    # Default name and time: the file name and its mtime.
    code, report, _ = run_cli(path, "--provenance", prov)
    assert code == 0
    assert json.loads(prov.read_text())[path.name]["downloaded_at"].endswith("Z")


def test_corrupt_provenance_file_fails_without_overwrite(
    tmp_path: Path, model: tuple[Path, str]
) -> None:
    prov = tmp_path / "provenance.json"
    prov.write_text("{broken")
    code, report, _ = run_cli(model[0], "--provenance", prov)
    assert code == 1 and report and report["findings"][0]["kind"] == "provenance_not_written"
    assert prov.read_text() == "{broken"
