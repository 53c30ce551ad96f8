"""The injection verdict the services act on, from the configured detector.

Every service that scores untrusted text (knowledge ingest, the coordinator's
retrieved chunks, the task runner's instructions) calls :func:`verdict` with
its guard settings; which detector runs is the config's choice
(``guard.injection_detector``), never the call site's:

``"rules"``
    :func:`aistack.guard.injection.scan`, flagged at
    ``guard.injection_threshold``.
``"learned"``
    :func:`aistack.guard.injection_detect.detect`: the hashed linear model fed
    by the rule scanner's normalised text and score, flagged at the threshold
    calibrated into its model file (``injection_threshold`` does not apply:
    the model's probability is on another scale than the rule score).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, get_args

from aistack.guard.injection import DEFAULT_THRESHOLD, ScanResult

__all__ = ["DETECTORS", "Detector", "InjectionPolicy", "InjectionSettings", "verdict"]

Detector = Literal["rules", "learned"]
DETECTORS: tuple[str, ...] = get_args(Detector)


class InjectionSettings(Protocol):
    """What :func:`verdict` reads: ``GuardSettings`` or an :class:`InjectionPolicy`."""

    @property
    def injection_threshold(self) -> float: ...

    @property
    def injection_detector(self) -> str: ...


@dataclass(frozen=True)
class InjectionPolicy:
    """The two injection settings alone, for pure code and tests without a full guard."""

    injection_threshold: float = DEFAULT_THRESHOLD
    injection_detector: Detector = "rules"


def verdict(text: str, settings: InjectionSettings) -> ScanResult:
    """Score ``text`` with the configured detector: ``score``, ``flagged``, ``reasons``.

    ``reasons`` name what fired (rule recognizers; ``"learned:linear"`` when the
    model flags). Raises ``TypeError`` for a non-``str`` text and ``ValueError``
    for an unknown detector name (the config validates it before this).
    """
    if not isinstance(text, str):
        raise TypeError(f"verdict() expects str, got {type(text).__name__}")
    detector = settings.injection_detector
    if detector == "rules":
        from aistack.guard.injection import scan

        return scan(text, threshold=settings.injection_threshold)
    if detector == "learned":
        # Imported here: a rules-only service never reads the model file.
        from aistack.guard.injection_detect import detect

        return detect(text)
    raise ValueError(f"unknown injection detector {detector!r}; expected one of {DETECTORS}")
