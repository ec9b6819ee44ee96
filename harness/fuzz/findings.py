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
    GIVEN,
    INVARIANTS,
    Finding,
    calm,
    fault_marks,
    parse,
    start,
)
from harness.fuzz.model import Failed, Model, visibly_failed
from harness.fuzz.rules import RawStep
from harness.runner.run import (
    RunOptions,
    StepFailed,
    check_expectation,
    perform_step,
    run_scenario,
)
from harness.scenario import Expectation, default_registry, load_scenario
from harness.scenario.loader import LoadedScenario
from harness.world import MakeConnector, World, WorldOptions

Verdict = Callable[[list[RawStep]], bool]


def model_of(steps: list[RawStep]) -> Model:
    model = Model()
    for raw in steps:
        model.observe(raw)
    return model


def scenario_for(
    steps: list[RawStep],
    *,
    invariant: str,
    label: str,
    held: Failed | None = None,
    xfail: str | None = None,
) -> dict[str, Any]:
    """The scenario mapping: the given world, the steps, and what the model says both
    sides must show after them (``held``: the records the reference connector holds as
    failed, with their error, after these steps)."""
    digest = hashlib.sha1(repr((label, steps)).encode()).hexdigest()[:8]
    scenario: dict[str, Any] = {
        "id": f"fuzz-{label}-{digest}",
        "title": f"Found by the fuzzer ({invariant}); shrunk to {len(steps)} step(s)",
        "behaviors": INVARIANTS.get(invariant, ["SYNC-03"]),
        "tags": ["fuzz"],
    }
    if xfail:
        scenario["xfail"] = xfail
    expect = model_of(steps).expectation(held)
    if invariant == "a quiet sync did not complete":
        expect["transcript"] = {"outcome": "completed"}
    scenario.update({"given": GIVEN, "steps": steps, "expect": expect})
    return scenario


def render(scenario: dict[str, Any], comment: str = "") -> str:
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + yaml.safe_dump(scenario, sort_keys=False, width=100, allow_unicode=True)


def load(text: str, path: Path) -> LoadedScenario:
    """Through the same loader (schema and step vocabulary) as every scenario file."""
    return load_scenario(path, default_registry(), text=text)


def replay(steps: list[RawStep], make_connector: MakeConnector | None) -> World | None:
    """A world after ``steps``, or None when one of them cannot be done any more, or when
    the last is not a plain ``sync`` run calmly (no fault fired in it, none waiting): the
    invariants are judged only there."""
    world = start(make_connector)
    try:
        for index, raw in enumerate(steps):
            before = fault_marks(world)
            perform_step(world, parse(raw, index))
    except StepFailed:
        world.close()
        return None
    if steps[-1:] != ["sync"] or not calm(world, before):
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
    held: Failed | None = None
    replays: int = 0

    def reproduces(self, steps: list[RawStep]) -> bool:
        model = model_of(steps)
        self.replays += 1
        reference = replay(steps, None)
        if reference is None:
            return False
        held, _ = visibly_failed(reference.app.snapshot())
        expect = model.expectation(held)
        reference_fails = _disagrees(reference, expect)
        if self.make_connector is None:
            found = reference_fails
        elif reference_fails:
            return False
        else:
            self.replays += 1
            target = replay(steps, self.make_connector)
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
    verdicts = Verdicts(make_connector)
    steps = list(finding.steps)
    # Judged at a calm plain sync, as the invariants are defined: add syncs until one is
    # (a fault still waiting fires in the first ones).
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
        steps, invariant=finding.invariant, label=label, held=verdicts.held, xfail=xfail
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
