"""A task's record and the requests and answers of the task API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TaskStatus = Literal["queued", "running", "succeeded", "failed", "timed_out", "cancelled"]
FINAL_STATUSES: frozenset[str] = frozenset({"succeeded", "failed", "timed_out", "cancelled"})


class TaskRequest(BaseModel):
    """``POST /tasks``: what to run, where, and for how long at most."""

    model_config = ConfigDict(extra="forbid", strict=True)

    workspace: str = Field(min_length=1, max_length=4096)
    instruction: str = Field(min_length=1, max_length=32 * 1024)
    tool: str | None = Field(default=None, min_length=1, max_length=64)
    timeout_s: int | None = Field(default=None, ge=1, le=86400)
    # Accepted here so the guard can read it from the body; not stored.
    risk_ack: str | None = Field(default=None, max_length=128)


@dataclass
class Task:
    """One task as the store keeps it. ``instruction`` is the redacted text."""

    id: str
    workspace: str
    tool: str
    instruction: str
    timeout_s: int
    caller: str
    status: TaskStatus = "queued"
    exit_code: int | None = None
    reason: str | None = None
    created_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None
    output_tail: list[str] = field(default_factory=list)
    log_bytes: int = 0

    def public(self) -> dict[str, object]:
        """What ``GET /tasks/{id}/status`` answers (no caller identity)."""
        duration = None
        if self.started_at is not None:
            duration = round((self.finished_at or self.started_at) - self.started_at, 3)
        return {
            "task_id": self.id,
            "status": self.status,
            "tool": self.tool,
            "workspace": self.workspace,
            "exit_code": self.exit_code,
            "reason": self.reason,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "duration_s": duration,
            "output_tail": self.output_tail,
            "log_bytes": self.log_bytes,
        }
