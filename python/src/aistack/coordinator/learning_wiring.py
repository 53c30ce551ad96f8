"""Plug the learning parts into a coordinator app (one call from the app factory)."""

from __future__ import annotations

from fastapi import FastAPI

from aistack.coordinator.admin import create_admin_router
from aistack.coordinator.compression_metrics import CompressionMetrics
from aistack.coordinator.feedback import create_feedback_router
from aistack.coordinator.learning_runtime import LearningRuntime
from aistack.coordinator.mcp_mount import DeferredMcp


def attach_learning(app: FastAPI, learning: LearningRuntime) -> None:
    """Routing reads the threshold file; feedback, admin and MCP (``/mcp/``) routes are added."""
    app.state.learning = learning
    # The routing state asks for the threshold per decision; the source answers
    # from memory and looks at the file at most once per reload interval.
    app.state.coordinator.threshold = learning.threshold.threshold
    app.state.compression_metrics = CompressionMetrics(app.state.metrics_registry)
    app.include_router(create_feedback_router())
    app.include_router(create_admin_router())
    mcp = DeferredMcp(app)
    app.mount("/mcp", mcp)
    learning.contexts.append(mcp.running)
