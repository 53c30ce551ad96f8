"""Switching the local model: a request file the llama.cpp supervisor acts on.

The coordinator runs unprivileged and never restarts processes itself. A
switch (``POST /admin/reload-model``, ``aistack reload-model``) is validated
(a ``.gguf`` file inside the models directory that starts with the GGUF
magic) and written atomically to ``model_switch.request_file``. Whatever
supervises llama-server acts on it:

* in development, :class:`LlamaSupervisor` (``aistack dev``) polls the file
  and restarts its llama-server child with the new ``-m``;
* on NixOS, a path unit watching the file starts a oneshot that restarts the
  llama.cpp unit with the requested model.

While llama-server restarts, its ``/health`` answers 503 ``Loading model``
(or nothing); the coordinator's probe sees that and the loading queue holds
requests, or they go remote where the policy allows.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aistack.common.events import log_event
from aistack.common.jobstate import atomic_write_json, read_json

logger = logging.getLogger("aistack.coordinator.model_switch")

GGUF_MAGIC = b"GGUF"


class ModelSwitchError(ValueError):
    """The requested model is not acceptable (the message says why)."""


def validate_model(models_dir: str | Path, model: str) -> Path:
    """The model's resolved path, if it is a GGUF file inside ``models_dir``."""
    root = Path(models_dir).resolve()
    candidate = Path(model)
    path = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if not path.is_relative_to(root):
        raise ModelSwitchError(f"{model}: not inside the models directory {root}")
    if path.suffix != ".gguf":
        raise ModelSwitchError(f"{model}: not a .gguf file")
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelSwitchError(f"{model}: cannot read it ({exc.strerror})") from None
    if magic != GGUF_MAGIC:
        raise ModelSwitchError(f"{model}: not a GGUF file (bad magic)")
    return path


def request_switch(request_file: str | Path, models_dir: str | Path, model: str) -> dict[str, Any]:
    """Validate ``model`` and write the switch request atomically; returns the request."""
    path = validate_model(models_dir, model)
    request = {"id": uuid.uuid4().hex, "model": str(path), "requested_at": time.time()}
    atomic_write_json(request_file, request)
    log_event(logger, "local_model_switch_requested", request_id=request["id"], model=str(path))
    return request


@dataclass
class LlamaSupervisor:
    """Runs llama-server and restarts it with the model a switch request names (dev).

    ``argv_for(model_path)`` builds the command line; :meth:`poll` (call it
    periodically) acts on a new request. The previous child is stopped with
    SIGTERM (SIGKILL after ``stop_timeout_s``) before the new one starts: two
    models never share the memory budget.
    """

    argv_for: Any  # Callable[[str], Sequence[str]]
    request_file: Path
    models_dir: Path
    model: str
    log_path: Path | None = None
    stop_timeout_s: float = 10.0
    process: subprocess.Popen[bytes] | None = None
    _handled: str | None = None

    def start(self) -> subprocess.Popen[bytes]:
        """Start llama-server with the current model."""
        out = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(
            list(self.argv_for(self.model)), stdout=out, stderr=subprocess.STDOUT
        )
        current = read_json(self.request_file)
        if isinstance(current, dict):
            self._handled = current.get("id")  # an old request is not a new switch
        return self.process

    def stop(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL)."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=self.stop_timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def poll(self) -> bool:
        """Act on a new switch request; True when llama-server was restarted."""
        request = read_json(self.request_file)
        if not isinstance(request, dict) or request.get("id") in (None, self._handled):
            return False
        self._handled = request["id"]
        try:
            path = validate_model(self.models_dir, str(request.get("model", "")))
        except ModelSwitchError as exc:
            log_event(logger, "local_model_switch_refused", logging.WARNING, error=str(exc))
            return False
        previous = self.model
        self.stop()
        self.model = str(path)
        self.start()
        log_event(
            logger, "local_model_switched", request_id=request["id"], previous=previous,
            model=self.model, pid=self.process.pid if self.process else None,
        )  # fmt: skip
        return True


def pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
