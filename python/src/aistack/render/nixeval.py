"""Evaluating a host's plan with ``nix-instantiate``.

The Nix side (lib/eval-host.nix) does the work; this module finds nixpkgs'
``lib``, runs the evaluation and turns a Nix error into one clear message.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

NIX_FEATURES = ["--extra-experimental-features", "nix-command flakes"]

HOW_TO_GET_LIB = (
    "nixpkgs lib not found: set NIXPKGS_LIB to a checkout of nixpkgs or of "
    "nix-community/nixpkgs.lib, or clone it to ~/.cache/nixpkgs-lib (see DEVELOPERS.md)"
)


class NixEvalError(Exception):
    """A Nix evaluation failed; the message is the Nix error without its trace."""


def find_nixpkgs_lib(env: dict[str, str] | None = None) -> Path:
    """Locate a directory whose ``lib/default.nix`` is nixpkgs' lib.

    Order: ``$NIXPKGS_LIB``, ``~/.cache/nixpkgs-lib``, then ``<nixpkgs>`` on
    ``NIX_PATH``. Raises :class:`NixEvalError` saying how to get one.
    """
    env = os.environ if env is None else env
    candidates: list[Path] = []
    if env.get("NIXPKGS_LIB"):
        candidates.append(Path(env["NIXPKGS_LIB"]))
    candidates.append(Path(env.get("HOME", str(Path.home()))) / ".cache" / "nixpkgs-lib")
    for candidate in candidates:
        if (candidate / "lib" / "default.nix").is_file():
            return candidate.resolve()
    found = _nix_path_nixpkgs(env)
    if found is not None:
        return found
    raise NixEvalError(HOW_TO_GET_LIB)


def _nix_path_nixpkgs(env: dict[str, str]) -> Path | None:
    binary = shutil.which("nix-instantiate")
    if binary is None or not env.get("NIX_PATH"):
        return None
    proc = subprocess.run(
        [binary, "--find-file", "nixpkgs"],
        capture_output=True,
        text=True,
        env=dict(env),
        check=False,
    )
    path = Path(proc.stdout.strip()) if proc.returncode == 0 else None
    return path if path and (path / "lib" / "default.nix").is_file() else None


def current_executable() -> str:
    """Absolute path of the ``aistack`` command the rendered units should start."""
    found = shutil.which("aistack")
    return str(Path(found).resolve()) if found else str(Path(sys.argv[0]).resolve())


def find_source_root(start: Path) -> Path:
    """The checkout holding lib/ and modules/, searched upwards from ``start``."""
    for directory in [start, *start.parents]:
        if (directory / "lib" / "eval-host.nix").is_file() and (
            directory / "modules" / "options.nix"
        ).is_file():
            return directory
    raise NixEvalError(
        f"no nixos-ai-stack checkout (lib/eval-host.nix) above {start}; pass --source DIR"
    )


_TRACE_NOISE = re.compile(r"^\s*(… |\(use '--show-trace'|at «|\s*\d+\|)")


def clean_nix_error(stderr: str) -> str:
    """The message of a Nix error, without trace lines, source excerpts and hints."""
    text = stderr.strip()
    idx = text.rfind("error:")
    if idx >= 0:
        text = text[idx + len("error:") :]
    lines = [ln.rstrip() for ln in text.splitlines()]
    kept = [ln.strip() for ln in lines if ln.strip() and not _TRACE_NOISE.match(ln)]
    # The lib prefixes its messages for NixOS' assertion list; the CLI adds its own.
    kept = [ln.removeprefix("aistack: ") for ln in kept]
    return "\n".join(kept) or "nix evaluation failed without a message"


def nix_eval_json(expr_file: Path, args: dict[str, str], *, timeout: float = 300.0) -> Any:
    """``nix-instantiate --eval --strict --json`` of a file taking string args."""
    binary = shutil.which("nix-instantiate")
    if binary is None:
        raise NixEvalError("nix-instantiate not found: install Nix (apt-get install -y nix-bin)")
    cmd = [binary, *NIX_FEATURES, "--eval", "--strict", "--json", str(expr_file)]
    for name, value in args.items():
        cmd += ["--argstr", name, value]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise NixEvalError(f"nix evaluation of {expr_file} took longer than {timeout:g}s") from None
    if proc.returncode != 0:
        raise NixEvalError(clean_nix_error(proc.stderr))
    return json.loads(proc.stdout)


def evaluate_host_plan(
    host_dir: Path,
    *,
    aistack_bin: str,
    root: str = "",
    source: Path | None = None,
    nixpkgs_lib: Path | None = None,
) -> dict[str, Any]:
    """The checked plan of the host in ``host_dir`` (a folder with aistack.nix)."""
    host_dir = host_dir.resolve()
    if not (host_dir / "aistack.nix").is_file():
        raise NixEvalError(
            f"{host_dir} has no aistack.nix; a host folder holds facts.nix and aistack.nix"
        )
    source = (source or find_source_root(host_dir)).resolve()
    lib_dir = nixpkgs_lib or find_nixpkgs_lib()
    return nix_eval_json(
        source / "lib" / "eval-host.nix",
        {
            "nixpkgsLib": str(lib_dir),
            "hostDir": str(host_dir),
            "aistackBin": aistack_bin,
            "root": root,
        },
    )
