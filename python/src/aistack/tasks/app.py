"""App factory of the task runner: submit, poll, cancel, summarise.

Starting a task is the high-risk tool ``run_task``: it needs ``risk_ack`` and
counts against the high-risk rate limit; its start and its end are audit
records, and it is refused when the audit writer cannot take the start. The
instruction is sanitised, scanned for injection and redacted before anything
logs or stores it; the agent itself gets the sanitised text.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from prometheus_client import Gauge

from aistack.audit.client import AuditClient, AuditError
from aistack.audit.record import AuditRecord, parameters_hash
from aistack.common.app import HealthChecks, create_base_app
from aistack.common.clients import redis_client
from aistack.common.events import log_event
from aistack.common.guarding import build_guard_state
from aistack.common.metric_names import QUEUE_DEPTH
from aistack.config.tasks import TasksConfig
from aistack.guard.deps import api_key_from_request, guard_state, guard_tool, rate_limit
from aistack.guard.identity import caller_identity
from aistack.guard.injection_verdict import verdict as injection_verdict
from aistack.guard.sanitize import sanitize
from aistack.guard.secrets import redact
from aistack.tasks.limits import LimitFactory
from aistack.tasks.model import Task, TaskRequest
from aistack.tasks.runner import TaskRunner, new_task_id
from aistack.tasks.store import TaskStore
from aistack.tasks.workspace import WorkspaceRefused, check_workspace

START_TOOL = "run_task"
# What /tasks/summary counts as recent, and how many failures it lists.
SUMMARY_WINDOW_S = 24 * 3600
SUMMARY_FAILURES = 5


def _refuse(status: int, reason: str, message: str) -> HTTPException:
    return HTTPException(status_code=status, detail={"reason": reason, "message": message})


def create_app(config: TasksConfig, limits: LimitFactory | None = None) -> FastAPI:
    """Build the task runner's app from its validated config."""
    redis = redis_client(config.upstreams.redis)
    audit = AuditClient(config.upstreams.audit.path)
    store = TaskStore(Path(config.state_dir) / "tasks.sqlite3")
    logger = logging.getLogger("aistack.tasks")

    async def audit_end(task: Task) -> None:
        record = AuditRecord(
            timestamp=datetime.now(UTC),
            tool_name=f"{START_TOOL}_finished",
            caller_identity=task.caller,
            parameters_hash=parameters_hash(
                {"task_id": task.id, "status": task.status, "exit_code": task.exit_code}
            ),
            risk_tier="high",
            outcome="ok" if task.status == "succeeded" else "error",
            latency_ms=round(
                ((task.finished_at or 0) - (task.started_at or task.finished_at or 0)) * 1000, 3
            ),
        )
        try:
            await audit.send(record)
        except AuditError as exc:
            log_event(logger, "audit_send_failed", logging.ERROR, tool=START_TOOL, error=str(exc))

    runner = TaskRunner(config, store, limits or LimitFactory(), logger, on_finished=audit_end)

    async def redis_ping() -> None:
        await redis.ping()

    async def close() -> None:
        await runner.stop()
        store.close()
        await audit.close()
        await redis.aclose()

    app = create_base_app(
        config,
        HealthChecks(required={"redis": redis_ping}),
        on_shutdown=[close],
        on_startup=[runner.start],
    )
    app.state.aistack_guard = build_guard_state(
        config.guard, redis, app.state.metrics_registry, config.service
    )
    app.state.runner = runner
    queue_depth = Gauge(
        QUEUE_DEPTH.name,
        QUEUE_DEPTH.help,
        list(QUEUE_DEPTH.labels),
        registry=app.state.metrics_registry,
    )
    queue_depth.labels("tasks", "tasks").set_function(runner.queue.qsize)

    def identity_of(request: Request) -> str:
        state = guard_state(request)
        return caller_identity(
            api_key_from_request(request, state.api_key_header), state.identity_secret
        )

    @app.post("/tasks", status_code=202, dependencies=[Depends(guard_tool(START_TOOL))])
    async def submit(body: TaskRequest, request: Request) -> JSONResponse:
        tool = body.tool or config.default_tool
        if tool is None:
            raise _refuse(400, "no_tool", "no tool given and no default tool configured")
        if tool not in config.tools:
            known = ", ".join(sorted(config.tools)) or "none"
            raise _refuse(400, "unknown_tool", f"unknown tool {tool!r}; configured: {known}")
        if runner.bwrap is None:
            raise _refuse(503, "sandbox_unavailable", "bubblewrap is not installed on this host")
        if runner.tool_paths.get(tool) is None:
            raise _refuse(409, "tool_not_installed", f"tool {tool!r} is not installed on this host")
        try:
            workspace = check_workspace(body.workspace, config.workspace_roots)
        except WorkspaceRefused as exc:
            raise _refuse(400, exc.reason, str(exc)) from None
        timeout_s = body.timeout_s or config.default_timeout_s
        if timeout_s > config.max_timeout_s:
            raise _refuse(
                400, "timeout_too_long", f"timeout_s must be at most {config.max_timeout_s}"
            )
        if runner.queue.qsize() >= config.max_queued:
            raise HTTPException(
                status_code=503,
                detail={"reason": "queue_full", "message": "too many tasks waiting"},
                headers={"Retry-After": "30"},
            )
        instruction = sanitize(body.instruction).text
        verdict = injection_verdict(instruction, config.guard)
        redacted = redact(instruction).text
        caller = identity_of(request)
        task = Task(
            id=new_task_id(),
            workspace=str(workspace),
            tool=tool,
            instruction=redacted,
            timeout_s=timeout_s,
            caller=caller,
            created_at=time.time(),
        )
        started = time.perf_counter()
        try:
            await audit.send(
                AuditRecord(
                    timestamp=datetime.now(UTC),
                    tool_name=START_TOOL,
                    caller_identity=caller,
                    parameters_hash=parameters_hash(
                        {
                            "task_id": task.id,
                            "workspace": task.workspace,
                            "tool": tool,
                            "timeout_s": timeout_s,
                            "instruction_sha256": hashlib.sha256(instruction.encode()).hexdigest(),
                        }
                    ),
                    risk_tier="high",
                    outcome="ok",
                    latency_ms=round((time.perf_counter() - started) * 1000, 3),
                )
            )
        except AuditError as exc:
            log_event(logger, "audit_send_failed", logging.ERROR, tool=START_TOOL, error=str(exc))
            raise _refuse(
                503, "audit_unavailable", "the audit log cannot record this task"
            ) from None
        if verdict.flagged:
            log_event(
                logger,
                "task_instruction_flagged",
                logging.WARNING,
                task_id=task.id,
                score=round(verdict.score, 3),
                reasons=verdict.reasons[:5],
            )
        runner.submit(task, instruction)
        return JSONResponse(
            {
                "task_id": task.id,
                "status": task.status,
                "tool": tool,
                "injection_score": round(verdict.score, 3),
            },
            status_code=202,
        )

    def found(task_id: str) -> Task:
        task = runner.view(task_id)
        if task is None:
            raise _refuse(404, "task_not_found", f"no task {task_id!r}")
        return task

    @app.get("/tasks/summary")
    async def summary() -> dict[str, object]:
        """Counts, the last finished task and the last failures (no instruction, no
        caller): what the dashboard shows."""
        last = store.last_finished()
        return {
            "active": store.count_active(),
            "running": len(runner.live),
            "queued": runner.queue.qsize(),
            "counts": store.counts(),
            "recent": {
                "window_s": SUMMARY_WINDOW_S,
                "counts": store.finished_counts_since(time.time() - SUMMARY_WINDOW_S),
            },
            "last": None
            if last is None
            else {"task_id": last.id, "status": last.status, "finished_at": last.finished_at},
            "recent_failures": [
                {
                    "task_id": t.id,
                    "tool": t.tool,
                    "status": t.status,
                    "exit_code": t.exit_code,
                    "reason": t.reason,
                    "finished_at": t.finished_at,
                }
                for t in store.recent_failures(SUMMARY_FAILURES)
            ],
            "tools": {name: path is not None for name, path in runner.tool_paths.items()},
            "limits": runner.limits.mode,
        }

    @app.get("/tasks/{task_id}/status", dependencies=[Depends(rate_limit("get_task_status"))])
    async def status(task_id: str) -> dict[str, object]:
        return found(task_id).public()

    @app.post("/tasks/{task_id}/cancel", dependencies=[Depends(rate_limit("cancel_task"))])
    async def cancel(task_id: str) -> dict[str, object]:
        found(task_id)
        task = runner.cancel(task_id)
        assert task is not None
        return task.public()

    return app
