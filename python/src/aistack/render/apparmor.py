"""AppArmor profiles, one per confined unit, from the plan's policies.

Every decision (which paths, which families, which capabilities) is made here
as data; ``templates/apparmor-profile.j2`` only lays it out. The one thing read
from disk is the executable's ``#!`` line (and that of a Nix wrapper's
``.<name>-wrapped`` script), to name the interpreter the profile must let it
run; a file that is not there (a host path while rendering elsewhere) adds
nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from aistack.render.nftables import PolicyError, template_environment

NIX_STORE = "/nix/store"

# A character here would change what an AppArmor path rule means (globbing,
# alternation, quoting, comments, rule separators): refuse it, never escape it.
_UNSAFE_PATH = re.compile(r"[\s\"'*?\[\]{}^,#\\\x00]")
_CAPABILITY = re.compile(r"^[a-z][a-z_]*$")
_FAMILIES = ("unix", "inet", "inet6")


_PROFILE_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


def profile_name(policy: Mapping[str, Any]) -> str:
    """The profile's name, as the policy carries it (the plan decides it; the
    unit enters it with the same ``AppArmorProfile=``)."""
    name = policy.get("profile")
    if not isinstance(name, str) or not _PROFILE_NAME.match(name):
        unit = policy.get("unit", "?")
        raise PolicyError(f"{unit}: the policy names no usable profile ({name!r})")
    return name


def _path(unit: str, path: str) -> str:
    if not path.startswith("/") or _UNSAFE_PATH.search(path):
        raise PolicyError(f"{unit}: {path!r} is not a plain absolute path for an AppArmor rule")
    return path.rstrip("/") or "/"


# A device node, or every numbered node of one kind (/dev/nvidia[0-9]*): the
# one pattern a device rule may use, so a second GPU is reached.
_DEVICE = re.compile(r"^/dev/[A-Za-z0-9_/-]+(\[0-9\]\*)?$")


def _device(unit: str, path: str) -> str:
    if not _DEVICE.match(path) or "//" in path or "/../" in path:
        raise PolicyError(f"{unit}: {path!r} is not a device node or numbered-node pattern")
    return path


def _is_directory(path: str) -> bool:
    """A path is a directory when it says so (trailing ``/``), is one, or has no suffix."""
    if path.endswith("/") or os.path.isdir(path):
        return True
    return "." not in Path(path).name


def read_closure(path: Path) -> list[str]:
    """Store paths from a ``pkgs.closureInfo`` ``store-paths`` file (one per line)."""
    paths = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith(NIX_STORE + "/") or "/" in line[len(NIX_STORE) + 1 :]:
            raise PolicyError(f"{path}: {line!r} is not a top-level Nix store path")
        paths.append(line)
    return sorted(set(paths))


def _shebang(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(256)
    except OSError:
        return None
    if not head.startswith(b"#!"):
        return None
    words = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").split()
    if not words:
        return None
    # `#!/usr/bin/env python3` names the program, not the interpreter.
    if words[0].endswith("/env") and len(words) > 1:
        return None
    return words[0]


def interpreters(executable: str, depth: int = 4) -> list[str]:
    """The interpreters (``#!`` lines, followed) that running ``executable`` execs."""
    found: list[str] = []
    todo = [executable]
    wrapped = os.path.join(os.path.dirname(executable), f".{os.path.basename(executable)}-wrapped")
    if os.path.exists(wrapped):
        todo.append(wrapped)
    while todo and len(found) < depth:
        interpreter = _shebang(todo.pop(0))
        if interpreter and interpreter not in found:
            found.append(interpreter)
            todo.append(interpreter)
    return found


def _exec_rules(unit: str, executable: str) -> tuple[list[str], list[str]]:
    """Rules letting the unit map and run its executable and interpreters."""
    programs = [_path(unit, executable)]
    wrapped = os.path.join(os.path.dirname(executable), f".{os.path.basename(executable)}-wrapped")
    if os.path.exists(wrapped):
        programs.append(_path(unit, wrapped))
    found = [_path(unit, p) for p in interpreters(executable)]
    rules: list[str] = []
    for program in [*programs, *found]:
        real = os.path.realpath(program)
        for candidate in dict.fromkeys([program, real]):
            rules.append(f"{candidate} mrix,")
    # Outside the store, the installation the executable belongs to (its
    # prefix: the parent of bin/) holds its libraries and modules.
    if not executable.startswith(NIX_STORE + "/"):
        for program in dict.fromkeys([executable, *found]):
            bindir = os.path.dirname(program)
            if os.path.basename(bindir) == "bin" and not program.startswith(NIX_STORE + "/"):
                prefix = os.path.dirname(bindir)
                rules.append(f"{prefix}/ r,")
                rules.append(f"{prefix}/** mr,")
    return list(dict.fromkeys(rules)), found


def _store_rules(closure: Sequence[str] | None) -> tuple[list[str], str]:
    if closure is None:
        return (
            [f"{NIX_STORE}/ r,", f"{NIX_STORE}/** r,", f"{NIX_STORE}/*/lib/** mr,"],
            "the Nix store (no closure given: all of it; libraries mappable)",
        )
    return (
        [f"{p}{{,/**}} mr," for p in closure],
        f"the {len(closure)} store paths of its closure",
    )


def _read_rules(
    unit: str, paths: Iterable[str], closure: Sequence[str] | None
) -> tuple[list[str], str]:
    rules: list[str] = []
    note = "nothing from the Nix store"
    for raw in paths:
        if raw.rstrip("/") == NIX_STORE:
            store, note = _store_rules(closure)
            rules += store
            continue
        path = _path(unit, raw)
        rules += [f"{path}/ r,", f"{path}/** r,"] if _is_directory(raw) else [f"{path} r,"]
    return rules, note


def profile_context(
    policy: Mapping[str, Any], closure: Sequence[str] | None = None
) -> dict[str, Any]:
    """Everything the profile template needs for one unit's policy (decided here)."""
    unit = policy["unit"]
    network = policy.get("network", "none")
    families = [f for f in policy.get("networkFamilies", ["unix"]) if f in _FAMILIES]
    unknown = set(policy.get("networkFamilies", [])) - set(_FAMILIES)
    if unknown:
        raise PolicyError(f"{unit}: unknown network families {sorted(unknown)}")
    if network == "none":
        families = ["unix"]
    mode = policy.get("apparmorMode", "enforce")
    if mode not in ("enforce", "complain"):
        raise PolicyError(f"{unit}: apparmorMode must be enforce or complain, not {mode!r}")

    exec_rules, found = _exec_rules(unit, policy["exec"])
    read_rules, store_note = _read_rules(unit, policy.get("readPaths", []), closure)
    write_rules: list[str] = []
    for raw in policy.get("writePaths", []):
        path = _path(unit, raw)
        write_rules += [f"{path}/ rw,", f"{path}/** rwk,"]
    socket_rules = [f"{_path(unit, p)} rw," for p in policy.get("unixSockets", [])]
    device_rules = [f"{_device(unit, p)} rw," for p in policy.get("devices", [])]

    network_rules: list[str] = []
    for family in families:
        network_rules.append(f"network {family} stream,")
        # Unix datagrams reach the journal; on the internet, UDP is DNS.
        if family == "unix" or network == "egress":
            network_rules.append(f"network {family} dgram,")
    capability_rules = []
    for cap in policy.get("capabilities", []):
        name = str(cap).lower().removeprefix("cap_")
        if not _CAPABILITY.match(name):
            raise PolicyError(f"{unit}: {cap!r} is not a capability name")
        capability_rules.append(f"capability {name},")

    # Directories whose programs the unit starts (a task runner's agents),
    # each under this same profile.
    exec_rules += [f"{_path(unit, d)}/** mrix," for d in policy.get("execPaths", [])]

    network_note = {
        "none": "Unix sockets only, no IP at all",
        "loopback": "TCP on loopback (nftables narrows it to the declared ports)",
        "egress": "TCP out (nftables narrows it to the declared destinations), DNS",
    }.get(network)
    if network_note is None:
        raise PolicyError(f"{unit}: network must be none, loopback or egress, not {network!r}")
    return {
        "unit": unit,
        "name": profile_name(policy),
        "complain": mode == "complain",
        "abstractions": ["nameservice", "ssl_certs"] if network == "egress" else [],
        "interpreters": found,
        "exec_rules": exec_rules,
        "read_rules": list(dict.fromkeys(read_rules)),
        "store_note": store_note,
        "write_rules": write_rules,
        "socket_rules": list(dict.fromkeys(socket_rules)),
        "device_rules": device_rules,
        "network_rules": network_rules,
        "network_note": network_note,
        "capability_rules": capability_rules,
        "sandboxes": bool(policy.get("sandboxes", False)),
    }


def render_profile(policy: Mapping[str, Any], closure: Sequence[str] | None = None) -> str:
    """The text of one unit's AppArmor profile."""
    context = profile_context(policy, closure)
    return template_environment().get_template("apparmor-profile.j2").render(**context)


def render_profiles(
    policies: Mapping[str, Mapping[str, Any]], closure: Sequence[str] | None = None
) -> dict[str, str]:
    """Profile name -> profile text, for every unit in a plan's ``policies``,
    in profile-name order (so output is the same whatever the input order)."""
    profiles = {}
    for unit in sorted(policies, key=lambda u: profile_name(policies[u])):
        policy = {**policies[unit], "unit": policies[unit].get("unit", unit)}
        if policy["unit"] != unit:
            raise PolicyError(f"policy {unit!r} names unit {policy['unit']!r}")
        profiles[profile_name(policy)] = render_profile(policy, closure)
    return profiles
