"""A malformed dashboard config names the field and exits 78 (EX_CONFIG)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dashboard_helpers import tcp, write_config


def serve(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aistack", "serve", "dashboard", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_http_target_without_a_path_exits_78(tmp_path: Path) -> None:
    target = {"name": "web", "unit": "web", "check": "http", "endpoint": tcp(1), "path": None}
    result = serve(write_config(tmp_path, [target]))
    assert result.returncode == 78
    assert "targets[0]" in result.stderr and "needs a path" in result.stderr


def test_an_unknown_check_kind_exits_78(tmp_path: Path) -> None:
    config = write_config(tmp_path, [])
    data = json.loads(config.read_text())
    data["targets"] = [{"name": "x", "unit": "x", "check": "ping", "endpoint": None}]
    config.write_text(json.dumps(data))
    result = serve(config)
    assert result.returncode == 78 and "targets[0].check" in result.stderr


def test_a_zero_interval_exits_78(tmp_path: Path) -> None:
    result = serve(write_config(tmp_path, [], interval_s=0))
    assert result.returncode == 78 and "probe_interval_s" in result.stderr
