"""Records the connector holds back, listed where a person (and a scenario) sees them.

A record of the app shows its own sync status and error; a QuickBooks record the connector
cannot bring into the app (a payment whose payment mode the app lacks, PAY-01) has no app
record to show it on. The connector reports each such record here, under a key of its
choosing, and clears it once the record syncs (issue 19 bug 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from harness.clock import SimClock

from ._errors import NotFound
from ._models import stamp


@dataclass
class SyncIssue:
    key: str
    entity: str
    #: Which system the record lives in: "qbd" (QuickBooks only) or "app".
    side: str
    #: What a person knows the record by (a RefNumber, a name), if anything.
    reference: str | None
    error: str
    first_seen: datetime
    last_seen: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "entity": self.entity,
            "side": self.side,
            "reference": self.reference,
            "error": self.error,
            "first_seen": stamp(self.first_seen),
            "last_seen": stamp(self.last_seen),
        }


class SyncIssues:
    """The open issues, by key, in the order they were first reported."""

    def __init__(self, clock: SimClock) -> None:
        self._clock = clock
        self.by_key: dict[str, SyncIssue] = {}

    def put(
        self, key: str, *, entity: str, side: str, reference: str | None, error: str
    ) -> SyncIssue:
        """Report (or report again, with the latest error) a held record."""
        now = self._clock.now()
        known = self.by_key.get(key)
        first_seen = known.first_seen if known is not None else now
        issue = SyncIssue(key, entity, side, reference, error, first_seen, now)
        self.by_key[key] = issue
        return issue

    def clear(self, key: str) -> SyncIssue:
        issue = self.by_key.pop(key, None)
        if issue is None:
            raise NotFound(f"no sync issue with key {key!r}")
        return issue
