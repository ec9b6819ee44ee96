"""ListID, TxnID and EditSequence in QuickBooks' own formats.

IDs look like ``80000001-1767621600``: an uppercase hex counter, a dash, the unix time of
the creation (QBWC-FACTS.md, "qbXML"). TxnIDs share one counter across every transaction
type, and TxnLineIDs draw from it too; each list has its own ListID counter. EditSequence is the unix time of the
modification; the fake keeps it strictly increasing per object so two edits in the same
simulated second still differ (real QuickBooks cannot be observed doing that, unconfirmed).
"""

from __future__ import annotations

from collections import defaultdict

from harness.clock import SimClock

#: Where QuickBooks' counters start for objects a person or program creates.
FIRST_COUNTER = 0x80000001


class IdGenerator:
    def __init__(self, clock: SimClock) -> None:
        self._clock = clock
        self._list_counters: dict[str, int] = defaultdict(lambda: FIRST_COUNTER)
        self._txn_counter = FIRST_COUNTER

    def list_id(self, list_name: str) -> str:
        counter = self._list_counters[list_name]
        self._list_counters[list_name] = counter + 1
        return f"{counter:X}-{self._clock.timestamp()}"

    def txn_id(self) -> str:
        counter = self._txn_counter
        self._txn_counter += 1
        return f"{counter:X}-{self._clock.timestamp()}"

    def txn_line_id(self) -> str:
        # Lines draw from the transactions' counter: a TxnLineID never equals a TxnID
        # (issue 18, from real captures).
        return self.txn_id()

    def edit_sequence(self, previous: int | None = None) -> int:
        now = self._clock.timestamp()
        return now if previous is None else max(previous + 1, now)
