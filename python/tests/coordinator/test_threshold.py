"""The threshold file: seeded, re-read at most once per interval, bad content kept out, A/B arms."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from aistack.common.jobstate import atomic_write_json
from aistack.coordinator.threshold import (
    ARM_CANDIDATE,
    ARM_CONTROL,
    AbArm,
    ThresholdSource,
    arm_for,
    threshold_document,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def write(path: Path, doc: dict) -> None:
    atomic_write_json(path, doc)
    # Make the change visible even within the file system's timestamp granularity.
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_seeds_missing_file_from_the_plan(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    source = ThresholdSource(path, 0.5, clock=Clock())
    assert source.threshold() == 0.5
    assert json.loads(path.read_text())["threshold"] == 0.5


def test_change_is_picked_up_after_the_interval_without_restart(tmp_path: Path) -> None:
    path, clock = tmp_path / "t.json", Clock()
    source = ThresholdSource(path, 0.5, check_interval_s=60, clock=clock)
    reads = source.reads
    write(path, threshold_document(0.55, "proposal:abc"))
    clock.now += 30
    for _ in range(1000):  # many requests inside the interval: no re-read
        assert source.threshold() == 0.5
    assert source.reads == reads
    clock.now += 31
    assert source.threshold() == 0.55
    assert source.current().source == "proposal:abc"
    assert source.reads == reads + 1
    clock.now += 61
    source.threshold()  # unchanged file: stat only, no read
    assert source.reads == reads + 1


@pytest.mark.parametrize(
    "content",
    ['{"threshold": 1.5}', '{"threshold": "high"}', "not json", '{"threshold": 0.5, "ab_test": 3}'],
)
def test_bad_file_keeps_the_last_good_value(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    path, clock = tmp_path / "t.json", Clock()
    source = ThresholdSource(path, 0.4, clock=clock)
    path.write_text(content)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    clock.now += 61
    with caplog.at_level(logging.WARNING):
        assert source.threshold() == 0.4
    assert any(getattr(r, "event", "") == "routing_threshold_invalid" for r in caplog.records)


def test_ab_arms_are_stable_and_near_the_fraction(tmp_path: Path) -> None:
    keys = [f"interaction-{i}" for i in range(4000)]
    arms = [arm_for(k, 0.2) for k in keys]
    share = arms.count(ARM_CANDIDATE) / len(arms)
    assert 0.17 < share < 0.23
    assert arms == [arm_for(k, 0.2) for k in keys]
    assert {arm_for(k, 0.0) for k in keys} == {ARM_CONTROL}

    source = ThresholdSource(tmp_path / "t.json", 0.5, ab_test=AbArm(0.6, 0.2), clock=Clock())
    for key, arm in zip(keys[:200], arms[:200], strict=True):
        threshold, got = source.for_request(key)
        assert got == arm and threshold == (0.6 if arm == ARM_CANDIDATE else 0.5)


def test_file_ab_test_overrides_config_and_can_end_it(tmp_path: Path) -> None:
    path, clock = tmp_path / "t.json", Clock()
    source = ThresholdSource(path, 0.5, ab_test=AbArm(0.6, 0.5), clock=clock)
    write(path, threshold_document(0.5, "proposal:x", ab_test=None))
    clock.now += 61
    assert source.current().ab_test is None
    assert source.for_request("anything") == (0.5, ARM_CONTROL)
