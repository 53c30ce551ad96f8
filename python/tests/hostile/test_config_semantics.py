"""Values that are the right type but wrong in meaning are refused, naming the field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aistack.config import EX_CONFIG

# (dotted field, bad value, the field the error names)
BAD = {
    "host_name with newline": ("host_name", "lap\ntop; rm -rf /", "host_name"),
    "host_name with NUL": ("host_name", "lap\0top", "host_name"),
    "host_name with space": ("host_name", "my laptop", "host_name"),
    "state_dir with ..": ("state_dir", "/var/lib/../../etc", "state_dir"),
    "socket path with ..": ("upstreams.redis.path", "/run/../etc/x.sock", "upstreams.redis.path"),
    "allow 0.0.0.0/0": ("guard.outbound.allow", ["0.0.0.0/0"], "guard.outbound.allow"),
    "allow ::/0": ("guard.outbound.allow", ["::/0"], "guard.outbound.allow"),
    "allow 0.0.0.0/1 with port": (
        "guard.outbound.allow",
        ["0.0.0.0/1:443"],
        "guard.outbound.allow",
    ),
    "scheme file": ("guard.outbound.schemes", ["https", "file"], "guard.outbound.schemes[1]"),
    "scheme gopher": ("guard.outbound.schemes", ["gopher"], "guard.outbound.schemes[0]"),
    "scheme empty": ("guard.outbound.schemes", [""], "guard.outbound.schemes[0]"),
}


def _set(config: dict, dotted: str, value: object) -> dict:
    *parents, leaf = dotted.split(".")
    node = config
    for key in parents:
        node = node[key]
    node[leaf] = value
    return config


@pytest.mark.parametrize("case", sorted(BAD))
def test_semantically_bad_value_is_refused_with_the_field(
    rendered, tmp_path: Path, case: str
) -> None:
    dotted, value, field = BAD[case]
    config = json.loads((rendered["laptop"] / "etc" / "aistack" / "coordinator.json").read_text())
    bad = tmp_path / "coordinator.json"
    bad.write_text(json.dumps(_set(config, dotted, value)))
    proc = subprocess.run(
        [sys.executable, "-m", "aistack", "config", "check", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == EX_CONFIG, proc.stdout
    assert f"field {field!r}" in proc.stderr, proc.stderr


def test_narrow_networks_and_lan_prefixes_are_still_allowed(rendered, tmp_path: Path) -> None:
    config = json.loads((rendered["laptop"] / "etc" / "aistack" / "coordinator.json").read_text())
    config["guard"]["outbound"]["allow"] += ["10.0.0.0/8:443", "fd00::/16", "api.example.org:443"]
    good = tmp_path / "coordinator.json"
    good.write_text(json.dumps(config))
    proc = subprocess.run(
        [sys.executable, "-m", "aistack", "config", "check", str(good)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
