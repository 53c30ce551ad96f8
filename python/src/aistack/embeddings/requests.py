"""Reading an ``/v1/embeddings`` request body: every refusal is a 4xx with a reason.

Pure functions over bytes, so each rule is testable without a server.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

# Read at most this much of a body; a larger upload is refused before it is
# all in memory (a request within max_inputs x max_input_bytes stays far below).
MAX_BODY_BYTES = 32 * 1024 * 1024

EncodingFormat = Literal["float", "base64"]


class RequestRefused(Exception):
    """A request the service will not serve: HTTP status, OpenAI error type/code, message."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        *,
        param: str | None = None,
        error_type: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.error_type = error_type

    def body(self) -> dict[str, Any]:
        """OpenAI's error shape."""
        return {
            "error": {
                "message": self.message,
                "type": self.error_type,
                "param": self.param,
                "code": self.code,
            }
        }


@dataclass(frozen=True)
class EmbeddingRequest:
    """A checked request."""

    texts: list[str]
    encoding_format: EncodingFormat
    model: str | None


@dataclass(frozen=True)
class Limits:
    """What one request may carry."""

    max_inputs: int
    max_input_bytes: int
    dimensions: int


def _bad(message: str, code: str, param: str | None = None) -> RequestRefused:
    return RequestRefused(400, message, code, param=param)


def parse_body(raw: bytes) -> dict[str, Any]:
    """The JSON object in ``raw``; refuses invalid UTF-8, invalid JSON and non-objects."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(f"the body is not valid UTF-8 (byte {exc.start})", "invalid_utf8") from None
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(
            f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            "invalid_json",
        ) from None
    if not isinstance(body, dict):
        raise _bad("the body must be a JSON object", "invalid_json")
    return body


def _check_text(text: str, where: str, limits: Limits) -> str:
    if text == "":
        raise _bad(f"{where} is an empty string", "empty_input", "input")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        # JSON escapes can spell lone surrogates, which are not text.
        raise _bad(
            f"{where} contains a lone surrogate (not valid Unicode)", "invalid_utf8", "input"
        ) from None
    if size > limits.max_input_bytes:
        raise _bad(
            f"{where} is {size} bytes of UTF-8, more than the limit of {limits.max_input_bytes}",
            "input_too_long",
            "input",
        )
    return text


def check_request(body: dict[str, Any], limits: Limits) -> EmbeddingRequest:
    """The request's texts and options, or :class:`RequestRefused` naming the problem."""
    if "input" not in body:
        raise _bad("'input' is required (a string or a list of strings)", "missing_input", "input")
    raw_input = body["input"]
    if isinstance(raw_input, str):
        texts = [_check_text(raw_input, "'input'", limits)]
    elif isinstance(raw_input, list):
        if not raw_input:
            raise _bad("'input' is an empty list", "empty_input", "input")
        if len(raw_input) > limits.max_inputs:
            raise _bad(
                f"'input' has {len(raw_input)} items, more than the limit of {limits.max_inputs}",
                "too_many_inputs",
                "input",
            )
        texts = []
        for i, item in enumerate(raw_input):
            if not isinstance(item, str):
                kind = (
                    "token ids (not supported: send text)"
                    if isinstance(item, int | list)
                    else type(item).__name__
                )
                raise _bad(f"'input[{i}]' must be a string, got {kind}", "invalid_type", "input")
            texts.append(_check_text(item, f"'input[{i}]'", limits))
    else:
        raise _bad(
            f"'input' must be a string or a list of strings, got {_json_type(raw_input)}",
            "invalid_type",
            "input",
        )
    encoding = body.get("encoding_format", "float")
    if encoding is None:
        encoding = "float"
    if encoding not in ("float", "base64"):
        raise _bad(
            f"'encoding_format' must be 'float' or 'base64', got {encoding!r}",
            "invalid_encoding_format",
            "encoding_format",
        )
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise _bad(f"'model' must be a string, got {_json_type(model)}", "invalid_type", "model")
    dimensions = body.get("dimensions")
    if dimensions is not None and dimensions != limits.dimensions:
        raise _bad(
            f"'dimensions' must be {limits.dimensions} (this model's size) or absent, "
            f"got {dimensions!r}",
            "invalid_dimensions",
            "dimensions",
        )
    return EmbeddingRequest(texts, encoding, model)


def _json_type(value: Any) -> str:
    names = {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        type(None): "null",
    }
    return names.get(type(value), "a number")


def encode_vector(vector: np.ndarray, encoding: EncodingFormat) -> np.ndarray | str:
    """A vector as OpenAI sends it: float32 (serialised as a JSON list of the
    shortest round-tripping decimals), or base64 of little-endian float32."""
    if encoding == "base64":
        return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")
    return np.ascontiguousarray(vector, dtype=np.float32)
