"""``aistack dev HOST_DIR --out DIR``: a host's stack on this machine, unprivileged.

Renders the host with ``--local`` (every path under DIR), starts Debian's or
nixpkgs' ``redis-server`` on the plan's Unix socket, the real llama-server with
a tiny generated model (``aistack.cli.dev_llama``) when it is installed, and
every enabled service (or the ``--service`` ones) with ``aistack serve``, each
waited for until it answers; prints the URLs and runs until interrupted. For
trying a host out and for development; a real host runs the same configs under
systemd.
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
from aistack.render.nftables import PolicyError
from aistack.render.nixeval import NixEvalError, current_executable, evaluate_host_plan
from aistack.render.safe_paths import unit_path_problem
from aistack.render.units import UnitRenderError

REDIS_START_TIMEOUT_S = 10.0
# The embeddings service loads its model before it answers.
SERVICE_START_TIMEOUT_S = 120.0


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
    from aistack.guard.api_keys import ensure_api_keys_file
    from aistack.guard.keys import ensure_key_file

    if "aistack-secrets" in plan["units"]:
        ensure_key_file(Path(plan["secrets"]["identityKey"]))
        if "apiKeys" in plan["secrets"]:
            ensure_api_keys_file(Path(plan["secrets"]["apiKeys"]))
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


def _service_url(config: dict) -> str:
    listen = config["listen"]
    return listen.get("path") or f"http://{listen['host']}:{listen['port']}"


def _wait_until_answering(config: dict, procs: list[subprocess.Popen], timeout_s: float) -> bool:
    """Poll a service's ``/health`` until it answers (any status); False on timeout."""
    import httpx

    listen = config["listen"]
    transport = httpx.HTTPTransport(uds=listen["path"]) if listen["kind"] == "unix" else None
    base = "http://localhost" if listen["kind"] == "unix" else _service_url(config)
    deadline = time.monotonic() + timeout_s
    with httpx.Client(base_url=base, transport=transport, timeout=1.0) as client:
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in procs):
                return False
            try:
                client.get("/health")
                return True
            except httpx.HTTPError:
                time.sleep(0.1)
    return False


def _print_summary(plan: dict, names: list[str], llama: bool) -> None:
    coordinator = plan["services"].get("coordinator")
    lines = [
        "",
        "aistack dev: running "
        + ", ".join(["redis", *(["llama-server"] if llama else []), *names]),
    ]
    if coordinator is not None and "coordinator" in names:
        url = _service_url(coordinator["config"])
        lines += [
            f"  OpenAI-compatible API: {url}/v1  (model: auto, local or the remote alias)",
            f"  status: {url}/status   ready: {url}/ready   metrics: {url}/metrics",
            f"  API keys (NAME:KEY lines): {plan['secrets'].get('apiKeys', '-')}",
        ]
    dashboard = plan["services"].get("dashboard")
    if dashboard is not None and "dashboard" in names:
        lines.append(f"Dashboard: {_service_url(dashboard['config'])}/")
    lines.append("  Ctrl-C stops everything.")
    print("\n".join(lines), flush=True)


def run(args: argparse.Namespace) -> int:
    """Render, start Redis, llama-server and the services, wait; stop all on SIGINT/SIGTERM."""
    from aistack.cli.dev_llama import point_coordinator_at_tiny_model, start_dev_llama

    out = args.out.resolve()
    problem = unit_path_problem(str(out))
    if problem is not None:
        print(f"aistack dev: --out: {problem}", file=sys.stderr)
        return 2
    try:
        plan = evaluate_host_plan(
            args.host_dir, aistack_bin=current_executable(), root=str(out), source=args.source
        )
    except NixEvalError as exc:
        print(f"aistack dev: {exc}", file=sys.stderr)
        return 1
    try:
        write_rendered_tree(plan, out)
    except (PolicyError, UnitRenderError) as exc:
        print(f"aistack dev: nothing written: {exc}", file=sys.stderr)
        return 1
    prepare_local_host(plan)
    wanted = args.services or sorted(plan["services"])
    unknown = sorted(set(wanted) - set(plan["services"]))
    if unknown:
        print(f"aistack dev: not services of this host: {', '.join(unknown)}", file=sys.stderr)
        return 2
    # The audit writer first: the others send it records from their first call.
    wanted = sorted(wanted, key=lambda n: (n != "audit", n))

    procs: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        procs.append(_start_redis(Path(plan["endpoints"]["redis"]["path"])))
        llama = None
        if "coordinator" in wanted:
            llama = start_dev_llama(plan, out, out / "log")
            if llama is not None:
                procs.append(llama)
                point_coordinator_at_tiny_model(plan)
        for name in wanted:
            service = plan["services"][name]
            proc = subprocess.Popen(
                [sys.executable, "-m", "aistack", "serve", name, "--config", service["configFile"]]
            )
            procs.append(proc)
            print(
                json.dumps(
                    {
                        "event": "dev_service_started",
                        "service": name,
                        "listen": _service_url(service["config"]),
                    }
                ),
                flush=True,
            )
            if name != "audit" and not _wait_until_answering(
                service["config"], procs, SERVICE_START_TIMEOUT_S
            ):
                raise RuntimeError(f"{name} did not start; its log above says why")
        _print_summary(plan, wanted, llama is not None)
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
