"""``aistack serve SERVICE --config FILE``: run one service with uvicorn."""

from __future__ import annotations

import argparse
import importlib
import os
import socket
import sys
from pathlib import Path

from aistack.config import EX_CONFIG, load_config_or_exit, model_for_service
from aistack.config.registry import SERVICE_MODELS

# Services that are not HTTP apps run through aistack.<service>.service:run_service;
# the others have an app factory at aistack.<service>.app:create_app.
NON_HTTP_SERVICES = frozenset({"audit"})
SERVICES = tuple(sorted(SERVICE_MODELS))

# systemd socket activation passes the listening socket as fd 3.
SD_LISTEN_FDS_START = 3


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``aistack serve``."""
    parser = sub.add_parser("serve", help="run a service from its JSON config")
    parser.add_argument("service", choices=SERVICES)
    parser.add_argument("--config", required=True, help="the service's JSON config")
    parser.set_defaults(func=run)


def _inherited_socket() -> int | None:
    """The fd systemd handed over, if this process was socket-activated."""
    if os.environ.get("LISTEN_PID") == str(os.getpid()) and os.environ.get("LISTEN_FDS") == "1":
        return SD_LISTEN_FDS_START
    return None


def prepare_unix_socket_path(path: Path) -> None:
    """Create the socket's directory, and remove a stale socket nobody listens on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_socket():
        with socket.socket(socket.AF_UNIX) as probe:
            if probe.connect_ex(str(path)) == 0:
                raise SystemExit(f"aistack serve: another process is listening on {path}")
        path.unlink()


def run(args: argparse.Namespace) -> int:
    """Validate the config (exit 78 when bad), build the app, serve until stopped."""
    from aistack.common.events import configure_json_logging

    config = load_config_or_exit(args.config, model_for_service(args.service))
    configure_json_logging(config.log_level)
    # systemd's StateDirectory= creates it on a host; a local run creates it here.
    Path(config.state_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = _inherited_socket()
    if fd is None and config.listen.kind == "unix":
        # Without systemd (aistack dev, tests) the service opens its own socket.
        prepare_unix_socket_path(Path(config.listen.path))
    if args.service in NON_HTTP_SERVICES:
        runner = importlib.import_module(f"aistack.{args.service}.service").run_service
        listen = socket.socket(fileno=fd) if fd is not None else None
        return int(runner(config, listen))

    import uvicorn

    from aistack.guard.keys import KeyFileError

    factory = importlib.import_module(f"aistack.{args.service}.app").create_app
    try:
        app = factory(config)
    except KeyFileError as exc:
        # A missing or exposed credential is a configuration error too.
        print(f"aistack serve: {exc}", file=sys.stderr)
        return EX_CONFIG
    from aistack.common.http_server import uvicorn_options

    # Header deadline, keep-alive and connection limits against slow or greedy clients.
    common = {
        "log_config": None,
        "access_log": False,
        "log_level": config.log_level,
        **uvicorn_options(),
    }
    if fd is not None:
        uvicorn.run(app, fd=fd, **common)
    elif config.listen.kind == "unix":
        uvicorn.run(app, uds=config.listen.path, **common)
    else:
        uvicorn.run(app, host=config.listen.host, port=config.listen.port, **common)
    return 0
