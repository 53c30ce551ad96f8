"""Errors in OpenAI's shape: ``{"error": {"message", "type", "code"}}`` with a 4xx/5xx.

The coordinator's clients are OpenAI SDKs; they read this shape (and
``Retry-After``) whatever the route. Validation errors become 400 naming the
field; the guards' refusals keep their reason as ``code``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "permission_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


def error_body(message: str, err_type: str, code: str | None) -> dict[str, Any]:
    """The JSON body of an error."""
    return {"error": {"message": message, "type": err_type, "code": code}}


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    err_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """An error response in OpenAI's shape."""
    err_type = err_type or TYPE_BY_STATUS.get(status, "server_error")
    return JSONResponse(error_body(message, err_type, code), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    """Every error of ``app`` in OpenAI's shape."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, _validation_message(exc), code="invalid_request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        code: str | None = None
        message = str(detail)
        if isinstance(detail, dict):
            code = str(detail.get("reason")) if detail.get("reason") else None
            message = str(detail.get("message") or code or "request refused")
            if detail.get("retry_after") is not None:
                message += f"; retry after {detail['retry_after']}s"
        return error_response(exc.status_code, message, code=code, headers=exc.headers)
