"""The health aggregate as pure functions: one entry per unit, one overall word."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from aistack.config.dashboard import ProbeTarget
from aistack.dashboard.probes import ProbeResult
from aistack.dashboard.systemd_state import UnitState

EntryStatus = Literal["up", "degraded", "down", "unknown"]
OverallStatus = Literal["healthy", "degraded", "down"]

# Without the coordinator nothing answers a user, whatever else is up.
ENTRY_POINT = "coordinator"
RUNNING_STATES = frozenset({"active", "reloading"})


@dataclass(frozen=True)
class HealthEntry:
    """One unit: how it was checked, what each check said, and the verdict."""

    name: str
    unit: str
    check_mode: str
    status: EntryStatus
    reason: str
    systemd: dict[str, Any] | None
    probe: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        """The entry as the API returns it, with the log command an operator runs."""
        body = asdict(self)
        body["journal"] = f"journalctl -u {self.unit} -n 20"
        return body


def check_mode(target: ProbeTarget, systemd_known: bool) -> str:
    """``systemd``, ``http``, ``protocol``, ``systemd+http``, ``systemd+protocol`` or ``none``."""
    probe = None
    if target.check == "http":
        probe = "http"
    elif target.check != "none":
        probe = "protocol"
    parts = [p for p in ("systemd" if systemd_known else None, probe) if p]
    return "+".join(parts) or "none"


def judge(target: ProbeTarget, state: UnitState | None, probe: ProbeResult | None) -> HealthEntry:
    """Combine systemd's word and the probe's into one entry."""
    known = state is not None and state.known
    systemd = (
        {
            "active_state": state.active_state,
            "sub_state": state.sub_state,
            "load_state": state.load_state,
        }
        if known and state is not None
        else None
    )
    probe_json = (
        {
            "kind": target.check,
            "ok": probe.ok,
            "latency_ms": probe.latency_ms,
            "detail": probe.detail,
            "reported_status": probe.reported_status,
        }
        if probe is not None
        else None
    )
    status: EntryStatus = "unknown"
    reason = "no systemd to ask and nothing to probe"
    if known and state is not None:
        oneshot_done = target.check == "none" and state.active_state == "inactive"
        if state.active_state in RUNNING_STATES or oneshot_done:
            status, reason = "up", f"systemd: {state.active_state} ({state.sub_state})"
        else:
            status, reason = "down", f"systemd: {state.active_state} ({state.sub_state})"
    if probe is not None and status != "down":
        if not probe.ok:
            status, reason = "down", f"{target.check} probe: {probe.detail}"
        elif probe.reported_status not in (None, "ok", "healthy"):
            status, reason = "degraded", f"reports itself {probe.reported_status}"
        else:
            status, reason = "up", f"{target.check} probe: {probe.detail}"
    return HealthEntry(
        name=target.name,
        unit=target.unit,
        check_mode=check_mode(target, known),
        status=status,
        reason=reason,
        systemd=systemd,
        probe=probe_json,
    )


def overall_status(entries: list[HealthEntry]) -> OverallStatus:
    """``down`` when the entry point or every checked unit is down, ``degraded``
    when any checked unit is not up, else ``healthy``. Unknown entries do not count."""
    checked = [e for e in entries if e.status != "unknown"]
    if not checked or all(e.status == "down" for e in checked):
        return "down"
    if any(e.name == ENTRY_POINT and e.status == "down" for e in checked):
        return "down"
    if any(e.status != "up" for e in checked):
        return "degraded"
    return "healthy"
