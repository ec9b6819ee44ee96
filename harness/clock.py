"""The simulated clock that every component of one scenario world shares.

Nothing in the harness reads the wall clock: the fake QuickBooks company stamps
TimeModified with it, the Web Connector's scheduler waits on it, the connector's cursors
compare against it. Moving it is a scenario step, so the same scenario gives the same
transcript byte for byte.

QuickBooks writes date-times with the UTC offset of the machine it runs on
(``2015-11-04T13:10:38-08:00``), so the clock carries a fixed offset.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

#: Where every world starts unless a scenario says otherwise: a Monday morning, US Eastern.
DEFAULT_START = datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone(timedelta(hours=-5)))


class SimClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            raise ValueError("SimClock needs an aware datetime (QuickBooks times carry an offset)")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def utcnow(self) -> datetime:
        return self._now.astimezone(UTC)

    def timestamp(self) -> int:
        """Whole unix seconds: the second half of a QuickBooks ListID/TxnID."""
        return int(self._now.timestamp())

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the clock only moves forward; use jump() for a backward step")
        self._now += timedelta(seconds=seconds)
        return self._now

    def jump(self, seconds: float) -> datetime:
        """Move by any amount, backwards too: the 'clock jumps' fault (a machine's time resync)."""
        self._now += timedelta(seconds=seconds)
        return self._now

    sleep = advance

    def __repr__(self) -> str:
        return f"SimClock({self._now.isoformat()})"
