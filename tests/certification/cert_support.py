"""Shared helpers for the certification tests: the scenario suite loaded once, and
in-process certifications of the seed declarations."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from harness.certification import (
    Certification,
    load_capabilities,
    plan_certification,
    run_certification,
)
from harness.runner.run import RunOptions
from harness.scenario import default_registry, discover, load_runs
from harness.scenario.loader import LoadedScenario
from harness.world import WorldOptions

REPO = Path(__file__).resolve().parents[2]
CAPABILITIES = REPO / "harness" / "certification" / "capabilities"
EXAMPLES = REPO / "docs" / "examples"


@cache
def suite() -> tuple[LoadedScenario, ...]:
    registry = default_registry()
    return tuple(run for p in discover([REPO / "scenarios"]) for run in load_runs(p, registry))


@cache
def certify_seed(name: str) -> Certification:
    """The reference connector, in-process, under the declaration ``name``'s profile."""
    capabilities = load_capabilities(CAPABILITIES / f"{name}.yaml")
    plan = plan_certification(list(suite()), capabilities)
    return run_certification(plan, RunOptions(WorldOptions()), target="reference", adapter="fake")


def example_module(name: str) -> ModuleType:
    """A module of docs/examples, imported as a user would (from its folder)."""
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
