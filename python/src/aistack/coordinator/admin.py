"""``POST /admin/reload-model {model, risk_ack}``: switch the local model (high-risk tool).

Guarded as the tool ``reload_model``: high risk by name, so it needs
``risk_ack`` (403 without) and has the high-risk rate limit; audited. The
switch itself is a request the llama.cpp supervisor carries out
(:mod:`aistack.coordinator.model_switch`); the answer is 202 with the request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from aistack.coordinator.access import Caller, Guarded, audit_call
from aistack.coordinator.errors import error_response
from aistack.coordinator.model_switch import ModelSwitchError, request_switch

RELOAD_TOOL = "reload_model"


class ReloadModelRequest(BaseModel):
    """The body of ``POST /admin/reload-model``."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(min_length=1, max_length=1024)
    risk_ack: str | None = None


def reload_model(request: Request, model: str) -> dict:
    """Validate and write the switch request (``ModelSwitchError`` when refused)."""
    settings = request.app.state.config.model_switch
    return request_switch(settings.request_file, settings.models_dir, model)


def create_admin_router() -> APIRouter:
    """The admin routes."""
    router = APIRouter()

    @router.post("/admin/reload-model", status_code=202)
    async def reload(
        body: ReloadModelRequest,
        request: Request,
        caller: Annotated[Caller, Depends(Guarded(RELOAD_TOOL))],
    ) -> Response:
        params = {"model": body.model}
        try:
            switch = reload_model(request, body.model)
        except ModelSwitchError as exc:
            await audit_call(request, caller, "rejected", params)
            return error_response(400, str(exc), code="invalid_model")
        await audit_call(request, caller, "ok", params)
        return JSONResponse({"status": "requested", **switch}, status_code=202)

    return router
