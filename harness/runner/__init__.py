"""The runner: sets up a scenario's world, performs its steps, checks its expectations."""

from harness.runner.results import ScenarioResult
from harness.runner.run import RunOptions, run_scenario, start_world

__all__ = ["RunOptions", "ScenarioResult", "run_scenario", "start_world"]
