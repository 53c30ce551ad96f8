"""The live routing threshold: a JSON file seeded from the plan, re-read when it changes.

``aistack proposals apply`` rewrites the file (atomically); a running
coordinator notices within ``check_interval_s`` (it looks at the file's
modification time at most that often, never per request) and routes with the
new value without a restart. A file that cannot be read or holds a bad value
is reported (``routing_threshold_invalid``) and the last good value stays.

The file::

    {"threshold": 0.5, "updated_at": "...", "source": "seed" | "proposal:<id>",
     "ab_test": {"candidate_threshold": 0.55, "fraction": 0.1} | null}

An ``ab_test`` in the file wins over the one in the config. With an A/B test,
:meth:`ThresholdSource.for_request` puts a stable share of requests (by a hash
of the interaction id) in the ``candidate`` arm, routed with the candidate
threshold; the rest are ``control``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aistack.common.events import log_event
from aistack.common.jobstate import atomic_write_json

ARM_CONTROL = "control"
ARM_CANDIDATE = "candidate"


@dataclass(frozen=True)
class AbArm:
    """An A/B test: ``fraction`` of requests use ``candidate_threshold``."""

    candidate_threshold: float
    fraction: float


@dataclass(frozen=True)
class ThresholdState:
    """The values in force: the threshold, where it came from, the A/B test if any."""

    threshold: float
    source: str
    ab_test: AbArm | None


class ThresholdFileError(ValueError):
    """The threshold file's content is not a valid threshold document."""


def _unit(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ThresholdFileError(f"{field} must be a number")
    value = float(value)
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ThresholdFileError(f"{field} must be between 0 and 1")
    return value


def parse_threshold_document(doc: Any, default_ab: AbArm | None = None) -> ThresholdState:
    """Validate a threshold file's JSON (pure); raises :class:`ThresholdFileError`."""
    if not isinstance(doc, dict):
        raise ThresholdFileError("the threshold file must hold a JSON object")
    threshold = _unit(doc.get("threshold"), "threshold")
    ab = default_ab
    if "ab_test" in doc:
        raw = doc["ab_test"]
        if raw is None:
            ab = None
        elif isinstance(raw, dict):
            fraction = _unit(raw.get("fraction"), "ab_test.fraction")
            if fraction > 0.5:
                raise ThresholdFileError("ab_test.fraction must be at most 0.5")
            candidate = _unit(raw.get("candidate_threshold"), "ab_test.candidate_threshold")
            ab = AbArm(candidate, fraction)
        else:
            raise ThresholdFileError("ab_test must be an object or null")
    source = doc.get("source", "file")
    return ThresholdState(threshold, str(source), ab)


def threshold_document(
    threshold: float, source: str, ab_test: AbArm | str | None = "keep", previous: Any = None
) -> dict[str, Any]:
    """The JSON to write for ``threshold``; ``ab_test="keep"`` keeps ``previous``'s test."""
    doc: dict[str, Any] = {
        "threshold": round(threshold, 4),
        "source": source,
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if ab_test == "keep":
        if isinstance(previous, dict) and "ab_test" in previous:
            doc["ab_test"] = previous["ab_test"]
    elif ab_test is None:
        doc["ab_test"] = None
    else:
        assert isinstance(ab_test, AbArm)
        doc["ab_test"] = {
            "candidate_threshold": ab_test.candidate_threshold,
            "fraction": ab_test.fraction,
        }
    return doc


def arm_for(key: str, fraction: float) -> str:
    """The arm of the request ``key`` (stable: the same key always lands in the same arm)."""
    if fraction <= 0.0:
        return ARM_CONTROL
    digest = hashlib.sha256(key.encode()).digest()
    position = int.from_bytes(digest[:8], "big") / 2**64
    return ARM_CANDIDATE if position < fraction else ARM_CONTROL


class ThresholdSource:
    """Reads the threshold file, at most once per ``check_interval_s``, and seeds it."""

    def __init__(
        self,
        path: str | Path,
        seed: float,
        *,
        check_interval_s: float = 60.0,
        ab_test: AbArm | None = None,
        clock: Callable[[], float] = time.monotonic,
        logger: logging.Logger | None = None,
    ) -> None:
        self.path = Path(path)
        self.check_interval_s = check_interval_s
        self.default_ab = ab_test
        self.clock = clock
        self.logger = logger or logging.getLogger("aistack.coordinator.threshold")
        self._state = ThresholdState(_unit(seed, "seed"), "seed", ab_test)
        self._stamp: tuple[int, int, int] | None = None
        self._checked_at: float | None = None
        self.reads = 0  # file reads, for tests and the status page
        self._seed_file()
        self._refresh(force=True)

    def _seed_file(self) -> None:
        if self.path.exists():
            return
        try:
            atomic_write_json(self.path, threshold_document(self._state.threshold, "seed", "keep"))
            log_event(
                self.logger, "routing_threshold_seeded", path=str(self.path),
                threshold=self._state.threshold,
            )  # fmt: skip
        except OSError as exc:
            log_event(
                self.logger, "routing_threshold_invalid", logging.WARNING,
                path=str(self.path), error=f"cannot seed: {exc}",
            )  # fmt: skip

    def _refresh(self, force: bool = False) -> None:
        now = self.clock()
        due = self._checked_at is None or now - self._checked_at >= self.check_interval_s
        if not (force or due):
            return
        self._checked_at = now
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return  # keep what we have; the file may be being replaced
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp == self._stamp:
            return
        self.reads += 1
        try:
            doc = json.loads(self.path.read_text())
            state = parse_threshold_document(doc, self.default_ab)
        except (OSError, json.JSONDecodeError, ThresholdFileError) as exc:
            self._stamp = stamp  # do not re-read (and re-log) the same bad file
            log_event(
                self.logger, "routing_threshold_invalid", logging.WARNING,
                path=str(self.path), error=str(exc), kept=self._state.threshold,
            )  # fmt: skip
            return
        self._stamp = stamp
        if state != self._state:
            log_event(
                self.logger, "routing_threshold_reloaded", path=str(self.path),
                previous=self._state.threshold, threshold=state.threshold, source=state.source,
                ab_test=None if state.ab_test is None else vars(state.ab_test),
            )  # fmt: skip
        self._state = state

    def current(self) -> ThresholdState:
        """The values in force now (re-reads the file when due and changed)."""
        self._refresh()
        return self._state

    def threshold(self) -> float:
        """The control threshold now."""
        return self.current().threshold

    def for_request(self, key: str) -> tuple[float, str]:
        """``(threshold, arm)`` for the request whose interaction id is ``key``."""
        state = self.current()
        ab = state.ab_test
        if ab is None:
            return state.threshold, ARM_CONTROL
        arm = arm_for(key, ab.fraction)
        return (ab.candidate_threshold if arm == ARM_CANDIDATE else state.threshold), arm
