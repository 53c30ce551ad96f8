"""Fit retrieved chunks and the chat history into a backend's token budget.

:func:`compress` is pure: the caller passes a token counter (the backend's own
tokenizer where it has one, see :mod:`aistack.coordinator.tokens`, else
:func:`estimate_tokens`) and logs the result with :func:`log_compression`.

What it does, in order:

1. drops near-duplicate chunks (word 3-gram Jaccard or containment above a
   threshold), keeping the higher-scored copy;
2. orders the chunks by score, best first;
3. splits the history: system messages and the newest message are always
   kept, older turns are dropped oldest first when the history would take
   more than its share of the budget;
4. if the chunks still do not fit, trims them to whole sentences: every
   sentence gets a value (its chunk's score, its overlap with the query when
   one is given, a small bonus for a chunk's first sentence, which usually
   names the topic) and sentences are kept best-value-first while they fit;
   each chunk is reassembled from its kept sentences in their original order;
5. a chunk none of whose sentences made it is dropped (the weakest go first,
   since their sentences carry the lowest value).

The query is optional (keyword ``query=``): without one, trimming keeps the
leading sentences of the best chunks.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from aistack.common.events import log_event

TokenCounter = Callable[[str], int]

# Near-duplicate thresholds on word 3-gram sets: Jaccard catches reworded
# copies of the same passage, containment catches a chunk repeated inside a
# longer one (overlapping chunk windows do that).
NEAR_DUPLICATE_JACCARD = 0.8
NEAR_DUPLICATE_CONTAINMENT = 0.9

# The history's share of the budget when chunks need the rest.
HISTORY_SHARE = 0.5

# Tokens per message for the chat template's role markers (ChatML adds ~4).
MESSAGE_OVERHEAD_TOKENS = 4

# Tokens between two kept sentences or chunks (a space or a separator line).
JOIN_OVERHEAD_TOKENS = 1

# Sentence value = chunk weight + query overlap + lead bonus; the weights are
# set on the dev split of the evaluation set (bench/compression.py).
CHUNK_WEIGHT = 1.0
QUERY_WEIGHT = 2.0
LEAD_BONUS = 0.15
# A chunk's score rank matters as well as its score: retrieval scores of
# different queries are on different scales, ranks are not.
RANK_DECAY = 0.15


@dataclass(frozen=True)
class Chunk:
    """A retrieved passage, as the knowledge service's ``/search`` returns it."""

    chunk_id: str
    text: str
    score: float
    source: str = ""
    heading_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Message:
    """One chat message; ``content`` is the text the model reads."""

    role: str
    content: str


@dataclass(frozen=True)
class CompressionResult:
    """What :func:`compress` kept, the token counts before and after, what it dropped.

    ``dropped`` names each dropped chunk id with why: ``near_duplicate`` or
    ``over_budget``; ``trimmed`` lists chunk ids that lost sentences;
    ``history_dropped`` counts dropped history messages.
    """

    chunks: list[Chunk]
    history: list[Message]
    tokens_before: int
    tokens_after: int
    dropped: list[tuple[str, str]] = field(default_factory=list)
    trimmed: list[str] = field(default_factory=list)
    history_dropped: int = 0

    @property
    def changed(self) -> bool:
        """True when anything was dropped or trimmed."""
        return bool(self.dropped or self.trimmed or self.history_dropped)


# --- text units ---------------------------------------------------------------

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_PIECE_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets)
# followed by whitespace; or at a blank line; or before a list item or heading
# on a new line.
_SENTENCE_END_RE = re.compile(
    r"(?<=[.!?])[\"')\]]*\s+(?=\S)|\n\s*\n+|\n(?=\s*(?:[-*•]|\d+[.)]|#{1,6})\s)"
)
# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "vs", "cf", "dr", "mr", "mrs", "ms", "no", "fig", "approx", "resp", "st"}
)
# A unit longer than this many words (code, tables) is split into windows so
# trimming still has something to choose from.
_MAX_UNIT_WORDS = 60

_STOPWORDS = frozenset(
    str.split(
        "a an and are as at be by can do does for from has have how i if in is it its "
        "of on or that the this to was what when where which who why will with you your "
        "not no use used using into than then there these those also may should would"
    )
)


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into whole sentences (long unpunctuated runs into word windows)."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        head = text[start : match.start()]
        head_words = head.rstrip("\"')]").split()
        last_word = head_words[-1].lower() if head_words else ""
        if last_word.rstrip(".") in _ABBREVIATIONS and "\n" not in match.group(0):
            continue
        if head.strip():
            parts.append(head.strip())
        start = match.end()
    tail = text[start:]
    if tail.strip():
        parts.append(tail.strip())
    units: list[str] = []
    for part in parts:
        words = part.split()
        if len(words) <= _MAX_UNIT_WORDS:
            units.append(part)
            continue
        for i in range(0, len(words), _MAX_UNIT_WORDS):
            units.append(" ".join(words[i : i + _MAX_UNIT_WORDS]))
    return units


def _terms(text: str) -> list[str]:
    return [w for w in (m.group(0).lower() for m in _WORD_RE.finditer(text)) if w not in _STOPWORDS]


def _shingles(text: str, n: int = 3) -> frozenset[tuple[str, ...]]:
    words = [m.group(0).lower() for m in _WORD_RE.finditer(text)]
    if len(words) < n:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def is_near_duplicate(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` share almost all word 3-grams, or one holds the other."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return a.strip() == b.strip()
    inter = len(sa & sb)
    if inter / len(sa | sb) >= NEAR_DUPLICATE_JACCARD:
        return True
    return inter / min(len(sa), len(sb)) >= NEAR_DUPLICATE_CONTAINMENT


# --- token estimate -------------------------------------------------------------

# Calibrated on man pages and Python's docs against a BPE tokenizer
# (bench/token_estimate.py prints the fit): a word costs about one token plus
# one per further 6 characters, punctuation one each; the margin keeps the
# estimate on the safe side of the budget.
_EST_CHARS_PER_EXTRA_TOKEN = 6
_EST_MARGIN = 1.1


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate of ``text``'s token count (slightly high, never 0 for text)."""
    total = 0
    for match in _PIECE_RE.finditer(text):
        piece = match.group(0)
        if piece[0].isalnum() or piece[0] == "_":
            total += 1 + (len(piece) - 1) // _EST_CHARS_PER_EXTRA_TOKEN
            if not piece.isascii():
                total += len(piece) // 2
        else:
            total += 1
    return math.ceil(total * _EST_MARGIN) if total else 0


# --- the compression ------------------------------------------------------------


def _dedupe(chunks: Sequence[Chunk]) -> tuple[list[Chunk], list[tuple[str, str]]]:
    kept: list[Chunk] = []
    dropped: list[tuple[str, str]] = []
    for chunk in sorted(chunks, key=lambda c: -c.score):
        if any(is_near_duplicate(chunk.text, k.text) for k in kept):
            dropped.append((chunk.chunk_id, "near_duplicate"))
        else:
            kept.append(chunk)
    return kept, dropped


def _message_tokens(message: Message, count: TokenCounter) -> int:
    return count(message.content) + MESSAGE_OVERHEAD_TOKENS


def _chunks_tokens(chunks: Sequence[Chunk], count: TokenCounter) -> int:
    return sum(count(c.text) for c in chunks) + JOIN_OVERHEAD_TOKENS * max(0, len(chunks) - 1)


def _fit_history(
    history: Sequence[Message], cap: int, count: TokenCounter
) -> tuple[list[Message], int, int]:
    """Keep system messages and the newest message, then newer turns first while under ``cap``."""
    if not history:
        return [], 0, 0
    costs = [_message_tokens(m, count) for m in history]
    keep = [m.role == "system" for m in history]
    keep[-1] = True
    used = sum(c for c, k in zip(costs, keep, strict=True) if k)
    for i in range(len(history) - 2, -1, -1):
        if not keep[i] and used + costs[i] <= cap:
            keep[i] = True
            used += costs[i]
        elif not keep[i]:
            break  # a gap in the middle of a conversation reads worse than a shorter tail
    kept = [m for m, k in zip(history, keep, strict=True) if k]
    return kept, used, len(history) - len(kept)


def _idf(sentences: Sequence[Sequence[str]]) -> dict[str, float]:
    n = len(sentences)
    df: dict[str, int] = {}
    for terms in sentences:
        for t in set(terms):
            df[t] = df.get(t, 0) + 1
    return {t: math.log(1 + n / d) for t, d in df.items()}


def _trim(
    chunks: Sequence[Chunk], cap: int, count: TokenCounter, query: str | None
) -> tuple[list[Chunk], list[str], list[tuple[str, str]]]:
    """Keep the most valuable whole sentences that fit in ``cap`` tokens."""
    split = [split_sentences(c.text) for c in chunks]
    sentence_terms = [[_terms(s) for s in sents] for sents in split]
    flat_terms = [t for per_chunk in sentence_terms for t in per_chunk]
    idf = _idf(flat_terms)
    query_terms = set(_terms(query)) if query else set()
    query_mass = sum(idf.get(t, math.log(1 + len(flat_terms))) for t in query_terms) or 1.0
    top = max((c.score for c in chunks), default=1.0) or 1.0

    candidates: list[tuple[float, int, int, int]] = []  # (-value, chunk, sentence, tokens)
    for ci, (chunk, sents) in enumerate(zip(chunks, split, strict=True)):
        weight = CHUNK_WEIGHT * (max(chunk.score, 0.0) / top) * (1 - RANK_DECAY) ** ci
        for si, sentence in enumerate(sents):
            overlap = sum(idf[t] for t in set(sentence_terms[ci][si]) & query_terms) / query_mass
            value = weight + QUERY_WEIGHT * overlap + (LEAD_BONUS if si == 0 else 0.0)
            candidates.append((-value, ci, si, count(sentence)))
    candidates.sort()

    chosen: dict[int, set[int]] = {}
    used = 0
    for _neg, ci, si, tokens in candidates:
        # Every unit after the first is joined by a space or a separator.
        cost = tokens + (JOIN_OVERHEAD_TOKENS if chosen else 0)
        if used + cost <= cap:
            chosen.setdefault(ci, set()).add(si)
            used += cost

    kept: list[Chunk] = []
    trimmed: list[str] = []
    dropped: list[tuple[str, str]] = []
    for ci, chunk in enumerate(chunks):
        picked = chosen.get(ci)
        if not picked:
            dropped.append((chunk.chunk_id, "over_budget"))
            continue
        if len(picked) == len(split[ci]):
            kept.append(chunk)
            continue
        text = " ".join(split[ci][si] for si in sorted(picked))
        kept.append(replace(chunk, text=text))
        trimmed.append(chunk.chunk_id)
    return kept, trimmed, dropped


def compress(
    chunks: Sequence[Chunk],
    history: Sequence[Message],
    budget_tokens: int,
    count_tokens: TokenCounter,
    *,
    query: str | None = None,
    history_share: float = HISTORY_SHARE,
) -> CompressionResult:
    """Fit ``chunks`` and ``history`` into ``budget_tokens`` (see the module docstring).

    Chunks come back deduplicated and ordered by score. When even the kept
    history alone exceeds the budget, no chunk is kept and ``tokens_after``
    is over the budget: the caller decides (route elsewhere or refuse).
    """
    if budget_tokens < 0:
        raise ValueError("budget_tokens must be >= 0")
    chunks = list(chunks)
    history = list(history)
    tokens_before = _chunks_tokens(chunks, count_tokens) + sum(
        _message_tokens(m, count_tokens) for m in history
    )

    unique, dropped = _dedupe(chunks)
    chunk_need = _chunks_tokens(unique, count_tokens)
    history_cap = max(int(budget_tokens * history_share), budget_tokens - chunk_need)
    kept_history, history_used, history_dropped = _fit_history(history, history_cap, count_tokens)
    chunk_cap = max(0, budget_tokens - history_used)

    trimmed: list[str] = []
    if chunk_need <= chunk_cap:
        kept = unique
    else:
        kept, trimmed, over = _trim(unique, chunk_cap, count_tokens, query)
        dropped.extend(over)
    tokens_after = _chunks_tokens(kept, count_tokens) + history_used
    return CompressionResult(
        chunks=kept,
        history=kept_history,
        tokens_before=tokens_before,
        tokens_after=tokens_after,
        dropped=dropped,
        trimmed=trimmed,
        history_dropped=history_dropped,
    )


def chunk_from_search(result: Mapping[str, Any]) -> Chunk:
    """A :class:`Chunk` from one result of the knowledge service's ``/search``."""
    return Chunk(
        chunk_id=str(result["chunk_id"]),
        text=str(result.get("text", "")),
        score=float(result.get("score", result.get("fused_score", 0.0)) or 0.0),
        source=str(result.get("source", "")),
        heading_path=tuple(str(h) for h in result.get("heading_path") or ()),
    )


# --- the edges: log line, histograms, the request flag ---------------------------

COMPRESS_HEADER = "x-aistack-compress"
_OFF_VALUES = frozenset({"0", "false", "off", "no"})


def compression_requested(body_flag: bool | None, headers: Mapping[str, str]) -> bool:
    """Whether to compress: the body's ``compress`` flag wins, then ``X-Aistack-Compress``."""
    if body_flag is not None:
        return bool(body_flag)
    value = headers.get(COMPRESS_HEADER)
    return value is None or value.strip().lower() not in _OFF_VALUES


def log_compression(
    logger: logging.Logger,
    result: CompressionResult,
    *,
    budget_tokens: int,
    backend: str,
    metrics: Any = None,
) -> None:
    """Log ``context_compressed``; observe the histograms when ``metrics`` is given.

    ``metrics`` is a :class:`aistack.coordinator.compression_metrics.CompressionMetrics`.
    """
    log_event(
        logger,
        "context_compressed",
        backend=backend,
        budget_tokens=budget_tokens,
        tokens_before=result.tokens_before,
        tokens_after=result.tokens_after,
        chunks_kept=len(result.chunks),
        chunks_dropped=len(result.dropped),
        chunks_trimmed=len(result.trimmed),
        history_dropped=result.history_dropped,
    )
    if metrics is not None:
        metrics.observe(backend, result.tokens_before, result.tokens_after)
