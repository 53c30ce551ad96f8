"""The in-process engine in a process of its own.

torch releases the GIL inside each operator but takes it back between them;
with the event loop busy serving many connections in the same process, every
hand-back waits, and a batch took 2.5x longer (measured: 30 texts, 0.6 s
alone, 1.6 s next to a busy thread). A child process has its own GIL. It is
forked before the service starts any thread, holds the model, and answers one
batch at a time over a pipe; the parent imports no torch.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection

from aistack.embeddings.backend import (
    BackendError,
    EmbeddingBackend,
    Encoded,
    EngineDied,
    ModelLoadError,
)

STOP_TIMEOUT_S = 5.0


def _serve(
    factory: Callable[[], EmbeddingBackend], conn: Connection, parent_end: Connection
) -> None:
    # Fork copied the parent's end of the pipe: close it here, so the parent
    # dying (even by SIGKILL) reaches this process as end-of-file.
    parent_end.close()
    try:
        backend = factory()
    except Exception as exc:  # reported to the parent, which refuses requests with it
        with contextlib.suppress(OSError):
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    try:
        conn.send(("ready", backend.dimensions))
    except OSError:
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent went away
            return
        if message[0] == "stop":
            backend.close()
            return
        try:
            encoded = backend.encode(message[1])
            reply: tuple = ("ok", encoded.vectors, encoded.tokens)
        except Exception as exc:
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except OSError:  # the parent went away mid-batch
            return


class EngineProcess:
    """An :class:`EmbeddingBackend` whose engine runs in a forked child.

    Build it before the process starts threads (fork copies only the calling
    thread). ``encode`` is called from one thread at a time.
    """

    def __init__(self, name: str, factory: Callable[[], EmbeddingBackend]) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(factory, child, self._conn),
            name="aistack-embeddings-engine",
            daemon=True,
        )
        self._process.start()
        child.close()
        self.name = name
        self.dimensions = 0

    @property
    def pid(self) -> int | None:
        """The child's process id."""
        return self._process.pid

    def wait_loaded(self) -> EngineProcess:
        """Block until the child has loaded the model (:class:`ModelLoadError` if it failed)."""
        try:
            kind, payload = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise ModelLoadError(
                f"the engine process exited while loading (code {self._process.exitcode})"
            ) from exc
        if kind != "ready":
            raise ModelLoadError(str(payload))
        self.dimensions = int(payload)
        return self

    def encode(self, texts: list[str]) -> Encoded:
        """Send the batch to the child and wait for its vectors."""
        try:
            self._conn.send(("encode", texts))
            reply = self._conn.recv()
        except (EOFError, OSError) as exc:
            self._process.join(1.0)
            raise EngineDied(
                f"the engine process died (exit code {self._process.exitcode})"
            ) from exc
        if reply[0] != "ok":
            raise BackendError(f"the engine failed: {reply[1]}")
        return Encoded(reply[1], list(reply[2]))

    def check(self) -> None:
        """Raise :class:`EngineDied` when the child is gone."""
        if not self._process.is_alive():
            raise EngineDied(f"the engine process died (exit code {self._process.exitcode})")

    def close(self) -> None:
        """Ask the child to stop; kill it if it does not."""
        if self._process.is_alive():
            with contextlib.suppress(OSError):
                self._conn.send(("stop",))
            self._process.join(STOP_TIMEOUT_S)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        self._conn.close()
