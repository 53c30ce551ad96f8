"""``aistack dev HOST_DIR --out DIR``: a host's stack on this machine, unprivileged.

Renders the host with ``--local`` (every path under DIR), starts Debian's or
nixpkgs' ``redis-server`` on the plan's Unix socket, and runs the chosen
services with ``aistack serve`` until interrupted. For trying a host out and
for development; a real host runs the same configs under systemd.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from aistack.render.files import write_rendered_tree
from aistack.render.nixeval import NixEvalError, current_executable, evaluate_host_plan

REDIS_START_TIMEOUT_S = 10.0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack dev``."""
    parser = sub.add_parser("dev", help="render a host locally and run its services here")
    parser.add_argument("host_dir", type=Path, metavar="HOST_DIR")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument(
        "--service",
        action="append",
        dest="services",
        metavar="NAME",
        help="run only this service (repeatable; default: every enabled service)",
    )
    parser.add_argument("--source", type=Path, help="the nixos-ai-stack checkout")
    parser.set_defaults(func=run)


def _start_redis(socket_path: Path) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server not found on PATH (Debian: apt-get install redis-server)")
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--dir",
            str(socket_path.parent),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + REDIS_START_TIMEOUT_S
    while not socket_path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"redis-server did not open {socket_path}")
        time.sleep(0.05)
    return proc


def prepare_local_host(plan: dict) -> None:
    """Do what systemd does before the services start, under the local root:
    create the host's keys (aistack-secrets.service) and copy each unit's
    LoadCredential= sources into its credentials directory."""
    from aistack.guard.keys import ensure_key_file

    if "aistack-secrets" in plan["units"]:
        ensure_key_file(Path(plan["secrets"]["identityKey"]))
    credentials_root = Path(plan["paths"]["credentialsDir"])
    for name, unit in plan["units"].items():
        for entry in unit["serviceConfig"].get("LoadCredential", []):
            cred_id, _, source = entry.partition(":")
            if not Path(source).is_file():
                continue  # e.g. a host's remote API key that only exists there
            target = credentials_root / f"{name}.service" / cred_id
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            target.write_bytes(Path(source).read_bytes())
            target.chmod(0o400)


def _interrupt(signum: int, frame: object) -> None:
    # SIGTERM stops the stack the same way Ctrl-C does.
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    """Render, start Redis and the services, wait; stop everything on SIGINT/SIGTERM."""
    out = args.out.resolve()
    try:
        plan = evaluate_host_plan(
            args.host_dir, aistack_bin=current_executable(), root=str(out), source=args.source
        )
    except NixEvalError as exc:
        print(f"aistack dev: {exc}", file=sys.stderr)
        return 1
    write_rendered_tree(plan, out)
    prepare_local_host(plan)
    wanted = args.services or sorted(plan["services"])
    unknown = sorted(set(wanted) - set(plan["services"]))
    if unknown:
        print(f"aistack dev: not services of this host: {', '.join(unknown)}", file=sys.stderr)
        return 2

    procs: list[subprocess.Popen] = []
    try:
        procs.append(_start_redis(Path(plan["endpoints"]["redis"]["path"])))
        for name in wanted:
            service = plan["services"][name]
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "aistack",
                        "serve",
                        name,
                        "--config",
                        service["configFile"],
                    ]
                )
            )
            listen = service["config"]["listen"]
            where = listen.get("path") or f"http://{listen['host']}:{listen['port']}"
            print(json.dumps({"event": "dev_service_started", "service": name, "listen": where}))
            if name == "dashboard":
                print(f"Dashboard: {where}/", flush=True)
        signal.signal(signal.SIGTERM, _interrupt)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return 1  # something exited on its own; its log says why
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"aistack dev: {exc}", file=sys.stderr)
        return 1
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
