"""Request bodies of the knowledge API, validated into the core's types (pure).

Bodies are parsed here rather than by FastAPI so each refusal carries the
contract's code (``document_too_large``, ``batch_too_large``, ...) and names
the document and field at fault.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aistack.config.knowledge import KnowledgeConfig
from aistack.knowledge.errors import ApiError
from aistack.knowledge.prepare import DocumentIn
from aistack.knowledge.search import SearchRequest

TRUST_LEVELS = ("trusted", "imported", "generated")
FORMATS = ("markdown", "text", "roff", "html", "code")
COLLECTION_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_SOURCE_CHARS = 2048
MAX_TITLE_CHARS = 512
MAX_ID_CHARS = 200


def bad(code: str, message: str) -> ApiError:
    """A 400 refusal."""
    return ApiError(400, code, message)


def parse_json(raw: bytes) -> Any:
    """The body as JSON; invalid UTF-8 or JSON is a 400 naming the problem."""
    if not raw.strip():
        raise bad("empty_body", "the request body is empty; send a JSON object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad("invalid_utf8", f"the body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad("invalid_json", f"the body is not valid JSON: {exc.msg} at {exc.pos}") from None


def _str_field(obj: dict, key: str, where: str, *, required: bool, max_chars: int) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise bad("missing_field", f"{where}.{key} is required")
        return None
    if not isinstance(value, str):
        raise bad("invalid_type", f"{where}.{key} must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise bad("empty_field", f"{where}.{key} must not be empty")
    if len(value) > max_chars:
        raise bad("field_too_long", f"{where}.{key} is longer than {max_chars} characters")
    return value


def parse_documents(body: Any, config: KnowledgeConfig) -> list[DocumentIn]:
    """``{documents: [...]}`` or one document object, each checked; all or nothing."""
    if isinstance(body, dict) and "documents" in body:
        extra = set(body) - {"documents"}
        if extra:
            raise bad("unknown_field", f"unknown top-level fields: {sorted(extra)}")
        items = body["documents"]
        if not isinstance(items, list):
            raise bad("invalid_type", "documents must be a list")
    elif isinstance(body, dict):
        items = [body]
    else:
        raise bad("invalid_type", "the body must be a JSON object")
    limits = config.limits
    if not items:
        raise bad("empty_batch", "documents is empty")
    if len(items) > limits.max_batch_documents:
        raise bad(
            "batch_too_large",
            f"{len(items)} documents in one request; at most {limits.max_batch_documents}",
        )
    docs = []
    for i, item in enumerate(items):
        where = f"documents[{i}]"
        if not isinstance(item, dict):
            raise bad("invalid_type", f"{where} must be an object")
        unknown = set(item) - {"text", "source", "title", "collection", "trust", "format"}
        if unknown:
            raise bad("unknown_field", f"{where} has unknown fields {sorted(unknown)}")
        text = item.get("text")
        if not isinstance(text, str):
            what = "missing" if text is None else f"a {type(text).__name__}"
            raise bad("invalid_type", f"{where}.text must be a string (it is {what})")
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limits.max_document_bytes:
            raise bad(
                "document_too_large",
                f"{where}.text is {size} bytes; at most {limits.max_document_bytes}",
            )
        if not text.strip():
            raise bad("empty_document", f"{where}.text is empty")
        source = _str_field(item, "source", where, required=True, max_chars=MAX_SOURCE_CHARS)
        title = _str_field(item, "title", where, required=False, max_chars=MAX_TITLE_CHARS)
        collection = (
            _str_field(item, "collection", where, required=False, max_chars=64) or config.collection
        )
        if not COLLECTION_RE.match(collection):
            raise bad(
                "invalid_collection", f"{where}.collection must match {COLLECTION_RE.pattern}"
            )
        trust = _str_field(item, "trust", where, required=False, max_chars=16) or "trusted"
        if trust not in TRUST_LEVELS:
            raise bad("invalid_trust", f"{where}.trust must be one of {', '.join(TRUST_LEVELS)}")
        fmt = _str_field(item, "format", where, required=False, max_chars=16)
        if fmt is not None and fmt not in FORMATS:
            raise bad("invalid_format", f"{where}.format must be one of {', '.join(FORMATS)}")
        docs.append(DocumentIn(text, str(source), collection, trust, title, fmt))  # type: ignore[arg-type]
    return docs


def _bool(body: dict, key: str, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise bad("invalid_type", f"{key} must be true or false")
    return value


def parse_search(body: Any, config: KnowledgeConfig) -> SearchRequest:
    """A ``POST /search`` body."""
    if not isinstance(body, dict):
        raise bad("invalid_type", "the body must be a JSON object")
    unknown = set(body) - {
        "query",
        "collection",
        "limit",
        "include_generated",
        "include_quarantined",
        "expand",
    }
    if unknown:
        raise bad("unknown_field", f"unknown fields {sorted(unknown)}")
    query = body.get("query")
    if not isinstance(query, str):
        raise bad("invalid_type", "query must be a string")
    if not query.strip():
        raise bad("empty_query", "query is empty")
    if len(query) > config.limits.max_query_chars:
        raise bad(
            "query_too_long", f"query is longer than {config.limits.max_query_chars} characters"
        )
    collection = body.get("collection") or config.collection
    if not isinstance(collection, str) or not COLLECTION_RE.match(collection):
        raise bad("invalid_collection", f"collection must match {COLLECTION_RE.pattern}")
    limit = body.get("limit", config.search.default_limit)
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise bad("invalid_type", "limit must be an integer")
    if not 1 <= limit <= config.search.max_limit:
        raise bad("invalid_limit", f"limit must be between 1 and {config.search.max_limit}")
    return SearchRequest(
        query=query,
        collection=collection,
        limit=limit,
        include_generated=_bool(body, "include_generated", False),
        include_quarantined=_bool(body, "include_quarantined", False),
        expand=_bool(body, "expand", True),
    )


def parse_feedback(body: Any) -> tuple[str, list[str], int]:
    """A ``POST /feedback-links`` body: interaction id, chunk ids, rating."""
    if not isinstance(body, dict):
        raise bad("invalid_type", "the body must be a JSON object")
    interaction = body.get("interaction_id")
    if (
        not isinstance(interaction, str)
        or not interaction.strip()
        or len(interaction) > MAX_ID_CHARS
    ):
        raise bad("invalid_type", f"interaction_id must be a non-empty string (<= {MAX_ID_CHARS})")
    chunk_ids = body.get("chunk_ids")
    if (
        not isinstance(chunk_ids, list)
        or not chunk_ids
        or len(chunk_ids) > 200
        or not all(isinstance(c, str) and 0 < len(c) <= MAX_ID_CHARS for c in chunk_ids)
    ):
        raise bad("invalid_type", "chunk_ids must be a list of 1 to 200 strings")
    rating = body.get("rating")
    if isinstance(rating, bool) or rating not in (1, -1):
        raise bad("invalid_rating", "rating must be 1 or -1")
    return interaction, chunk_ids, int(rating)
