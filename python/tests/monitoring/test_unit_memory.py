"""modules/monitoring/unit-memory.sh: each unit's cgroup memory.current and
memory.max as Prometheus text, checked by `promtool check metrics`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from monitoring_helpers import UNIT_MEMORY_SCRIPT, run_promtool
from prometheus_client.parser import text_string_to_metric_families

from aistack.common import metric_names as m


def cgroup(root: Path, unit: str, current: str, limit: str) -> None:
    d = root / "system.slice" / f"{unit}.service"
    d.mkdir(parents=True)
    (d / "memory.current").write_text(current + "\n")
    (d / "memory.max").write_text(limit + "\n")


def run(root: Path, out: Path, *units: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(UNIT_MEMORY_SCRIPT), str(root), str(out), *units],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_writes_memory_and_limit_per_running_unit(tmp_path: Path) -> None:
    root = tmp_path / "cgroup"
    cgroup(root, "aistack-coordinator", "104857600", "4294967296")
    cgroup(root, "llama-cpp", "7516192768", "max")
    out = tmp_path / "units.prom"
    proc = run(root, out, "aistack-coordinator", "llama-cpp", "redis-aistack")
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    print(text)
    lint = run_promtool("check", "metrics", stdin=text)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    values = {
        (s.name, s.labels["unit"]): s.value
        for f in text_string_to_metric_families(text)
        for s in f.samples
    }
    cur, lim = m.UNIT_MEMORY_CURRENT.name, m.UNIT_MEMORY_MAX.name
    assert values == {
        (cur, "aistack-coordinator"): 104857600.0,
        (lim, "aistack-coordinator"): 4294967296.0,
        (cur, "llama-cpp"): 7516192768.0,
        (lim, "llama-cpp"): float("inf"),
    }
    # The unit that is not running is left out, not reported as 0.
    assert "redis-aistack" not in text
    assert list(tmp_path.glob("units.prom.tmp*")) == []


def test_promtool_rejects_malformed_exposition() -> None:
    """The lint above can fail: a sample with a non-numeric value is refused."""
    bad = (
        "# HELP aistack_unit_memory_current_bytes x\n"
        "# TYPE aistack_unit_memory_current_bytes gauge\n"
        'aistack_unit_memory_current_bytes{unit="a"} lots\n'
    )
    assert run_promtool("check", "metrics", stdin=bad).returncode != 0


def test_script_refuses_missing_arguments(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["sh", str(UNIT_MEMORY_SCRIPT), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 64
    assert "usage" in proc.stderr
