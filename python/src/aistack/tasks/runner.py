"""The queue and the workers: each task runs under bubblewrap with its own caps and relay.

Concurrency is a fixed number of workers reading one asyncio queue. A task's
process tree is killed as a whole on timeout, on cancel and when the service
stops: its process group, its PID namespace (bubblewrap's ``--die-with-parent``)
and, where one exists, everything in its cgroup.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aistack
from aistack.common.events import log_event
from aistack.config.tasks import TasksConfig, ToolSpec
from aistack.tasks.limits import LimitFactory
from aistack.tasks.model import FINAL_STATUSES, Task
from aistack.tasks.relay import endpoint_connector, serve_unix_relay
from aistack.tasks.sandbox import (
    COORDINATOR_SOCKET,
    WORKSPACE_MOUNT,
    SandboxSpec,
    bwrap_argv,
    render_tool_argv,
    system_view,
)
from aistack.tasks.store import TaskStore
from aistack.tasks.workspace import WorkspaceRefused, check_workspace

KEY_MOUNT = "/run/aistack/api-key"
# How often a running task's tail is written to the store (for a restart's view).
_PERSIST_EVERY_S = 2.0

OnFinished = Callable[[Task], Awaitable[None]]


@dataclass
class _Live:
    task: Task
    tail: deque[str]
    cancel: asyncio.Event = field(default_factory=asyncio.Event)


def new_task_id() -> str:
    """A random, URL-safe task id."""
    return secrets.token_hex(12)


def resolve_tool(spec: ToolSpec) -> str | None:
    """The absolute path of the tool's program, or ``None`` when it is not installed."""
    program = spec.command[0]
    if os.path.isabs(program):
        return program if os.access(program, os.X_OK) else None
    return shutil.which(program)


class TaskRunner:
    """Runs queued tasks; the app submits, cancels and reads through it."""

    def __init__(
        self,
        config: TasksConfig,
        store: TaskStore,
        limits: LimitFactory,
        logger: logging.Logger,
        on_finished: OnFinished | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.limits = limits
        self.logger = logger
        self.on_finished = on_finished
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.live: dict[str, _Live] = {}
        self._workers: list[asyncio.Task[None]] = []
        # Unredacted instructions of queued tasks, kept in memory only.
        self._instructions: dict[str, str] = {}
        self._runtime_root = Path(os.environ.get("RUNTIME_DIRECTORY", tempfile.gettempdir()))
        self.tool_paths = {name: resolve_tool(spec) for name, spec in config.tools.items()}
        self.bwrap = shutil.which(config.sandbox.bwrap)

    # --- lifecycle -------------------------------------------------------------

    async def start(self) -> None:
        """Recover state from before a restart and start the workers."""
        # Whatever survived a crash of the runner is killed before anything new starts.
        reaped = await asyncio.to_thread(self.limits.reap_stale)
        if reaped:
            log_event(self.logger, "task_cgroups_reaped", logging.WARNING, tasks=reaped)
        for task in self.store.recover(time.time()):
            self.queue.put_nowait(task.id)
        for n in range(self.config.concurrency):
            self._workers.append(asyncio.create_task(self._worker(), name=f"task-worker-{n}"))
        log_event(
            self.logger,
            "task_runner_started",
            concurrency=self.config.concurrency,
            limits=self.limits.mode,
            queued=self.queue.qsize(),
        )

    async def stop(self) -> None:
        """Kill running tasks (recorded as failed) and stop the workers."""
        for live in list(self.live.values()):
            live.cancel.set()
            live.task.reason = "service_stopped"
        for worker in self._workers:
            worker.cancel()
        for worker in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    # --- API -----------------------------------------------------------------

    def submit(self, task: Task, instruction: str) -> None:
        """Store ``task`` (its redacted instruction) as queued and put it on the queue;
        ``instruction`` is what the agent gets."""
        self._instructions[task.id] = instruction
        self.store.save(task)
        self.queue.put_nowait(task.id)
        log_event(self.logger, "task_queued", task_id=task.id, tool=task.tool)

    def view(self, task_id: str) -> Task | None:
        """The task with its live output tail when it is running."""
        live = self.live.get(task_id)
        if live is not None:
            live.task.output_tail = list(live.tail)
            if live.task.status in FINAL_STATUSES and live.task.finished_at is None:
                # Its outcome is known but its record is not final yet (the tail is
                # still draining, the sandbox being cleaned up): still running.
                return dataclasses.replace(live.task, status="running")
            return live.task
        return self.store.get(task_id)

    def cancel(self, task_id: str) -> Task | None:
        """Cancel a queued or running task; a finished one is returned unchanged."""
        live = self.live.get(task_id)
        if live is not None:
            live.cancel.set()
            return live.task
        task = self.store.get(task_id)
        if task is not None and task.status == "queued":
            task.status = "cancelled"
            task.reason = "cancelled_before_start"
            self._instructions.pop(task_id, None)
            task.finished_at = time.time()
            self.store.save(task)
            log_event(self.logger, "task_cancelled", task_id=task_id, while_status="queued")
        return task

    # --- running ---------------------------------------------------------------

    async def _worker(self) -> None:
        while True:
            task_id = await self.queue.get()
            task = self.store.get(task_id)
            if task is None or task.status != "queued":
                continue  # cancelled while it waited
            try:
                await self._run(task)
            except Exception as exc:  # a task's failure must not stop the worker
                task.status = "failed"
                task.reason = f"runner_error: {type(exc).__name__}"
                task.finished_at = time.time()
                self.store.save(task)
                log_event(
                    self.logger, "task_runner_error", logging.ERROR, task_id=task.id, error=str(exc)
                )
                await self._finished(task)

    def _environment(self, tool: ToolSpec, api_base: str) -> dict[str, str]:
        package_root = str(Path(aistack.__file__).resolve().parent.parent)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": "/tmp",
            "LANG": "C.UTF-8",
            "PYTHONPATH": package_root,
            "PYTHONDONTWRITEBYTECODE": "1",
            "OPENAI_API_BASE": api_base,
            "OPENAI_BASE_URL": api_base,
        }
        env.update(tool.environment)
        return env

    async def _run(self, task: Task) -> None:
        tool = self.config.tools[task.tool]
        program = self.tool_paths.get(task.tool)
        live = _Live(task, deque(maxlen=self.config.tail_lines))
        self.live[task.id] = live
        runtime = Path(tempfile.mkdtemp(prefix="aistack-task-", dir=self._runtime_root))
        log_path = Path(self.config.state_dir) / "logs" / f"{task.id}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        limits = None
        relay = None
        proc: asyncio.subprocess.Process | None = None
        try:
            if program is None or self.bwrap is None:
                task.status = "failed"
                task.reason = "tool_not_installed" if program is None else "bwrap_not_installed"
                return
            try:
                # Again at start: the path may have been swapped for a symlink since.
                workspace = check_workspace(task.workspace, self.config.workspace_roots)
            except WorkspaceRefused as exc:
                task.status, task.reason = "failed", exc.reason
                return
            relay_sock = runtime / "c.sock"
            relay = await serve_unix_relay(
                str(relay_sock), endpoint_connector(self.config.upstreams.coordinator)
            )
            port = self.config.sandbox.coordinator_port
            api_base = f"http://127.0.0.1:{port}/v1"
            inner = [sys.executable, "-m", "aistack.tasks.inner", "--port", str(port)]
            inner += ["--socket", COORDINATOR_SOCKET]
            ro_binds = sandbox_binds(program, self.config.sandbox.extra_ro_binds)
            key_file = self.config.coordinator_api_key_file
            if key_file is not None:
                inner += ["--key-file", KEY_MOUNT]
            tool_argv = render_tool_argv(
                [program, *tool.command[1:]],
                {
                    # The caller's text; after a restart only the redacted copy is left.
                    "instruction": self._instructions.pop(task.id, task.instruction),
                    "workspace": WORKSPACE_MOUNT,
                    "model": tool.model,
                    "api_base": api_base,
                },
            )
            _, links = system_view()
            spec = SandboxSpec(
                bwrap=self.bwrap,
                workspace=workspace,
                relay_socket=relay_sock,
                ro_binds=ro_binds,
                environment=self._environment(tool, api_base),
                argv=[*inner, "--", *tool_argv],
                symlinks=links,
            )
            argv = bwrap_argv(spec)
            if key_file is not None:
                argv = _with_key_bind(argv, key_file)
            limits = self.limits.for_task(
                task.id, self.config.sandbox.memory_max_bytes, self.config.sandbox.pids_max
            )
            task.status, task.started_at = "running", time.time()
            self.store.save(task)
            log_event(self.logger, "task_started", task_id=task.id, tool=task.tool)
            proc = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=limits.preexec,
            )
            reader = asyncio.create_task(self._collect(proc, live, log_path))
            waiter = asyncio.create_task(proc.wait())
            cancelled = asyncio.create_task(live.cancel.wait())
            done, _ = await asyncio.wait(
                {waiter, cancelled}, timeout=task.timeout_s, return_when=asyncio.FIRST_COMPLETED
            )
            if waiter in done:
                code = waiter.result()
                task.exit_code = code
                task.status = "succeeded" if code == 0 else "failed"
                if code != 0:
                    task.reason = task.reason or f"exit status {code}"
            else:
                _kill_tree(proc, limits)
                await proc.wait()
                if cancelled in done:
                    task.status = "failed" if task.reason == "service_stopped" else "cancelled"
                    task.reason = task.reason or "cancelled"
                else:
                    task.status, task.reason = "timed_out", f"no exit within {task.timeout_s}s"
                task.exit_code = proc.returncode
            cancelled.cancel()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(reader, 5.0)
        finally:
            if proc is not None and proc.returncode is None:
                _kill_tree(proc, limits)
                with contextlib.suppress(ProcessLookupError):
                    await proc.wait()
            if limits is not None:
                limits.kill_all()
                await asyncio.to_thread(limits.remove)
            if relay is not None:
                relay.close()
            shutil.rmtree(runtime, ignore_errors=True)
            task.finished_at = time.time()
            task.output_tail = list(live.tail)
            self.store.save(task)
            self.live.pop(task.id, None)
            log_event(
                self.logger,
                "task_finished",
                task_id=task.id,
                status=task.status,
                exit_code=task.exit_code,
                reason=task.reason,
            )
            await self._finished(task)

    async def _finished(self, task: Task) -> None:
        if self.on_finished is not None:
            await self.on_finished(task)

    async def _collect(self, proc: asyncio.subprocess.Process, live: _Live, log_path: Path) -> None:
        assert proc.stdout is not None
        cap = self.config.log_max_bytes
        last_persist = time.monotonic()
        with open(log_path, "ab", buffering=0) as log:
            os.chmod(log_path, 0o600)
            while line := await proc.stdout.readline():
                if live.task.log_bytes < cap:
                    chunk = line[: cap - live.task.log_bytes]
                    log.write(chunk)
                    live.task.log_bytes += len(chunk)
                live.tail.append(line.decode("utf-8", "replace").rstrip("\n")[:2000])
                if time.monotonic() - last_persist > _PERSIST_EVERY_S:
                    live.task.output_tail = list(live.tail)
                    self.store.save(live.task)
                    last_persist = time.monotonic()


def sandbox_binds(program: str, extra_ro_binds: Sequence[str] = ()) -> list[str]:
    """What a task sees read-only: the system, this Python and aistack (the relay
    runs inside), the tool's installation, and the host's extra paths."""
    package_root = str(Path(aistack.__file__).resolve().parent.parent)
    # The tool's installation: its bin/ directory's parent (a virtualenv, a
    # store path), so its interpreter finds its libraries.
    tool_dir = Path(program).resolve().parent
    tool_root = tool_dir.parent if tool_dir.name == "bin" else tool_dir
    extra = [sys.base_prefix, sys.prefix, package_root, str(tool_root)]
    # A virtualenv's python is a link to another installation's interpreter.
    extra += venv_base_prefixes(tool_root)
    extra += [p for p in sys.path if p.endswith("site-packages")]
    extra += list(extra_ro_binds)
    # Never the host's root: that would be all of it.
    binds, _ = system_view([p for p in extra if p.rstrip("/")])
    # A path inside another bound path needs no bind of its own.
    binds.sort(key=len)
    kept: list[str] = []
    for b in binds:
        if not any(b == k or b.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(b)
    return kept


def venv_base_prefixes(root: Path) -> list[str]:
    """The installations a virtualenv at ``root`` runs on: the prefix of the
    interpreter its ``pyvenv.cfg`` names (``home = <prefix>/bin``) and of the
    interpreter its ``bin/python3`` links to. Empty when ``root`` is no virtualenv."""
    cfg = root / "pyvenv.cfg"
    if not cfg.is_file():
        return []
    homes: list[Path] = []
    for line in cfg.read_text(encoding="utf-8", errors="replace").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() == "home" and value.strip().startswith("/"):
            homes.append(Path(value.strip()).resolve())
    for name in ("python3", "python"):
        interpreter = root / "bin" / name
        if interpreter.exists():
            homes.append(interpreter.resolve().parent)
            break
    prefixes: list[str] = []
    for home in homes:
        prefix = str(home.parent if home.name == "bin" else home)
        if prefix != "/" and prefix not in prefixes:
            prefixes.append(prefix)
    return prefixes


def _with_key_bind(argv: list[str], key_file: str) -> list[str]:
    """Bind the coordinator key read-only into the sandbox: before the sandbox's
    root turns read-only (bubblewrap creates the mount point there), else before
    the command."""
    split = argv.index("--remount-ro") if "--remount-ro" in argv else argv.index("--")
    return [*argv[:split], "--ro-bind", key_file, KEY_MOUNT, *argv[split:]]


def _kill_tree(proc: asyncio.subprocess.Process, limits: object) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    if limits is not None:
        limits.kill_all()  # type: ignore[attr-defined]
