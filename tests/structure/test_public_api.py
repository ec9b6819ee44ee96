"""The public surface of ``harness`` changes only on purpose (STYLE.md, httpx)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import harness

PINNED = [
    "AppAdapter",
    "CompanySettings",
    "ExternalConnector",
    "FieldServiceApp",
    "LoadedScenario",
    "NotModeledError",
    "QBDCompany",
    "QwcFile",
    "RunOptions",
    "ScenarioError",
    "ScenarioResult",
    "SimClock",
    "Transcript",
    "WebConnector",
    "World",
    "WorldOptions",
    # load_scenario and load_runs take the step registry: the one every file is read with.
    "default_registry",
    "discover",
    "load_adapter",
    # A file with ``profiles: [..]`` is one run per profile: run_scenario refuses it loaded
    # as one and says to load it with load_runs, so that is a door too.
    "load_runs",
    "load_scenario",
    "run_scenario",
    "start_world",
]


def test_the_public_names_are_pinned() -> None:
    assert sorted(harness.__all__) == sorted(PINNED)
    assert sorted(harness._HOMES) == sorted(PINNED)


def test_each_public_name_is_its_home_modules_object() -> None:
    for name, home in harness._HOMES.items():
        assert getattr(harness, name) is getattr(importlib.import_module(home), name), name


def test_the_type_checking_imports_name_the_same_objects() -> None:
    # mypy reads the TYPE_CHECKING block, Python reads _HOMES: they must say the same.
    tree = ast.parse(Path(harness.__file__).read_text(encoding="utf-8"))
    declared = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            for alias in node.names:
                if alias.name[0].isupper() or alias.name in harness._HOMES:
                    declared[alias.name] = node.module
    declared.pop("TYPE_CHECKING", None)
    declared.pop("Any", None)
    assert declared == harness._HOMES


def test_an_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(harness, "NoSuchThing")


def test_one_simulator_loads_neither_the_web_connector_nor_the_connector() -> None:
    probe = (
        "import sys, harness.fake_qbd; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('zeep', 'spyne', 'connector')"
        " or m in ('harness.world', 'harness.webconnector')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_python_example_of_the_scenario_docs_runs() -> None:
    # docs/scenarios.md "Running a file from Python", run as written from the repository.
    docs = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"
    text = docs.read_text(encoding="utf-8")
    section = text.split("## Running a file from Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=docs.parents[1],
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "pay-02-full-payment passed"
