"""Config of the task runner: long coding-agent runs, each in a bubblewrap sandbox."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from aistack.config.common import Endpoint, ServiceConfig, StrictModel, UnixEndpoint
from aistack.config.guard import GuardSettings

# Placeholders a tool's command may contain; each is replaced inside one
# argument, never through a shell.
TOOL_PLACEHOLDERS = ("{instruction}", "{workspace}", "{model}", "{api_base}")


class ToolSpec(StrictModel):
    """A coding agent the runner may start: its argv template and its model alias."""

    # argv[0] is an absolute path or a name looked up on PATH when the service starts.
    command: list[str] = Field(min_length=1)
    # The model name the agent asks the coordinator for (a coordinator alias, or "auto").
    model: str = Field(min_length=1, max_length=128)
    environment: dict[str, str] = Field(default_factory=dict)

    @field_validator("command")
    @classmethod
    def _argv(cls, argv: list[str]) -> list[str]:
        if not argv[0] or "\x00" in "".join(argv):
            raise ValueError("command[0] must name a program and no argument may contain NUL")
        return argv


class SandboxSettings(StrictModel):
    """How every task is confined (bubblewrap) and what it may use."""

    bwrap: str = Field(min_length=1)
    # Read-only paths the agent needs besides /usr and the Nix store (its interpreter).
    extra_ro_binds: list[str] = Field(default_factory=list)
    # Per-task caps, applied through a cgroup when one is writable, else rlimits.
    memory_max_bytes: int = Field(ge=16 * 1024 * 1024)
    pids_max: int = Field(ge=8, le=65536)
    # Loopback port inside the sandbox where the coordinator appears.
    coordinator_port: int = Field(ge=1, le=65535)

    @field_validator("extra_ro_binds")
    @classmethod
    def _absolute(cls, paths: list[str]) -> list[str]:
        for p in paths:
            if not p.startswith("/") or ".." in p.split("/"):
                raise ValueError(f"{p!r} must be an absolute path without '..'")
        return paths


class TasksUpstreams(StrictModel):
    """The coordinator the agents talk to, Redis for rate limits, the audit writer."""

    coordinator: Endpoint
    redis: Endpoint
    audit: UnixEndpoint


class TasksConfig(ServiceConfig):
    """``/etc/aistack/tasks.json``."""

    service: Literal["tasks"]
    workspace_roots: list[str] = Field(min_length=1)
    concurrency: int = Field(ge=1, le=16)
    default_timeout_s: int = Field(ge=1, le=86400)
    max_timeout_s: int = Field(ge=1, le=86400)
    max_queued: int = Field(ge=1, le=10000)
    log_max_bytes: int = Field(ge=4096, le=256 * 1024 * 1024)
    tail_lines: int = Field(ge=1, le=1000)
    tools: dict[str, ToolSpec]
    default_tool: str | None
    # A systemd credential path: the key the agents present to the coordinator.
    coordinator_api_key_file: str | None = Field(pattern=r"^/")
    sandbox: SandboxSettings
    upstreams: TasksUpstreams
    guard: GuardSettings

    @field_validator("workspace_roots")
    @classmethod
    def _roots(cls, roots: list[str]) -> list[str]:
        for root in roots:
            if not root.startswith("/") or ".." in root.split("/") or root.rstrip("/") == "":
                raise ValueError(
                    f"{root!r} must be an absolute directory other than / without '..'"
                )
        return roots

    @model_validator(mode="after")
    def _consistent(self) -> TasksConfig:
        if self.default_timeout_s > self.max_timeout_s:
            raise ValueError("default_timeout_s must not exceed max_timeout_s")
        if self.default_tool is not None and self.default_tool not in self.tools:
            raise ValueError(f"default_tool {self.default_tool!r} is not one of tools")
        return self
