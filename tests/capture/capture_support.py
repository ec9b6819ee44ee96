"""Helpers of the capture tests: the fixture logs, and running a scenario text."""

from pathlib import Path

from harness.runner.results import ScenarioResult
from harness.runner.run import run_scenario
from harness.scenario import default_registry, load_scenario

LOGS = Path(__file__).parent / "logs"


def run_text(tmp_path: Path, text: str, name: str = "imported.yaml") -> ScenarioResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run_scenario(load_scenario(path, default_registry()))
