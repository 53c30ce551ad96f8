"""Fixtures of the coordinator tests: the real llama-server with the tiny model, the real
audit writer and Redis, the scripted remote stand-in, and coordinators built from configs."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aistack.devmodel import write_tiny_model
from coordinator.coord_harness import (
    ScriptedLLM,
    ServerThread,
    coordinator_config,
    make_api_key,
    start_audit_writer,
    start_llama_server,
)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny random-weight llama GGUF, written by aistack.devmodel."""
    return write_tiny_model(tmp_path_factory.mktemp("model") / "tiny.gguf")


@pytest.fixture(scope="session")
def llama_url(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real upstream llama-server serving the tiny model, for the whole session."""
    log = tmp_path_factory.mktemp("llama") / "llama.log"
    proc, url = start_llama_server(tiny_model, log)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def audit_writer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The real audit writer: (socket, log file)."""
    proc, sock, log = start_audit_writer(tmp_path_factory.mktemp("audit"))
    try:
        yield sock, log
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def stub() -> Callable[..., tuple[ScriptedLLM, str]]:
    """Start scripted stand-ins: ``stub(name=..)`` -> (script, base URL)."""
    with ExitStack() as stack:

        def start(**kwargs: Any) -> tuple[ScriptedLLM, str]:
            llm = ScriptedLLM(**kwargs)
            server = stack.enter_context(ServerThread(llm.app()))
            return llm, server.url

        yield start


@dataclass
class Coordinator:
    """A running coordinator: its URL, the key to call it with, its app and config."""

    url: str
    api_key: str
    app: Any
    config: dict[str, Any]

    @property
    def state(self) -> Any:
        return self.app.state.coordinator

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


@pytest.fixture
def coordinator(
    tmp_path: Path, redis_socket: Path, audit_writer: tuple[Path, Path]
) -> Iterator[Callable[..., Coordinator]]:
    """Start coordinators in this process: ``coordinator(local_url=.., remote_url=..)``."""
    from aistack.config.coordinator import CoordinatorConfig
    from aistack.coordinator.app import create_app

    logging.getLogger("aistack").setLevel(logging.INFO)
    with ExitStack() as stack:

        def start(**kwargs: Any) -> Coordinator:
            key = make_api_key()
            root = tmp_path / f"coord{len(stack._exit_callbacks)}"
            raw = coordinator_config(
                root,
                redis_socket=redis_socket,
                audit_socket=audit_writer[0],
                api_key=key,
                **kwargs,
            )
            config = CoordinatorConfig.model_validate_json(json.dumps(raw))
            app = create_app(config)
            server = stack.enter_context(ServerThread(app))
            return Coordinator(server.url, key, app, raw)

        yield start
