"""A replaceable monotonic clock for the time-driven bridges (idle monitor, tap guard).

Production code uses :class:`MonotonicClock`; tests pass any object with a
``now()`` method returning seconds, so that time is advanced by hand instead of
sleeping.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic time in seconds."""
        ...


class MonotonicClock:
    """``time.monotonic()``."""

    def now(self) -> float:
        return time.monotonic()


class ManualClock:
    """A monotonic clock that moves only when told to (tests, screenshots, the audit)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds
