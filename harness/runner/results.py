"""What running a scenario produced: a status, the failure in a form a person can act on,
and the transcripts of every Web Connector session."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.runner.compare import Mismatch

#: passed; failed (an expectation did not hold); error (the scenario could not run: a bad
#: step argument or a harness fault); xfailed / xpassed (marked ``xfail`` in the file);
#: skipped (marked ``skip``); not_claimed (certification: behavior not claimed);
#: inconclusive (proved nothing, ``reason`` says why and ``cause`` names the kind: see
#: INCONCLUSIVE_CAUSES).
STATUSES = (
    "passed",
    "failed",
    "error",
    "xfailed",
    "xpassed",
    "skipped",
    "not_claimed",
    "inconclusive",
)


#: Why a scenario proved nothing. adapter: the app adapter lacks an action or a collection
#: the scenario needs; nothing-to-do / busy / postponed: the service answered authenticate
#: so (or handed QuickBooks no request) in a scenario that needs it to have work;
#: not-modeled: the simulated QuickBooks does not model a request the service sent;
#: outside: the scenario needs what the harness cannot do to a connector that is not ours;
#: fault-not-reached: a fault the scenario planted never fired, so what it tests never happened;
#: request-not-handed: a concurrent_sync's first Web Connector was never handed the request
#: it was to hold while the others synced, so the race it sets up never happened.
INCONCLUSIVE_CAUSES = (
    "adapter",
    "nothing-to-do",
    "busy",
    "postponed",
    "not-modeled",
    "outside",
    "fault-not-reached",
    "request-not-handed",
)


@dataclass
class Failure:
    step: str  # the step's label: "expect", "sync", "qbd.receive_payment", ...
    line: int
    message: str
    mismatches: list[Mismatch] = field(default_factory=list)

    def render(self, path: Path) -> str:
        lines = [f"{path}:{self.line}: {self.step}: {self.message}"]
        lines.extend(f"    {m}" for m in self.mismatches)
        return "\n".join(lines)

    def one_line(self, path: Path) -> str:
        """``render`` on one line, for a report's note column."""
        return "; ".join(line.strip() for line in self.render(path).splitlines())


@dataclass
class ScenarioResult:
    id: str
    title: str
    path: Path
    behaviors: list[str]
    tags: list[str]
    profile: str
    status: str
    failure: Failure | None = None
    reason: str | None = None  # of a skip, an expected failure or an inconclusive result
    cause: str | None = None  # of an inconclusive result: one of INCONCLUSIVE_CAUSES
    #: how the harness read answers the service did not send as plain text (element
    #: content), and other things the report must say although the verdict stands
    warnings: list[str] = field(default_factory=list)
    #: a session ended with its ticket never closed (a failed call): the service may still
    #: hold it, and a later scenario answered "busy" is blamed on this one
    left_session_open: bool = False
    transcripts: list[dict[str, Any]] = field(default_factory=list)
    qbwc_log: str = ""
    connector_log: str = ""  # the connector's log lines during the run (in-process only)
    duration: float = 0.0  # real seconds; reports only, never in transcripts

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "xfailed", "skipped", "not_claimed")
