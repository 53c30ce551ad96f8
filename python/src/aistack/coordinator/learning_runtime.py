"""The coordinator's learning parts for one app: threshold file, interactions, telemetry.

Built from the config before the app (``LearningRuntime.from_config``), started
and stopped by the app's lifespan (``start``/``close``: the state store is
async), and reached by the routers at ``app.state.learning``.

:meth:`LearningRuntime.record` is what the request path calls after an answer:
the interaction goes to the state store and a line to telemetry; a failure of
either is logged (``interaction_record_failed``) and never fails the answer.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import httpx

from aistack.common.events import log_event
from aistack.config.coordinator import CoordinatorConfig
from aistack.coordinator.interactions import (
    COMPONENT,
    MIGRATIONS,
    Feedback,
    Interaction,
    InteractionStore,
)
from aistack.coordinator.telemetry import TelemetryWriter
from aistack.coordinator.threshold import AbArm, ThresholdSource
from aistack.statestore import open_state_store

logger = logging.getLogger("aistack.coordinator.learning")


@dataclass
class LearningRuntime:
    """Threshold source, interaction store (after ``start``), telemetry writer."""

    config: CoordinatorConfig
    threshold: ThresholdSource
    telemetry: TelemetryWriter
    interactions: InteractionStore | None = None
    exits: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)
    # Entered at start-up, left at shutdown (the MCP session manager).
    contexts: list[Callable[[], AbstractAsyncContextManager[object]]] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: CoordinatorConfig) -> LearningRuntime:
        """Seed/read the threshold file and open the telemetry file (sync parts)."""
        learning = config.learning
        ab = learning.ab_test
        threshold = ThresholdSource(
            config.routing.threshold_file,
            config.routing.threshold,
            check_interval_s=learning.reload_interval_s,
            ab_test=None if ab is None else AbArm(ab.candidate_threshold, ab.fraction),
            logger=logging.getLogger("aistack.coordinator.threshold"),
        )
        telemetry_cfg = config.telemetry
        telemetry = TelemetryWriter(
            telemetry_cfg.dir,
            rotate_bytes=telemetry_cfg.rotate_bytes,
            keep_files=telemetry_cfg.keep_files,
            disk_pressure_pct=telemetry_cfg.disk_pressure_pct,
        )
        return cls(config=config, threshold=threshold, telemetry=telemetry)

    async def start(self) -> None:
        """Open the state store and bring the coordinator's tables up to date."""
        store = await open_state_store(self.config.state_store, {COMPONENT: MIGRATIONS})
        self.interactions = InteractionStore(store)
        for context in self.contexts:
            await self.exits.enter_async_context(context())

    async def close(self) -> None:
        """Close what ``start`` and the routers opened."""
        await self.exits.aclose()
        if self.interactions is not None:
            await self.interactions.store.close()
            self.interactions = None
        self.telemetry.close()

    def store(self) -> InteractionStore:
        """The interaction store; it exists from start-up on."""
        if self.interactions is None:
            raise RuntimeError("the interaction store is not open (app not started)")
        return self.interactions

    async def record(self, interaction: Interaction) -> bool:
        """Store ``interaction`` and write its telemetry line; False when storing failed."""
        self.telemetry.write(interaction.telemetry())
        try:
            await self.store().record(interaction)
        except Exception as exc:  # an answer is never lost to its bookkeeping
            log_event(
                logger,
                "interaction_record_failed",
                logging.ERROR,
                interaction_id=interaction.id,
                error=f"{type(exc).__name__}: {exc}",
            )
            return False
        return True


async def forward_feedback(
    knowledge: httpx.AsyncClient,
    store: InteractionStore,
    feedback: Feedback,
    interaction: Interaction,
) -> int | None:
    """Send a rating to the knowledge service's ``/feedback-links``; the linked count or None.

    An interaction that used no chunks has nothing to link and counts as done.
    A knowledge service that is down leaves the rating unforwarded (logged);
    ``aistack learn`` sends it again later.
    """
    if not interaction.chunk_ids:
        await store.mark_forwarded(feedback.id)
        return 0
    body: dict[str, Any] = {
        "interaction_id": interaction.id,
        "chunk_ids": list(interaction.chunk_ids),
        "rating": feedback.rating,
    }
    try:
        response = await knowledge.post("/feedback-links", json=body)
        response.raise_for_status()
        linked = int(response.json().get("linked", 0))
    except (httpx.HTTPError, ValueError, TypeError) as exc:
        log_event(
            logger,
            "feedback_forward_failed",
            logging.WARNING,
            interaction_id=interaction.id,
            error=f"{type(exc).__name__}: {exc}",
        )
        return None
    await store.mark_forwarded(feedback.id)
    return linked
