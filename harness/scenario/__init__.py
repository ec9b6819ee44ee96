"""The scenario language: model, loader, validation errors with file and line."""

from harness.scenario.errors import Problem, ScenarioError
from harness.scenario.loader import LoadedScenario, discover, load_runs, load_scenario
from harness.scenario.model import Expectation, Scenario
from harness.scenario.registry import default_registry
from harness.scenario.steps import Registry, Step

__all__ = [
    "Expectation",
    "LoadedScenario",
    "Problem",
    "Registry",
    "Scenario",
    "ScenarioError",
    "Step",
    "default_registry",
    "discover",
    "load_runs",
    "load_scenario",
]
