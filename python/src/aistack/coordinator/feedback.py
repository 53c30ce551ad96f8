"""``POST /feedback {interaction_id, rating: 1 | -1, note?}``.

Stored (the note redacted) against the interaction, then forwarded to the
knowledge service's ``/feedback-links`` with the chunk ids the interaction
used, so the chunks that helped (or misled) are ranked accordingly. The
answer says whether the forwarding happened; a rating is never lost because
the knowledge service is down.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from aistack.common.events import log_event
from aistack.coordinator.access import Caller, Guarded, audit_call
from aistack.coordinator.errors import error_response
from aistack.coordinator.interactions import UnknownInteraction
from aistack.coordinator.learning_runtime import LearningRuntime, forward_feedback

# The tool name the guards rate-limit and audit feedback under (medium tier).
FEEDBACK_TOOL = "rate_interaction"


class FeedbackRequest(BaseModel):
    """The body of ``POST /feedback``."""

    model_config = ConfigDict(extra="forbid")

    interaction_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    rating: Literal[1, -1]
    note: str | None = Field(default=None, max_length=2000)


async def submit_feedback(
    request: Request, interaction_id: str, rating: int, note: str | None
) -> tuple[int, dict]:
    """Store and forward one rating; ``(status, body)`` (404 for an unknown interaction)."""
    learning: LearningRuntime = request.app.state.learning
    store = learning.store()
    try:
        feedback = await store.add_feedback(interaction_id, rating, note)
    except UnknownInteraction:
        return 404, {"message": f"no interaction {interaction_id}", "code": "unknown_interaction"}
    interaction = await store.get(interaction_id)
    assert interaction is not None
    linked = await forward_feedback(
        request.app.state.coordinator.knowledge, store, feedback, interaction
    )
    log_event(
        request.app.state.logger,
        "feedback_recorded",
        interaction_id=interaction_id,
        rating=rating,
        backend=interaction.backend,
        arm=interaction.arm,
        forwarded=linked is not None,
    )
    learning.telemetry.write(
        {"event": "feedback", "ts": feedback.ts, "interaction_id": interaction_id, "rating": rating}
    )
    return 200, {
        "feedback_id": feedback.id,
        "interaction_id": interaction_id,
        "rating": rating,
        "forwarded": linked is not None,
        "linked": linked,
    }


def create_feedback_router() -> APIRouter:
    """The ``POST /feedback`` route."""
    router = APIRouter()

    @router.post("/feedback")
    async def feedback(
        body: FeedbackRequest,
        request: Request,
        caller: Annotated[Caller, Depends(Guarded(FEEDBACK_TOOL))],
    ) -> Response:
        status, doc = await submit_feedback(request, body.interaction_id, body.rating, body.note)
        params = {"interaction_id": body.interaction_id, "rating": body.rating}
        if status != 200:
            await audit_call(request, caller, "rejected", params)
            return error_response(status, doc["message"], code=doc["code"])
        await audit_call(request, caller, "ok", params)
        return JSONResponse(doc)

    return router
