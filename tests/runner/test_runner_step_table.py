"""One step table (harness.runner.steps.STEPS): a kind added there is loadable, in the JSON
schema and the actions reference, and performed, with nothing else to edit."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from harness.runner import steps as step_table
from harness.runner.steps import STEPS, StepKind, perform_step, step_models
from harness.scenario.reference import render_reference
from harness.scenario.registry import default_registry
from harness.scenario.schema import scenario_schema
from harness.scenario.steps import Registry, parse_step


class WaveArgs(BaseModel):
    """Wave at the Web Connector."""

    model_config = ConfigDict(extra="forbid")
    times: int = 1


def test_a_kind_added_to_the_table_is_everywhere(monkeypatch) -> None:
    waved: list[int] = []
    entry = StepKind(lambda world, step: waved.append(step.args.times), WaveArgs)
    base = default_registry()  # cached: read before the table changes
    monkeypatch.setattr(step_table, "STEPS", {**STEPS, "wave": entry})
    registry = Registry(qbd=base.qbd, app=base.app, faults=base.faults)

    step, problems = parse_step({"wave": {"times": 3}}, ("steps", 0), registry, 7)
    assert problems == [] and step is not None and step.kind == "wave"
    perform_step(None, step)  # type: ignore[arg-type]  # the entry does not touch the world
    assert waved == [3]

    kinds = [
        key
        for option in scenario_schema(registry)["properties"]["steps"]["items"]["oneOf"]
        for key in option.get("properties", {})
    ]
    assert "wave" in kinds
    bare = scenario_schema(registry)["properties"]["steps"]["items"]["oneOf"][0]["enum"]
    assert "wave" in bare  # its one argument has a default
    assert "### `wave`" in render_reference(registry)


def test_every_kind_the_loader_gives_is_performed() -> None:
    registry = default_registry()
    assert set(registry.steps) == set(step_models())
    given = {
        "fault": {"fault": {"name": "drop_before_call", "method": "sendRequestXML"}},
        "action": {"qbd.add_customer": {"name": "Acme"}},
    }
    for kind in STEPS:
        raw = given.get(kind, kind)
        step, _ = parse_step(raw, ("steps", 0), registry, 1)
        if step is not None:  # a kind whose arguments are required is refused bare
            assert step.kind in STEPS
    for kind, raw in given.items():
        step, problems = parse_step(raw, ("steps", 0), registry, 1)
        assert step is not None and step.kind == kind, problems


def test_the_committed_scenarios_use_only_kinds_of_the_table() -> None:
    from harness.scenario.loader import discover, load_runs

    root = Path(__file__).resolve().parents[2] / "scenarios"
    used = {
        step.kind
        for path in discover([root])
        for run in load_runs(path, default_registry())[:1]
        for step in run.steps
    }
    assert used <= set(STEPS)
    assert {"sync", "expect", "fault", "action"} <= used  # the walk read the steps
