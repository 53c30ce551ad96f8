"""A circuit breaker per backend, and its p50/p95 over a sliding window.

Closed: calls pass; ``failure_threshold`` consecutive failures open it.
Open: calls are refused until ``cooldown_s`` has passed; then one call (the
half-open probe) is let through. Its success closes the circuit, its failure
opens it for another cooldown. The clock is injectable so tests need no sleeps.
"""

from __future__ import annotations

import bisect
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

CircuitState = Literal["closed", "open", "half_open"]


@dataclass
class CircuitBreaker:
    """Consecutive-failure breaker with a cooldown ended by a single half-open probe."""

    failure_threshold: int
    cooldown_s: float
    clock: Callable[[], float] = time.monotonic
    state: CircuitState = "closed"
    failures: int = 0
    opened_at: float = 0.0
    probe_in_flight: bool = False

    def is_open(self) -> bool:
        """True while calls are refused (open and still cooling down, or probe running)."""
        if self.state == "open":
            return self.clock() - self.opened_at < self.cooldown_s
        return self.state == "half_open" and self.probe_in_flight

    def allow(self) -> bool:
        """May a call go out now? Takes the half-open probe slot when the cooldown is over."""
        if self.state == "closed":
            return True
        if self.state == "open":
            if self.clock() - self.opened_at < self.cooldown_s:
                return False
            self.state = "half_open"
        if self.probe_in_flight:
            return False
        self.probe_in_flight = True
        return True

    def record_success(self) -> CircuitState:
        """A call succeeded: the circuit closes. Returns the previous state."""
        previous = self.state
        self.state, self.failures, self.probe_in_flight = "closed", 0, False
        return previous

    def record_failure(self) -> CircuitState:
        """A call failed: count it, open at the threshold (or at once when half-open)."""
        previous = self.state
        self.failures += 1
        self.probe_in_flight = False
        if self.state == "half_open" or self.failures >= self.failure_threshold:
            self.state, self.opened_at = "open", self.clock()
        return previous

    def release(self) -> None:
        """A call that neither succeeded nor failed (cancelled by the client)."""
        self.probe_in_flight = False


@dataclass
class LatencyWindow:
    """Request durations over the last ``window_s`` seconds; percentiles on demand.

    The durations are also kept sorted (``bisect``), so a percentile is one
    index rather than a sort of the window: routing asks for the p95 on every
    request.
    """

    window_s: float = 3600.0
    max_samples: int = 100_000
    clock: Callable[[], float] = time.monotonic
    samples: deque[tuple[float, float]] = field(default_factory=deque)
    _ordered: list[float] = field(default_factory=list, repr=False)

    def observe(self, seconds: float) -> None:
        """Add one duration."""
        self.samples.append((self.clock(), seconds))
        bisect.insort(self._ordered, seconds)
        if len(self.samples) > self.max_samples:
            self._drop_oldest()

    def _drop_oldest(self) -> None:
        _, value = self.samples.popleft()
        del self._ordered[bisect.bisect_left(self._ordered, value)]

    def _trim(self) -> None:
        horizon = self.clock() - self.window_s
        while self.samples and self.samples[0][0] < horizon:
            self._drop_oldest()

    def percentile_ms(self, q: float) -> float | None:
        """The ``q`` quantile (0..1) in milliseconds, nearest-rank; None with no samples."""
        self._trim()
        ordered = self._ordered
        if not ordered:
            return None
        rank = max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))
        return round(ordered[rank] * 1000.0, 3)
