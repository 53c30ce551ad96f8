"""Bad configs are refused with the field named and exit 78 (EX_CONFIG)."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest

from aistack.config import EX_CONFIG, ConfigError, load_config


def good_config(rendered: dict[str, Path], service: str = "coordinator") -> dict:
    return json.loads((rendered["laptop"] / "etc" / "aistack" / f"{service}.json").read_text())


def mutate(config: dict, path: str, value: object = ..., delete: bool = False) -> dict:
    config = copy.deepcopy(config)
    *parents, leaf = path.split(".")
    node = config
    for key in parents:
        node = node[key]
    if delete:
        del node[leaf]
    else:
        node[leaf] = value
    return config


BAD = {
    "wrong type": (dict(path="upstreams.redis.path", value=42), "upstreams.redis.path"),
    "wrong type (port as string)": (dict(path="listen.port", value="8470"), "listen.port"),
    "port out of range": (dict(path="listen.port", value=70000), "listen.port"),
    "unknown key": (dict(path="upstreams.extra", value=1), "upstreams.extra"),
    "unknown top-level key": (dict(path="api_key", value="x"), "api_key"),
    "missing field": (
        dict(path="local_model.context_length", delete=True),
        "local_model.context_length",
    ),
    "future schema_version": (dict(path="schema_version", value=2), "schema_version"),
    "bad tier": (dict(path="tier", value="huge"), "tier"),
    "unknown injection detector": (
        dict(path="guard.injection_detector", value="neural"),
        "guard.injection_detector",
    ),
    "relative state dir": (dict(path="state_dir", value="var/lib/x"), "state_dir"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_config_check_names_the_field_and_exits_78(rendered, tmp_path: Path, case: str) -> None:
    change, field = BAD[case]
    bad = tmp_path / "coordinator.json"
    bad.write_text(json.dumps(mutate(good_config(rendered), **change)))
    proc = subprocess.run(
        ["aistack", "config", "check", str(bad)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == EX_CONFIG, proc.stdout + proc.stderr
    assert f"field {field!r}" in proc.stderr, proc.stderr


def test_future_schema_version_says_what_to_do(rendered, tmp_path: Path) -> None:
    bad = tmp_path / "c.json"
    bad.write_text(json.dumps(mutate(good_config(rendered), "schema_version", 7)))
    with pytest.raises(ConfigError, match="newer than this aistack understands"):
        load_config(bad)


@pytest.mark.parametrize("content", ["", "{", "[]", '{"service": "nope"}'])
def test_unreadable_configs_exit_78(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "c.json"
    bad.write_text(content)
    proc = subprocess.run(
        ["aistack", "config", "check", str(bad)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == EX_CONFIG
    assert str(bad) in proc.stderr


def test_good_config_passes(rendered) -> None:
    configs = sorted(str(p) for p in (rendered["laptop"] / "etc" / "aistack").glob("*.json"))
    proc = subprocess.run(
        ["aistack", "config", "check", *configs], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(": ok (") == 5


@pytest.mark.parametrize("service", ["coordinator", "embeddings", "knowledge"])
def test_serve_refuses_a_bad_config_with_78(rendered, tmp_path: Path, service: str) -> None:
    bad = tmp_path / f"{service}.json"
    bad.write_text(json.dumps(mutate(good_config(rendered, service), "log_level", "loud")))
    proc = subprocess.run(
        ["aistack", "serve", service, "--config", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == EX_CONFIG
    assert "field 'log_level'" in proc.stderr


def test_serve_refuses_another_services_config(rendered, tmp_path: Path) -> None:
    """A knowledge config handed to the coordinator is refused, not half-read."""
    path = rendered["laptop"] / "etc" / "aistack" / "knowledge.json"
    proc = subprocess.run(
        ["aistack", "serve", "coordinator", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == EX_CONFIG
    assert "field 'service'" in proc.stderr
