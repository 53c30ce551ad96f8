"""Writing the rendered tree: all or nothing, every file atomically.

A render first writes the whole tree into a staging folder beside the target
(same file system) and renders every policy there; only when every step has
succeeded are the files renamed into place, each with ``rename(2)``, so a
failed render leaves the target exactly as it was and a crash leaves each
file either old or new. The target folder itself is never replaced: with
``--local`` it also holds the services' state (databases, the audit log).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from aistack.render.apparmor import render_profiles
from aistack.render.nftables import render_ruleset
from aistack.render.units import render_socket, render_timer, render_unit


def atomic_write(path: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` to ``path`` via a temp file, fsync and rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _json(obj: Any) -> str:
    return json.dumps(obj, indent=2, sort_keys=True) + "\n"


def write_policy_tree(
    policies: dict[str, Any], out: Path, closure: list[str] | None = None
) -> list[Path]:
    """Write apparmor/<profile> and nftables.nft for a plan's ``policies``.

    The one renderer of both: ``aistack render`` and ``aistack render-policy``
    (which the NixOS module runs at build time) call it, so a host gets the
    files the tests check.
    """
    written: list[Path] = []
    profiles = render_profiles(policies, closure)
    for name, text in profiles.items():
        atomic_write(out / "apparmor" / name, text)
        written.append(out / "apparmor" / name)
    # A unit the plan dropped must not keep its profile in the tree.
    for stale in (out / "apparmor").glob("*"):
        if stale.is_file() and stale.name not in profiles:
            stale.unlink()
    atomic_write(out / "nftables.nft", render_ruleset(policies))
    written.append(out / "nftables.nft")
    return written


def _render_into(plan: dict[str, Any], out: Path) -> list[Path]:
    written: list[Path] = []

    def put(relative: str, text: str) -> None:
        target = out / relative
        atomic_write(target, text)
        written.append(target)

    put("plan.json", _json(plan))
    for name, service in sorted(plan["services"].items()):
        put(f"etc/aistack/{name}.json", _json(service["config"]))
    sync = plan.get("sourceSync")
    if sync:
        # JSON is YAML: knowledge-sources.yaml, beside the configs that name it.
        put(f"etc/aistack/{Path(sync['sourcesFile']).name}", _json(sync["document"]))
    for name, unit in sorted(plan["units"].items()):
        put(f"systemd/{name}.service", render_unit(name, unit))
        if unit.get("socket"):
            put(f"systemd/{name}.socket", render_socket(unit))
        if unit.get("timer"):
            put(f"systemd/{name}.timer", render_timer(name, unit))
    written += write_policy_tree(plan.get("policies", {}), out)
    return written


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_rendered_tree(plan: dict[str, Any], out: Path) -> list[Path]:
    """Write plan.json, etc/aistack/<service>.json, systemd/<unit>.service (and
    .socket), apparmor/<profile> and nftables.nft, all or nothing.

    Any error (a unit or policy that cannot be rendered, a full disk) is
    raised before a single file under ``out`` has changed.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.render-"))
    try:
        relative = [p.relative_to(staging) for p in _render_into(plan, staging)]
        out.mkdir(exist_ok=True)
        touched: set[Path] = set()
        for rel in relative:
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, out / rel)
            touched.add((out / rel).parent)
        # A unit the plan dropped must not keep its profile in the tree.
        profiles = {rel.name for rel in relative if rel.parts[0] == "apparmor"}
        for stale in (out / "apparmor").glob("*"):
            if stale.is_file() and stale.name not in profiles:
                stale.unlink()
        for directory in touched | {out}:
            _fsync_dir(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / rel for rel in relative]
