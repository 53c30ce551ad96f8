"""Evaluating a host's plan with ``nix-instantiate``, sandboxed.

The Nix side (lib/eval-host.nix) does the work; this module finds nixpkgs'
``lib``, runs the evaluation and turns a Nix error into one clear message.

A host folder is input from whoever wrote it, so its ``facts.nix`` and
``aistack.nix`` are evaluated in Nix's restricted mode
(``--option restrict-eval true``): only the paths passed with ``-I`` (the
host folder, the project source, nixpkgs' lib) can be read, so
``builtins.readFile /etc/shadow`` or ``/dev/zero`` is an error;
``allowed-uris`` is empty, so ``fetchurl``/``fetchTarball`` are refused;
``builtins.getEnv`` yields ``""`` in restricted mode, and the environment is
emptied anyway. The store is ``dummy://``, which cannot take a path, so
``fetchGit`` of an allowed folder cannot copy it into the Nix store either.
The process gets an address-space limit (``RLIMIT_AS``, so a memory bomb is
"out of memory", not the host's RAM) and a wall-clock timeout; it runs in its
own session and the whole process group is killed on timeout, on an error
here, and (through ``PR_SET_PDEATHSIG``) when this process dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

NIX_FEATURES = ["--extra-experimental-features", "nix-command flakes"]

# Evaluating a plan takes ~30 MB and well under a second; these are the walls.
EVAL_MEMORY_BYTES = 1024 * 1024 * 1024
EVAL_TIMEOUT_S = 120.0

# The options that make an evaluation unable to reach anything but its inputs.
RESTRICTED_OPTIONS = [
    "--store",
    "dummy://",
    "--option",
    "restrict-eval",
    "true",
    "--option",
    "allowed-uris",
    "",
    "--option",
    "allow-import-from-derivation",
    "false",
]

_PR_SET_PDEATHSIG = 1

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


def _limit_child(memory_bytes: int) -> None:
    """In the child, before exec: an address-space cap, and die with the parent."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the timeout and killpg still apply


def _kill_group(proc: subprocess.Popen[str]) -> None:
    # The child leads its own session, so its pid is the group id.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def nix_eval_json(
    expr_file: Path,
    args: dict[str, str],
    *,
    allowed_paths: Sequence[Path] = (),
    timeout: float = EVAL_TIMEOUT_S,
    memory_bytes: int = EVAL_MEMORY_BYTES,
) -> Any:
    """``nix-instantiate --eval --strict --json`` of a file taking string args, restricted.

    Only ``allowed_paths`` (and the directory of ``expr_file``) are readable
    during the evaluation; see the module docstring for the other walls.
    """
    binary = shutil.which("nix-instantiate")
    if binary is None:
        raise NixEvalError("nix-instantiate not found: install Nix (apt-get install -y nix-bin)")
    cmd = [binary, *RESTRICTED_OPTIONS, *NIX_FEATURES, "--eval", "--strict", "--json"]
    for path in (expr_file.parent, *allowed_paths):
        cmd += ["-I", str(path)]
    cmd.append(str(expr_file))
    for name, value in args.items():
        cmd += ["--argstr", name, value]
    with tempfile.TemporaryDirectory(prefix="aistack-nix-eval-") as home:
        # Nothing of the caller's environment (NIX_PATH, secrets in variables).
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LC_ALL": "C.UTF-8"}
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
            preexec_fn=lambda: _limit_child(memory_bytes),
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise NixEvalError(
                f"nix evaluation of {expr_file} took longer than {timeout:g}s (stopped)"
            ) from None
        except BaseException:
            _kill_group(proc)
            raise
    if proc.returncode != 0:
        message = clean_nix_error(stderr)
        if message == "out of memory":
            message = (
                f"nix evaluation ran out of memory (limit {memory_bytes // (1024 * 1024)} MiB)"
            )
        raise NixEvalError(message)
    return json.loads(stdout)


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
    lib_dir = (nixpkgs_lib or find_nixpkgs_lib()).resolve()
    return nix_eval_json(
        source / "lib" / "eval-host.nix",
        {
            "nixpkgsLib": str(lib_dir),
            "hostDir": str(host_dir),
            "aistackBin": aistack_bin,
            "root": root,
        },
        # What the evaluation may read: nothing else on the machine.
        allowed_paths=[host_dir, source, lib_dir],
    )
