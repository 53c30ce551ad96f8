"""The learning/telemetry/model-switch sections of a test coordinator config."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def learning_sections(root: Path, **overrides: Any) -> dict[str, Any]:
    """``state_store``, ``learning``, ``telemetry``, ``model_switch`` under ``root/state``."""
    state = root / "state"
    sections: dict[str, Any] = {
        "state_store": {"kind": "sqlite", "path": str(state / "state.sqlite3")},
        "learning": {
            "reload_interval_s": 60,
            "window_days": 7,
            "max_threshold_step": 0.05,
            "min_ratings_per_band": 5,
            "proposals_dir": str(state / "proposals"),
            "jobs_dir": str(state / "jobs"),
            "ab_test": None,
        },
        "telemetry": {
            "dir": str(state / "telemetry"),
            "rotate_bytes": 52428800,
            "keep_files": 20,
            "disk_pressure_pct": 90.0,
        },
        "model_switch": {
            "request_file": str(state / "model-request.json"),
            "models_dir": str(root / "models"),
        },
    }
    sections.update(overrides)
    return sections
