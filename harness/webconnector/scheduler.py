"""When sessions run: QBWC's auto-run timer and "Update Selected", on the simulated clock.

Rules (guide pp. 37, 62-63; QBWC-FACTS.md): a .qwc Scheduler sets the interval (5 minutes
when auto-run is switched on without one, the UI default); authenticate's postpone member
moves the next run to "last run + postpone"; its minimum-run member raises the interval to
at least that many seconds. Runs of one application never overlap. Several applications
(or several Web Connectors against one company) can be stepped call by call with
:func:`run_interleaved` to reproduce concurrent syncs deterministically, or with
:func:`run_holding`, the first holding a request it was handed while the others sync.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from harness.clock import SimClock

from .errors import WebConnectorError
from .session import WebConnector, carries_request
from .transcript import Transcript, qbxml_request_types

DEFAULT_INTERVAL_SECONDS = 5 * 60


@dataclass
class ScheduledRun:
    app_name: str
    kind: str  # "auto" or "manual"
    transcript: Transcript


@dataclass
class _Job:
    wc: WebConnector
    auto_run: bool
    interval: int
    next_due: datetime
    order: int
    running: bool = False
    runs: list[ScheduledRun] = field(default_factory=list)


class Scheduler:
    """Auto-run and manual runs for the applications of one Web Connector."""

    def __init__(self, clock: SimClock, default_interval: int = DEFAULT_INTERVAL_SECONDS) -> None:
        self.clock = clock
        self.default_interval = default_interval
        self._jobs: dict[str, _Job] = {}
        self.runs: list[ScheduledRun] = []

    def add(
        self, wc: WebConnector, *, auto_run: bool = True, every_seconds: int | None = None
    ) -> None:
        """Add an application; its first auto run is one interval from now."""
        name = wc.qwc.app_name
        if name in self._jobs:
            raise WebConnectorError(f"application {name!r} is already scheduled")
        if wc.clock is not self.clock:
            raise WebConnectorError(f"application {name!r} uses a different clock")
        interval = every_seconds or wc.qwc.run_every_seconds or self.default_interval
        if interval <= 0:
            raise WebConnectorError("the auto-run interval must be positive")
        self._jobs[name] = _Job(
            wc, auto_run, interval, self.clock.now() + timedelta(seconds=interval), len(self._jobs)
        )

    def interval(self, app_name: str) -> int:
        return self._job(app_name).interval

    def next_run(self, app_name: str) -> datetime | None:
        job = self._job(app_name)
        return job.next_due if job.auto_run else None

    def run_now(self, app_name: str) -> Transcript:
        """'Update Selected': one run now. Refused while that application is running."""
        return self._run(self._job(app_name), "manual").transcript

    def advance(self, seconds: float) -> list[ScheduledRun]:
        """Move the clock forward, running every auto run that falls due on the way."""
        if seconds < 0:
            raise WebConnectorError("the scheduler only moves forward")
        target = self.clock.now() + timedelta(seconds=seconds)
        done: list[ScheduledRun] = []
        while True:
            due = [j for j in self._jobs.values() if j.auto_run and j.next_due <= target]
            if not due:
                break
            job = min(due, key=lambda j: (j.next_due, j.order))
            if job.next_due > self.clock.now():
                self.clock.advance((job.next_due - self.clock.now()).total_seconds())
            done.append(self._run(job, "auto"))
        if target > self.clock.now():
            self.clock.advance((target - self.clock.now()).total_seconds())
        return done

    # -- internals ----------------------------------------------------------------------
    def _job(self, app_name: str) -> _Job:
        try:
            return self._jobs[app_name]
        except KeyError:
            raise WebConnectorError(f"no application named {app_name!r} is scheduled") from None

    def _run(self, job: _Job, kind: str) -> ScheduledRun:
        if job.running:
            raise WebConnectorError(
                f"{job.wc.qwc.app_name!r} is already running; runs of one application never overlap"
            )
        started = self.clock.now()
        job.running = True
        try:
            transcript = job.wc.run_session()
        finally:
            job.running = False
        if transcript.min_run_seconds and transcript.min_run_seconds > job.interval:
            job.interval = transcript.min_run_seconds
        if transcript.postpone_seconds:
            job.next_due = started + timedelta(seconds=transcript.postpone_seconds)
        elif kind == "auto":
            job.next_due = started + timedelta(seconds=job.interval)
        # a run that took longer than the interval: the next one is due now, not in the past
        job.next_due = max(job.next_due, self.clock.now()) if kind == "auto" else job.next_due
        run = ScheduledRun(job.wc.qwc.app_name, kind, transcript)
        job.runs.append(run)
        self.runs.append(run)
        return run


class _Sessions:
    """One session of each connector, stepped one SOAP call at a time."""

    def __init__(self, connectors: Sequence[WebConnector]) -> None:
        self.steppers: list[Iterator[Transcript] | None] = [wc.steps() for wc in connectors]
        self.results: list[Transcript | None] = [None] * len(connectors)

    def step(self, index: int) -> bool:
        """One call of that connector's session; False once the session has ended."""
        stepper = self.steppers[index]
        if stepper is None:
            return False
        try:
            self.results[index] = next(stepper)
        except StopIteration:
            self.steppers[index] = None
            return False
        return True

    def finish(self, index: int) -> None:
        while self.step(index):
            pass

    def transcripts(self) -> list[Transcript]:
        return [r for r in self.results if r is not None]


def run_interleaved(
    connectors: Sequence[WebConnector], order: Sequence[int] = ()
) -> list[Transcript]:
    """Run one session of each connector concurrently, one SOAP call at a time.

    ``order`` lists which connector takes the next step (indices); when it runs out, the
    still-running connectors take turns round-robin. Same order, same interleaving: this is
    how "two computers syncing one company" (WC-14) is reproduced without threads.
    """
    sessions = _Sessions(connectors)
    for index in order:
        if not 0 <= index < len(connectors):
            raise WebConnectorError(
                f"interleaving order names connector {index}; there are {len(connectors)}"
            )
        sessions.step(index)
    while any(s is not None for s in sessions.steppers):
        for index in range(len(connectors)):
            sessions.step(index)
    return sessions.transcripts()


def run_holding(connectors: Sequence[WebConnector], request: str) -> tuple[list[Transcript], bool]:
    """The first connector's session runs until a sendRequestXML hands it a request of type
    ``request`` (``InvoiceAdd``), which it holds, not yet passed to QuickBooks; each other
    connector then runs its whole session, in turn; then the first passes the request on and
    finishes. The flag says whether the first was handed one: when it was not, its session
    ran to its end before the others started, which is not the race the caller asked for.
    Which call hands it out is read from the calls, not counted, so the same step holds the
    same request whatever the service sends before it."""
    sessions = _Sessions(connectors)
    handed = False
    while not handed and sessions.step(0):
        result = sessions.results[0]
        assert result is not None
        handed = _hands(result, request)
    for index in range(1, len(connectors)):
        sessions.finish(index)
    sessions.finish(0)
    return sessions.transcripts(), handed


def _hands(transcript: Transcript, request: str) -> bool:
    """Whether the session's latest call is a sendRequestXML that handed out ``request``."""
    calls = transcript.calls
    if not calls or calls[-1].method != "sendRequestXML":
        return False
    answer = calls[-1].result
    return carries_request(answer) and request in qbxml_request_types(answer)
