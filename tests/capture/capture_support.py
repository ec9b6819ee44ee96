"""Helpers of the capture tests: the fixture logs, and running a scenario text."""

import importlib.util
from pathlib import Path
from types import ModuleType

from harness.runner.results import ScenarioResult
from harness.runner.run import run_scenario
from harness.scenario import default_registry, load_scenario

LOGS = Path(__file__).parent / "logs"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def vendor_module() -> ModuleType:
    """docs/examples/vendor_qbwc.py, a QBWC service that is not ours (a fresh module)."""
    spec = importlib.util.spec_from_file_location(
        "vendor_qbwc_capture", EXAMPLES / "vendor_qbwc.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_text(tmp_path: Path, text: str, name: str = "imported.yaml") -> ScenarioResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run_scenario(load_scenario(path, default_registry()))
