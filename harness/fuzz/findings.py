"""A finding as a scenario file: its steps, the invariants as an ``expect`` block, cut down
to the fewest steps that still fail, validated by the loader that every scenario goes
through, and checked by replaying it with the runner."""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.fuzz.machine import (
    CLEAN_CONCURRENT_OUTCOMES,
    INVARIANTS,
    Finding,
    config_for,
    fault_marks,
    given_for,
    judgement,
    model_for,
    parse,
    start,
)
from harness.fuzz.model import Failed, Model, visibly_failed
from harness.fuzz.rules import RawStep
from harness.runner.judge import StepFailed, check_expectation
from harness.runner.run import RunOptions, run_scenario
from harness.runner.steps import perform_step
from harness.scenario import Expectation, default_registry, load_scenario
from harness.scenario.loader import LoadedScenario
from harness.world import MakeConnector, World, WorldOptions

Verdict = Callable[[list[RawStep]], bool]


def model_of(steps: list[RawStep], directions: str = "two-way") -> Model:
    model = model_for(directions)
    for raw in steps:
        model.observe(raw)
    return model


#: The invariant judged at a calm concurrent run (every other one at a calm plain sync).
CONCURRENT = "a quiet concurrent sync ended in an error"


def judged_at(invariant: str) -> str:
    """Which kind of run a finding of ``invariant`` must end with (``machine.judgement``)."""
    return "concurrent" if invariant == CONCURRENT else "sync"


def expectation_for(
    invariant: str,
    steps: list[RawStep],
    held: Failed | None = None,
    directions: str = "two-way",
) -> dict[str, Any]:
    """The ``expect`` block a finding is judged by: what the model says both sides must
    show after ``steps`` (``held``: the records the reference connector holds as failed,
    with their error), or, after a concurrent run, that no session ended in an error (one
    computer waits while the other works, so the sides need not agree yet)."""
    if invariant == CONCURRENT:
        return {"transcript": {"every_outcome_in": CLEAN_CONCURRENT_OUTCOMES}}
    expect = model_of(steps, directions).expectation(held)
    if invariant == "a quiet sync did not complete":
        expect["transcript"] = {"outcome": "completed"}
    return expect


def scenario_for(
    steps: list[RawStep],
    *,
    invariant: str,
    label: str,
    directions: str = "two-way",
    held: Failed | None = None,
    xfail: str | None = None,
) -> dict[str, Any]:
    """The scenario mapping: the connector's settings (``directions``: the world's sync
    directions), the given world, the steps, and the ``expect`` block of
    ``expectation_for``."""
    digest = hashlib.sha1(repr((label, steps)).encode()).hexdigest()[:8]
    scenario: dict[str, Any] = {
        "id": f"fuzz-{label}-{digest}",
        "title": f"Found by the fuzzer ({invariant}); shrunk to {len(steps)} step(s)",
        "behaviors": INVARIANTS.get(invariant, ["SYNC-03"]),
        "tags": ["fuzz"],
    }
    if xfail:
        scenario["xfail"] = xfail
    expect = expectation_for(invariant, steps, held, directions)
    config = config_for(directions)
    scenario.update(
        {"config": config, "given": given_for(directions), "steps": steps, "expect": expect}
    )
    return scenario


class _FindingDumper(yaml.SafeDumper):
    """Lists of numbers (a concurrent run's call order) on one line; the rest as usual."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = bool(data) and all(isinstance(item, int) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow or None)


_FindingDumper.add_representer(list, _represent_list)


def render(scenario: dict[str, Any], comment: str = "") -> str:
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    text = yaml.dump(
        scenario, Dumper=_FindingDumper, sort_keys=False, width=100, allow_unicode=True
    )
    return head + text


def load(text: str, path: Path) -> LoadedScenario:
    """Through the same loader (schema and step vocabulary) as every scenario file."""
    return load_scenario(path, default_registry(), text=text)


def replay(
    steps: list[RawStep],
    make_connector: MakeConnector | None,
    judged: str = "sync",
    directions: str = "two-way",
) -> World | None:
    """A world after ``steps``, or None when one of them cannot be done any more, or when
    the last is not a run judged as ``judged`` (``machine.judgement``: calm, no fault fired
    in it, none waiting; "sync": a plain ``sync`` of the first computer): the invariants
    are judged only there."""
    world = start(make_connector, directions)
    try:
        for index, raw in enumerate(steps):
            before = fault_marks(world)
            perform_step(world, parse(raw, index))
    except StepFailed:
        world.close()
        return None
    plain = steps[-1:] == ["sync"]
    if (judged == "sync" and not plain) or judgement(world, steps[-1], before) != judged:
        world.close()
        return None
    return world


def _disagrees(world: World, expect: dict[str, Any]) -> bool:
    try:
        check_expectation(world, Expectation.model_validate(expect))
    except StepFailed:
        return True
    finally:
        world.close()
    return False


@dataclass
class Verdicts:
    """A candidate reproduces when the connector under test fails the expectation and
    (when that is a variant) the reference connector passes it. The reference connector
    also says which records are held as failed after the steps: that part of the
    expectation is its behavior, the rest is the model's."""

    make_connector: MakeConnector | None
    invariant: str
    directions: str = "two-way"
    held: Failed | None = None
    replays: int = 0

    def reproduces(self, steps: list[RawStep]) -> bool:
        judged = judged_at(self.invariant)
        self.replays += 1
        reference = replay(steps, None, judged, self.directions)
        if reference is None:
            return False
        held, _ = visibly_failed(reference.app.snapshot())
        expect = expectation_for(self.invariant, steps, held, self.directions)
        reference_fails = _disagrees(reference, expect)
        if self.make_connector is None:
            found = reference_fails
        elif reference_fails:
            return False
        else:
            self.replays += 1
            target = replay(steps, self.make_connector, judged, self.directions)
            found = target is not None and _disagrees(target, expect)
        if found:
            self.held = held
        return found


def minimize(steps: list[RawStep], reproduces: Verdict) -> list[RawStep]:
    """Delta debugging on the steps: drop chunks (halves, quarters, ... single steps; the
    last first, since later steps depend on earlier ones) while the scenario still
    reproduces; repeat single steps until nothing more can go."""
    current = list(steps)
    size = max(len(current) // 2, 1)
    while True:
        removed = False
        start = len(current) - size
        while start >= 0:
            candidate = current[:start] + current[start + size :]
            if candidate and reproduces(candidate):
                current, removed = candidate, True
            start -= size
        if size == 1 and not removed:
            return current
        if not removed:
            size = max(size // 2, 1)


@dataclass
class Written:
    path: Path
    steps: int
    reproduced: bool


def write_finding(
    finding: Finding,
    out: Path,
    *,
    label: str,
    make_connector: MakeConnector | None,
) -> Written:
    """Shrink ``finding`` to a scenario that fails for ``make_connector`` (and passes for
    the reference connector), validate it with the loader, check it with the runner and
    write it under ``out``."""
    verdicts = Verdicts(make_connector, finding.invariant, finding.directions)
    steps = list(finding.steps)
    if judged_at(finding.invariant) == "concurrent":
        # Found at the calm concurrent run that ends the steps: judged right there, over
        # every session, so faults that ended earlier sessions in errors go first.
        for candidate in (steps, [raw for raw in steps if not _is_fault(raw)]):
            if verdicts.reproduces(candidate):
                steps = minimize(candidate, verdicts.reproduces)
                break
    else:
        # Judged at a calm plain sync, as the invariants are defined: add syncs until one
        # is (a fault still waiting fires in the first ones).
        for settle in range(1, 4):
            candidate = [*steps, *["sync"] * settle]
            if verdicts.reproduces(candidate):
                steps = minimize(candidate, verdicts.reproduces)
                break
        else:
            steps = [*steps, "sync"]
    xfail = None
    if make_connector is None:
        xfail = f"found by the fuzzer in the reference connector: {finding.invariant}"
    scenario = scenario_for(
        steps,
        invariant=finding.invariant,
        label=label,
        directions=finding.directions,
        held=verdicts.held,
        xfail=xfail,
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{scenario['id']}.yaml"
    header = [
        "Written by `qbwc-harness fuzz`; replay with `qbwc-harness run <this file>`.",
        f"Connector: {label}. Invariant: {finding.invariant}. When found:",
        *_wrapped(finding.message),
    ]
    text = render(scenario, "\n".join(header))
    loaded = load(text, path)  # not a valid scenario: a fuzzer bug, fail loudly
    reproduced, replayed = _replays_as_found(loaded, make_connector)
    if reproduced:
        footer = [f"Replayed against {label}, it fails:", *_wrapped(replayed)]
    else:
        footer = ["NOT reproduced when replayed with `qbwc-harness run`: investigate."]
    path.write_text(text + "".join(f"# {line}\n" for line in footer), encoding="utf-8")
    return Written(path, len(steps), reproduced)


def _is_fault(raw: RawStep) -> bool:
    return isinstance(raw, dict) and ("fault" in raw or "app.inject_fault" in raw)


def _wrapped(text: str) -> list[str]:
    return [part for line in text.splitlines() for part in textwrap.wrap(line, 96) or [""]]


def _replays_as_found(
    loaded: LoadedScenario, make_connector: MakeConnector | None
) -> tuple[bool, str]:
    """Whether the file, run by the runner, fails for the connector under test and (for a
    variant) passes for the reference connector; and how it fails."""
    target = run_scenario(loaded, RunOptions(WorldOptions(make_connector=make_connector)))
    shown = target.failure.render(loaded.path) if target.failure else ""
    if make_connector is None:
        return target.status == "xfailed", shown
    reference = run_scenario(loaded, RunOptions(WorldOptions()))
    return target.status == "failed" and reference.status == "passed", shown
