"""Whether a write of the connector that the app does not show may be in doubt, learnt from
the steps alone: the model gap of the stock and deposit checks.

A write handed to a session whose answer never came is held in doubt until it is probed
(issue 19); for a stock adjustment or transfer, or a deposit, the hold shows only in the
connector's own history, not on an app record (a held payment or credit is Failed "in
doubt" in the app, and the model reads that). So after any fault, or after the same user's
two computers ran at once while such a write waited to be made (the second login may cut
the first session short with the write handed out), the ledger is no longer checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.fuzz.worlds import SECOND_WEB_CONNECTOR

#: Steps that arm a fault: a write of the connector may be in doubt after one fires.
FAULT_STEPS = ("fault", "app.inject_fault", "qbd.fail_requests")


@dataclass
class Doubt:
    #: False from the first step after which such a write may be in doubt
    certain: bool = True
    #: a change no sync has run since: a session may make the write
    waiting: bool = False

    def observe(self, key: str, args: Any) -> None:
        if key in FAULT_STEPS:
            self.certain = False
        elif key == "concurrent_sync":
            if SECOND_WEB_CONNECTOR in args["web_connectors"] and self.waiting:
                self.certain = False
            self.waiting = False
        elif key == "sync":
            self.waiting = False
