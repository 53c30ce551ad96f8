"""What long jobs (``aistack learn``, source sync) need to survive a crash.

* :func:`atomic_write_json` writes a file so that a reader (or a restart after
  a crash at any instant) sees the previous content or the new one, never a
  mix: temp file in the same directory, fsync, rename, fsync of the directory.
* :class:`JobLock` is an exclusive ``fcntl.flock`` on a lock file. The kernel
  drops a flock when its holder dies, even by SIGKILL, so a dead process never
  keeps the lock and no stale-PID guessing is needed. The holder's PID is
  written into the file for operators only.
* :class:`Checkpoint` is a job's progress, saved with :func:`atomic_write_json`
  under the lock; a restarted job resumes from the last saved state.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any


def atomic_write_bytes(path: str | Path, data: bytes, mode: int = 0o640) -> None:
    """Replace ``path`` with ``data`` atomically and durably."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def atomic_write_json(path: str | Path, value: Any, mode: int = 0o640) -> None:
    """Write ``value`` as JSON to ``path`` atomically (see :func:`atomic_write_bytes`)."""
    data = json.dumps(value, indent=2, sort_keys=True, default=str).encode() + b"\n"
    atomic_write_bytes(path, data, mode)


def read_json(path: str | Path, default: Any = None) -> Any:
    """``path``'s JSON, or ``default`` when the file does not exist."""
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError:
        return default


class LockHeld(RuntimeError):
    """Another live process holds the job's lock."""


class JobLock:
    """An exclusive lock on ``path`` that dies with its holder (``fcntl.flock``)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self, wait: bool = False, timeout: float | None = None) -> None:
        """Take the lock; raises :class:`LockHeld` when another process has it.

        With ``wait``, retry until ``timeout`` seconds (forever when None).
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o640)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    os.close(fd)
                    raise
                if not wait or (deadline is not None and time.monotonic() >= deadline):
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
                    os.close(fd)
                    raise LockHeld(f"{self.path} is held by pid {holder or '?'}") from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (closing the descriptor releases the flock)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def __enter__(self) -> JobLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


class Checkpoint:
    """A job's progress in ``<dir>/<job>.json``, guarded by ``<dir>/<job>.lock``.

    ``with Checkpoint(dir, "learn") as cp: state = cp.load(); ...; cp.save(state)``.
    Saving without holding the lock is refused, so two writers never interleave.
    """

    def __init__(
        self, directory: str | Path, job: str, *, wait: bool = False, timeout: float | None = None
    ) -> None:
        self.path = Path(directory) / f"{job}.json"
        self.lock = JobLock(Path(directory) / f"{job}.lock")
        self.wait = wait
        self.timeout = timeout

    def __enter__(self) -> Checkpoint:
        self.lock.acquire(wait=self.wait, timeout=self.timeout)
        # A holder killed mid-save leaves its temp file; only the lock's holder
        # can be sure no save is in progress, so it sweeps them.
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.lock.release()

    def load(self) -> dict[str, Any]:
        """The last saved state, or ``{}``."""
        value = read_json(self.path, {})
        return value if isinstance(value, dict) else {}

    def save(self, state: dict[str, Any]) -> None:
        """Save ``state`` atomically; only the lock's holder may."""
        if not self.lock.held:
            raise LockHeld(f"saving {self.path} needs its lock")
        atomic_write_json(self.path, state)

    def clear(self) -> None:
        """Remove the checkpoint (the job finished)."""
        if not self.lock.held:
            raise LockHeld(f"clearing {self.path} needs its lock")
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
