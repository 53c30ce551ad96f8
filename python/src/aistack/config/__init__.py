"""The JSON contract between the Nix plan and the services.

One pydantic model per service config. The Nix lib (lib/service-configs.nix)
writes these files; each service validates its file with the model here at
start-up and refuses to start (exit 78, EX_CONFIG) naming the bad field. The
JSON Schemas in python/schemas/ are exported from these models.
"""

from aistack.config.audit import AuditConfig
from aistack.config.common import (
    SCHEMA_VERSION,
    Endpoint,
    ServiceConfig,
    TcpEndpoint,
    UnixEndpoint,
)
from aistack.config.coordinator import CoordinatorConfig
from aistack.config.embeddings import EmbeddingsConfig
from aistack.config.knowledge import KnowledgeConfig
from aistack.config.loader import EX_CONFIG, ConfigError, load_config, load_config_or_exit
from aistack.config.registry import SERVICE_MODELS, model_for_service

__all__ = [
    "EX_CONFIG",
    "SCHEMA_VERSION",
    "SERVICE_MODELS",
    "AuditConfig",
    "ConfigError",
    "CoordinatorConfig",
    "EmbeddingsConfig",
    "Endpoint",
    "KnowledgeConfig",
    "ServiceConfig",
    "TcpEndpoint",
    "UnixEndpoint",
    "load_config",
    "load_config_or_exit",
    "model_for_service",
]
