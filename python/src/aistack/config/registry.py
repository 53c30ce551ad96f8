"""Which model validates which service's config."""

from __future__ import annotations

from aistack.config.audit import AuditConfig
from aistack.config.common import ServiceConfig
from aistack.config.coordinator import CoordinatorConfig
from aistack.config.dashboard import DashboardConfig
from aistack.config.embeddings import EmbeddingsConfig
from aistack.config.knowledge import KnowledgeConfig
from aistack.config.tasks import TasksConfig

SERVICE_MODELS: dict[str, type[ServiceConfig]] = {
    "audit": AuditConfig,
    "coordinator": CoordinatorConfig,
    "dashboard": DashboardConfig,
    "embeddings": EmbeddingsConfig,
    "knowledge": KnowledgeConfig,
    "tasks": TasksConfig,
}


def model_for_service(service: str) -> type[ServiceConfig]:
    """The config model of ``service``; ``KeyError`` names the known services."""
    try:
        return SERVICE_MODELS[service]
    except KeyError:
        known = ", ".join(sorted(SERVICE_MODELS))
        raise KeyError(f"unknown service {service!r}; known services: {known}") from None
