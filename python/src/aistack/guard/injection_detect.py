"""Prompt-injection verdict: the learned model, fed by the rule scanner.

:func:`detect` is the layered detector. The rule scanner
(:func:`aistack.guard.injection.scan`) normalises obfuscation (zero-width and
tag characters, homoglyphs, leetspeak, spaced letters, base64 payloads) and
reports hard signals (chat-template markers, exfiltration URLs); its score is
one input of the learned model (:mod:`aistack.guard.injection_linear`), whose
probability is the verdict. The model was trained on third-party corpora and
evaluated on sources it never saw (``bench/guard_injection.py``).

Same return shape as :func:`~aistack.guard.injection.scan`: a
:class:`~aistack.guard.injection.ScanResult` whose ``reasons`` are the rule
reasons plus ``"learned:linear"`` when the model's probability passes its
threshold.
"""

from __future__ import annotations

import math

from aistack.guard.injection import ScanResult, _views, scan
from aistack.guard.injection_linear import LinearModel, default_model, tokenize
from aistack.guard.sanitize import sanitize

__all__ = ["detect", "normalised_words"]


def normalised_words(text: str) -> list[str]:
    """Words of the rule scanner's folded view of ``text`` (the model's input)."""
    return tokenize(_views(sanitize(text).text).folded)


def detect(text: str, *, model: LinearModel | None = None) -> ScanResult:
    """Score ``text`` with the learned model; ``flagged`` at the model's threshold.

    ``score`` is the model's probability (the largest over word windows).
    Any ``str`` is accepted; anything else raises ``TypeError``.
    """
    if not isinstance(text, str):
        raise TypeError(f"detect() expects str, got {type(text).__name__}")
    if not text.strip():
        return ScanResult(score=0.0, flagged=False, reasons=[])
    m = model or default_model()
    rules = scan(text)
    p = m.score_words(normalised_words(text), {"rules": rules.score})
    threshold = 1.0 / (1.0 + math.exp(-m.threshold))
    flagged = p >= threshold
    reasons = (["learned:linear"] if flagged else []) + rules.reasons
    return ScanResult(score=round(p, 3), flagged=flagged, reasons=reasons)
