"""The bubblewrap command line for one task, as a pure function of what it may see.

A task sees a read-only view of the system (``/usr``, the Nix store, the
interpreter it needs), its workspace read-write, a private ``/tmp`` and
``/dev``, and nothing of ``/etc``, ``/home``, ``/root`` or ``/run``. It gets
new PID, IPC, UTS, cgroup and network namespaces (so only its own loopback),
no capabilities, and dies with its parent. The one way out is the Unix socket
bound at :data:`COORDINATOR_SOCKET`, relayed to the coordinator.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Where the relay socket to the coordinator appears inside the sandbox.
COORDINATOR_SOCKET = "/run/aistack/coordinator.sock"
WORKSPACE_MOUNT = "/workspace"

# Directories that are symlinks into /usr on merged-/usr systems, binds elsewhere.
_PLACEHOLDER = re.compile(r"\{(instruction|workspace|model|api_base)\}")
_TOP_LEVEL_SYSTEM = ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")


@dataclass(frozen=True)
class SandboxSpec:
    """Everything that decides one task's sandbox."""

    bwrap: str
    workspace: Path
    relay_socket: Path
    ro_binds: Sequence[str]
    environment: Mapping[str, str]
    argv: Sequence[str]
    # Paths the caller found to be symlinks (merged /usr), mapped to their targets.
    symlinks: Mapping[str, str] = field(default_factory=dict)


def system_view(extra: Sequence[str] = ()) -> tuple[list[str], dict[str, str]]:
    """The read-only binds and symlinks of this machine's system directories.

    Only paths that exist are returned, so the same code serves a Debian host
    (merged /usr) and NixOS (``/nix/store``, ``/run/current-system`` is left out
    on purpose: the agent gets its programs by store path).
    """
    binds: list[str] = []
    links: dict[str, str] = {}
    for path in ("/usr", "/nix/store", *_TOP_LEVEL_SYSTEM):
        if os.path.islink(path):
            links[path] = os.readlink(path)
        elif os.path.isdir(path):
            binds.append(path)
    for path in extra:
        if os.path.exists(path) and path not in binds:
            binds.append(path)
    return binds, links


def bwrap_argv(spec: SandboxSpec) -> list[str]:
    """The full argv: ``bwrap <isolation> -- <tool argv>``. No shell is involved."""
    argv = [
        spec.bwrap,
        "--unshare-all",  # user (where unprivileged), pid, ipc, uts, cgroup, net
        "--die-with-parent",
        "--new-session",  # no TIOCSTI into the caller's terminal
        "--cap-drop",
        "ALL",
        "--clearenv",
        "--hostname",
        "aistack-task",
        # The private /tmp first: a read-only bind below /tmp (a checkout of
        # the package there) must land on it, not be hidden by it.
        "--tmpfs",
        "/tmp",
    ]
    for path in spec.ro_binds:
        argv += ["--ro-bind", path, path]
    for link, target in sorted(spec.symlinks.items()):
        argv += ["--symlink", target, link]
    argv += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--dir",
        "/run/aistack",
        "--bind",
        str(spec.relay_socket),
        COORDINATOR_SOCKET,
        "--bind",
        str(spec.workspace),
        WORKSPACE_MOUNT,
        # The sandbox's own root (a tmpfs holding the mount points) read-only too.
        "--remount-ro",
        "/",
        "--chdir",
        WORKSPACE_MOUNT,
    ]
    for key, value in sorted(spec.environment.items()):
        argv += ["--setenv", key, value]
    return [*argv, "--", *spec.argv]


def render_tool_argv(template: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """Replace ``{instruction}``, ``{workspace}``, ``{model}``, ``{api_base}`` inside each
    argument. A value never splits into several arguments or reaches a shell."""
    # One pass per argument: a value that itself contains "{workspace}" stays literal.
    return [_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), arg) for arg in template]
