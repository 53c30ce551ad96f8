"""Per-task resource caps: a cgroup of its own where one can be made, rlimits otherwise.

On NixOS the unit has ``Delegate=pids memory``, so the service owns its
cgroup-v2 subtree: it moves itself into a ``supervisor`` leaf (a v2 cgroup
with children may hold no processes) and makes one leaf per task with
``pids.max`` and ``memory.max``. A cgroup-v1 host with writable ``pids`` and
``memory`` hierarchies (a container, a developer's machine) gets the same caps
there. Without either, the task gets ``RLIMIT_AS`` and ``RLIMIT_NPROC``; the
unit's own ``TasksMax=`` and ``MemoryMax=`` still bound the whole service.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import time
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


def _own_paths(proc_cgroup: str) -> dict[str, str]:
    """``/proc/self/cgroup`` as {controller or "" (v2): path}."""
    out: dict[str, str] = {}
    for line in proc_cgroup.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        for c in controllers.split(",") if controllers else [""]:
            out[c] = path
    return out


@dataclass(frozen=True)
class TaskLimits:
    """Where one task's caps live; ``mode`` says which mechanism applies them."""

    mode: str  # "cgroup2", "cgroup1" or "rlimit"
    dirs: tuple[Path, ...]
    memory_max_bytes: int
    pids_max: int

    def preexec(self) -> None:
        """Run in the child between fork and exec: enter the cgroup, or set rlimits."""
        if self.mode == "rlimit":
            resource.setrlimit(resource.RLIMIT_AS, (self.memory_max_bytes, self.memory_max_bytes))
            resource.setrlimit(resource.RLIMIT_NPROC, (self.pids_max, self.pids_max))
            return
        for d in self.dirs:
            (d / "cgroup.procs").write_text("0")

    def pids(self) -> list[int]:
        """Processes now in the task's cgroup (empty in rlimit mode)."""
        found: set[int] = set()
        for d in self.dirs:
            with contextlib.suppress(OSError):
                found.update(int(p) for p in (d / "cgroup.procs").read_text().split())
        return sorted(found)

    def kill_all(self) -> None:
        """SIGKILL everything in the cgroup (its ``cgroup.kill`` on v2)."""
        if self.mode == "cgroup2":
            with contextlib.suppress(OSError):
                (self.dirs[0] / "cgroup.kill").write_text("1")
                return
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)

    def remove(self, timeout_s: float = 2.0) -> None:
        """Remove the task's cgroup once its processes are gone."""
        deadline = time.monotonic() + timeout_s
        for d in self.dirs:
            while True:
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    self.kill_all()
                    time.sleep(0.05)


class LimitFactory:
    """Makes :class:`TaskLimits` on whatever this host offers (decided once, at start)."""

    def __init__(self, root: Path = CGROUP_ROOT, proc_cgroup: str | None = None) -> None:
        text = proc_cgroup if proc_cgroup is not None else Path("/proc/self/cgroup").read_text()
        self.mode, self.parents = self._discover(root, _own_paths(text))

    @staticmethod
    def _discover(root: Path, own: dict[str, str]) -> tuple[str, tuple[Path, ...]]:
        if (root / "cgroup.controllers").exists() and "" in own:
            base = root / own[""].lstrip("/")
            try:
                enabled = set((base / "cgroup.subtree_control").read_text().split())
                if not {"pids", "memory"} <= enabled:
                    supervisor = base / "supervisor"
                    supervisor.mkdir(exist_ok=True)
                    for pid in (base / "cgroup.procs").read_text().split():
                        with contextlib.suppress(OSError):
                            (supervisor / "cgroup.procs").write_text(pid)
                    (base / "cgroup.subtree_control").write_text("+pids +memory")
                tasks = base / "tasks"
                tasks.mkdir(exist_ok=True)
                (tasks / "cgroup.subtree_control").write_text("+pids +memory")
                return "cgroup2", (tasks,)
            except OSError:
                pass
        parents = []
        for controller in ("pids", "memory"):
            if controller not in own or not (root / controller).is_dir():
                break
            parent = root / controller / own[controller].lstrip("/") / "aistack-tasks"
            try:
                parent.mkdir(exist_ok=True)
            except OSError:
                break
            if not os.access(parent, os.W_OK):
                break
            parents.append(parent)
        else:
            return "cgroup1", tuple(parents)
        return "rlimit", ()

    def reap_stale(self) -> list[str]:
        """Kill and remove the cgroups of tasks from before a restart; returns their ids."""
        stale: dict[str, list[Path]] = {}
        for parent in self.parents:
            for child in parent.iterdir() if parent.is_dir() else ():
                if child.is_dir():
                    stale.setdefault(child.name, []).append(child)
        for dirs in stale.values():
            TaskLimits(self.mode, tuple(dirs), 0, 0).remove()
        return sorted(stale)

    def for_task(self, task_id: str, memory_max_bytes: int, pids_max: int) -> TaskLimits:
        """A fresh cgroup (or rlimit plan) for ``task_id`` with these caps."""
        if self.mode == "rlimit":
            return TaskLimits("rlimit", (), memory_max_bytes, pids_max)
        dirs = []
        for parent in self.parents:
            d = parent / task_id
            d.mkdir(exist_ok=True)
            dirs.append(d)
        if self.mode == "cgroup2":
            (dirs[0] / "pids.max").write_text(str(pids_max))
            (dirs[0] / "memory.max").write_text(str(memory_max_bytes))
            with contextlib.suppress(OSError):
                (dirs[0] / "memory.swap.max").write_text("0")
        else:
            pids_dir, mem_dir = dirs
            (pids_dir / "pids.max").write_text(str(pids_max))
            (mem_dir / "memory.limit_in_bytes").write_text(str(memory_max_bytes))
        return TaskLimits(self.mode, tuple(dirs), memory_max_bytes, pids_max)
