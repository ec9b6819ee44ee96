"""The connector's clock: injectable so tests and scenarios run on simulated time.

The connector must stand alone (it never imports ``harness``), so it defines the smallest
protocol that ``harness.clock.SimClock`` already satisfies.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Anything with ``now()`` returning an aware datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, local time with its UTC offset (how QuickBooks writes times)."""

    def now(self) -> datetime:
        return datetime.now().astimezone()
