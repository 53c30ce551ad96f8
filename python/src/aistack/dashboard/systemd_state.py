"""Units' state from systemd (``systemctl show``), where there is a systemd to ask.

On a development machine (no systemd as PID 1, or the units are not
installed) the answer is "unavailable" per unit, and the health entry says
its check_mode without systemd rather than inventing a state.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass

PROPERTIES = ("Id", "LoadState", "ActiveState", "SubState", "MemoryCurrent", "MemoryMax")


@dataclass(frozen=True)
class UnitState:
    """What systemd says about one unit."""

    load_state: str
    active_state: str
    sub_state: str
    memory_current: int | None
    memory_max: int | None

    @property
    def known(self) -> bool:
        """False when systemd has no such unit (a dev machine, a unit not installed)."""
        return self.load_state not in ("not-found", "")


def _int_or_none(value: str) -> int | None:
    # systemd prints "[not set]" or "infinity" for unknown or unlimited values.
    return int(value) if value.isdigit() else None


def parse_systemctl_show(text: str) -> dict[str, UnitState]:
    """Parse ``systemctl show -p ... A B`` output (blank-line separated blocks) by unit Id."""
    states: dict[str, UnitState] = {}
    for block in text.strip().split("\n\n"):
        props = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        unit_id = props.get("Id")
        if not unit_id:
            continue
        states[unit_id.removesuffix(".service")] = UnitState(
            load_state=props.get("LoadState", ""),
            active_state=props.get("ActiveState", ""),
            sub_state=props.get("SubState", ""),
            memory_current=_int_or_none(props.get("MemoryCurrent", "")),
            memory_max=_int_or_none(props.get("MemoryMax", "")),
        )
    return states


async def query_units(
    units: list[str], timeout_s: float
) -> tuple[dict[str, UnitState], str | None]:
    """States of ``units`` from one ``systemctl show``; the second value says why
    there are none (no systemctl, no systemd running, timeout)."""
    binary = shutil.which("systemctl")
    if binary is None:
        return {}, "systemctl not found"
    try:
        proc = await asyncio.create_subprocess_exec(
            binary,
            "show",
            "--no-pager",
            "-p",
            ",".join(PROPERTIES),
            *(f"{u}.service" for u in units),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout=timeout_s)
    except TimeoutError:
        proc.kill()
        return {}, f"systemctl show gave no answer within {timeout_s:g}s"
    except OSError as exc:
        return {}, f"systemctl: {exc.strerror}"
    if proc.returncode != 0:
        reason = err.decode(errors="replace").strip().splitlines()
        return {}, reason[0] if reason else f"systemctl show exited {proc.returncode}"
    return parse_systemctl_show(out.decode(errors="replace")), None
