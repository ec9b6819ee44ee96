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
#: inconclusive (proved nothing: the app adapter lacks an action or a collection it needs).
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
    reason: str | None = None  # of a skip or an expected failure
    transcripts: list[dict[str, Any]] = field(default_factory=list)
    qbwc_log: str = ""
    connector_log: str = ""  # the connector's log lines during the run (in-process only)
    duration: float = 0.0  # real seconds; reports only, never in transcripts

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "xfailed", "skipped", "not_claimed")
