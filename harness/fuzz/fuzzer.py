"""One fuzz run: hypothesis drives the whole-loop state machine for a bounded budget; the
first violation is shrunk by hypothesis, then cut down and written as a scenario file."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, Verbosity, seed, settings
from hypothesis.stateful import get_state_machine_test

from harness.fuzz.findings import Written, write_finding
from harness.fuzz.machine import FuzzSession, InvariantViolated, machine_for
from harness.fuzz.rules import select
from harness.world import MakeConnector


@dataclass
class FuzzConfig:
    examples: int = 100
    #: rules per example (hypothesis's stateful_step_count)
    steps: int = 20
    #: None: derandomized (the same examples every run, as CI needs)
    seed: int | None = None
    out: Path = Path("fuzz-findings")
    make_connector: MakeConnector | None = None
    #: names the connector in findings ("reference", or a variant's name)
    label: str = "reference"
    #: let hypothesis shrink the failing example too (slow: every shrink replays a world);
    #: the written scenario is always cut down step by step (``findings.minimize``)
    shrink: bool = False
    #: areas or rule names to narrow the run to (``rules.select``); empty: every rule
    only: frozenset[str] = frozenset()


@dataclass
class FuzzReport:
    examples: int
    steps: int
    seconds: float
    examples_to_first: int | None = None
    quiet_checks: int = 0
    shared_with_reference: int = 0
    invariant: str | None = None
    written: Written | None = None
    rule_counts: dict[str, int] = field(default_factory=dict)

    @property
    def violations(self) -> int:
        return 0 if self.invariant is None else 1

    def summary(self) -> str:
        found = "no violation"
        if self.invariant is not None:
            where = f" after {self.examples_to_first} example(s)"
            found = f"1 violation ({self.invariant}){where}"
            if self.written is not None:
                state = "reproduces" if self.written.reproduced else "does NOT reproduce"
                found += f"; {self.written.path} ({self.written.steps} steps, {state})"
        if self.shared_with_reference:
            found += f" ({self.shared_with_reference} shared with the reference connector)"
        return (
            f"{self.examples} examples, {self.steps} steps ({self.quiet_checks} full checks), "
            f"{self.seconds:.1f} s: {found}"
        )


@contextmanager
def _quiet_logs() -> Iterator[None]:
    """The connector logs every held payment and every injected fault; thousands of
    examples would bury the summary."""
    loggers = [logging.getLogger(name) for name in ("connector", "spyne")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def fuzz(config: FuzzConfig, progress: Callable[[str], None] | None = None) -> FuzzReport:
    session = FuzzSession(make_connector=config.make_connector)
    if progress is not None:
        session.progress = lambda s: progress(f"{s.examples} examples, {s.steps} steps")
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if config.shrink else [])
    test = get_state_machine_test(
        machine_for(session, select(config.only)),
        settings=settings(
            max_examples=config.examples,
            stateful_step_count=config.steps,
            deadline=None,
            database=None,
            derandomize=config.seed is None,
            phases=phases,
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.quiet,
            print_blob=False,
            report_multiple_bugs=False,
        ),
    )
    if config.seed is not None:
        test = seed(config.seed)(test)
    started = time.perf_counter()
    with _quiet_logs():
        with suppress(InvariantViolated):
            test()
        report = FuzzReport(
            examples=session.examples,
            steps=session.steps,
            seconds=0.0,
            examples_to_first=session.examples_to_first,
            quiet_checks=session.quiet_checks,
            shared_with_reference=session.shared_with_reference,
            rule_counts=dict(session.rule_counts),
        )
        finding = session.last
        if finding is not None:
            report.invariant = finding.invariant
            if progress:
                progress(f"violation: {finding.invariant}; writing the shrunk scenario")
            report.written = write_finding(
                finding, config.out, label=config.label, make_connector=config.make_connector
            )
    report.seconds = time.perf_counter() - started
    return report
