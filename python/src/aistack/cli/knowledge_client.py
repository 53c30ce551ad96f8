"""The knowledge service as the CLI commands reach it: the socket its config names."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

import httpx

DEFAULT_CONFIG = Path("/etc/aistack/knowledge.json")
# sysexits.h EX_UNAVAILABLE: the service is not there to talk to.
EX_UNAVAILABLE = 69


class ServiceError(Exception):
    """The service refused a request or could not be reached; ``code`` is the exit code."""

    def __init__(self, message: str, code: int = 1, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def add_config_argument(parser: Any) -> None:
    """``--config KNOWLEDGE_JSON`` (default /etc/aistack/knowledge.json)."""
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        metavar="KNOWLEDGE_JSON",
        help=f"the knowledge service's config, naming its socket (default {DEFAULT_CONFIG})",
    )


def api_key() -> str:
    """The caller's key: ``$AISTACK_API_KEY``, else one naming the local user."""
    return os.environ.get("AISTACK_API_KEY") or f"local-cli:{getpass.getuser()}"


class KnowledgeClient:
    """Synchronous client of the running knowledge service."""

    def __init__(self, config_path: Path, timeout: float = 300.0) -> None:
        from aistack.config.knowledge import KnowledgeConfig
        from aistack.config.loader import load_config_or_exit

        self.config: KnowledgeConfig = load_config_or_exit(config_path, KnowledgeConfig)
        listen = self.config.listen
        if listen.kind == "unix":
            self.where = listen.path
            transport = httpx.HTTPTransport(uds=listen.path)
            self._http = httpx.Client(
                base_url="http://localhost", transport=transport, timeout=timeout
            )
        else:
            self.where = listen.base_url
            self._http = httpx.Client(base_url=listen.base_url, timeout=timeout)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One call; connection failures and error statuses become :class:`ServiceError`."""
        headers = {"X-API-Key": api_key(), **kwargs.pop("headers", {})}
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise ServiceError(
                f"the knowledge service is not answering at {self.where} ({exc}); "
                "is it running (systemctl status aistack-knowledge, or aistack dev)?",
                EX_UNAVAILABLE,
            ) from None
        if response.status_code >= 400:
            try:
                error = response.json()["error"]
                message = f"{error['code']}: {error['message']}"
            except (ValueError, KeyError, TypeError):
                message = response.text[:500]
            raise ServiceError(
                f"{method} {path} -> {response.status_code} {message}",
                EX_UNAVAILABLE if response.status_code == 503 else 1,
                response.status_code,
            )
        return response

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()


def fail(exc: ServiceError) -> int:
    """Print ``exc`` for the user; its exit code."""
    print(f"aistack: {exc}", file=sys.stderr)
    return exc.code
