"""Errors in OpenAI's shape: ``{"error": {"message", "type", "code"}}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import JSONResponse


class ApiError(Exception):
    """A refusal with a status, a stable code and a message saying why."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def _type_for(status: int) -> str:
    if status == 429:
        return "rate_limit_error"
    if status in (401, 403):
        return "authentication_error"
    if status >= 500:
        return "server_error"
    return "invalid_request_error"


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """The JSON body of an error."""
    return {"error": {"message": message, "type": _type_for(status), "code": code}}


def install_error_handlers(app: FastAPI) -> None:
    """Map our refusals, the guard's HTTPExceptions and validation errors to the shape."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.status, exc.code, exc.message), exc.status, headers=exc.headers
        )

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail
        if isinstance(detail, dict):
            code = str(detail.get("reason", "error"))
            extra = {k: v for k, v in detail.items() if k != "reason"}
            message = code.replace("_", " ") + (f" {extra}" if extra else "")
        else:
            code, message = "error", str(detail)
        return JSONResponse(
            error_body(exc.status_code, code, message), exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return JSONResponse(
            error_body(400, "invalid_request", f"{where}: {first.get('msg')}".strip(": ")), 400
        )
