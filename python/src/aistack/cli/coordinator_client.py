"""What the coordinator's client commands share: its config, its URL, the caller's key."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import httpx

DEFAULT_CONFIG = "/etc/aistack/coordinator.json"
API_KEY_ENV = "AISTACK_API_KEY"
EX_UNAVAILABLE = 69


def add_client_arguments(parser: argparse.ArgumentParser) -> None:
    """``--config``, ``--url`` and ``--api-key-file`` (or ``$AISTACK_API_KEY``)."""
    parser.add_argument("--config", default=DEFAULT_CONFIG, help="the coordinator's JSON config")
    parser.add_argument("--url", help="the coordinator's URL (default: its config's listen)")
    parser.add_argument(
        "--api-key-file", type=Path, help=f"file holding your API key (default: ${API_KEY_ENV})"
    )


def api_key(args: argparse.Namespace) -> str:
    """The caller's key: from ``--api-key-file``, else the environment; exits 2 when neither."""
    if args.api_key_file is not None:
        try:
            return args.api_key_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SystemExit(f"aistack: cannot read {args.api_key_file}: {exc.strerror}") from None
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise SystemExit(f"aistack: give --api-key-file or set {API_KEY_ENV}")
    return key


def coordinator_client(args: argparse.Namespace, timeout: float = 30.0) -> httpx.Client:
    """An HTTP client for the coordinator, authenticated with the caller's key."""
    headers = {"Authorization": f"Bearer {api_key(args)}"}
    if args.url:
        return httpx.Client(base_url=args.url, headers=headers, timeout=timeout)
    from aistack.config.coordinator import CoordinatorConfig
    from aistack.config.loader import load_config_or_exit

    config = load_config_or_exit(args.config, CoordinatorConfig)
    listen = config.listen
    transport = httpx.HTTPTransport(uds=listen.path) if listen.kind == "unix" else None
    return httpx.Client(
        base_url=listen.base_url, headers=headers, timeout=timeout, transport=transport
    )


def error_text(response: httpx.Response) -> str:
    """The message of an error answer (OpenAI's shape or FastAPI's detail)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return f"{err.get('message')} ({err.get('code')})"
        if "detail" in body:
            return str(body["detail"])
    return str(body)[:200]
