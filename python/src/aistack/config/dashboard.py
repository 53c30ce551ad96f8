"""Config of the dashboard: what it probes, how often, where it reads internals."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from aistack.config.common import Endpoint, ServiceConfig, StrictModel, TcpEndpoint

CheckKind = Literal["http", "redis", "postgresql", "socket", "none"]


class ProbeTarget(StrictModel):
    """One unit of the plan and the real check that proves it answers."""

    # A short name for the page and the metric label ("coordinator", "redis").
    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    # The systemd unit, without ".service".
    unit: str = Field(min_length=1, pattern=r"^[A-Za-z0-9@._-]+$")
    check: CheckKind
    endpoint: Endpoint | None
    # HTTP only: the path answering 200 when the service is healthy.
    path: str | None = Field(default=None, pattern=r"^/")
    # PostgreSQL only: the database, role and a file holding the password
    # (a systemd credential path, never the password itself).
    database: str | None = None
    user: str | None = None
    password_file: str | None = Field(default=None, pattern=r"^/")

    @model_validator(mode="after")
    def _fields_match_check(self) -> ProbeTarget:
        if self.check != "none" and self.endpoint is None:
            raise ValueError(f"target {self.name!r}: check {self.check!r} needs an endpoint")
        if self.check == "http" and self.path is None:
            raise ValueError(f"target {self.name!r}: an http check needs a path")
        if self.check == "postgresql" and (self.database is None or self.user is None):
            raise ValueError(f"target {self.name!r}: a postgresql check needs database and user")
        return self


class DashboardConfig(ServiceConfig):
    """``/etc/aistack/dashboard.json``."""

    service: Literal["dashboard"]
    probe_interval_s: float = Field(ge=1, le=3600)
    probe_timeout_s: float = Field(gt=0, le=30)
    targets: list[ProbeTarget]
    # Prometheus' HTTP API when monitoring runs; null: read the services directly.
    prometheus: TcpEndpoint | None
    # The SQLite score history `aistack eval` appends to.
    eval_history: str = Field(pattern=r"^/")
    # The task runner, where the plan runs it: its /tasks/summary (queued,
    # running, recent counts, last failures). null: no task runner.
    tasks: Endpoint | None = None

    @model_validator(mode="after")
    def _unique_names(self) -> DashboardConfig:
        names = [t.name for t in self.targets]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"targets: duplicate names {', '.join(duplicates)}")
        return self
