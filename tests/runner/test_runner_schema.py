"""The committed JSON Schema is the one the code generates, and every shipped scenario
satisfies it: editors and the loader agree."""

from pathlib import Path

import jsonschema
import pytest
import yaml

from harness.scenario import default_registry
from harness.scenario.schema import render_schema

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "scenarios" / "scenario.schema.json"
SCENARIOS = sorted((REPO / "scenarios").rglob("*.yaml"))


def test_committed_schema_matches_the_model():
    assert SCHEMA.read_text(encoding="utf-8") == render_schema(default_registry()), (
        "regenerate: qbwc-harness schema --out scenarios/scenario.schema.json"
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_shipped_scenario_satisfies_the_schema(path):
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_the_schema_rejects_what_the_loader_rejects():
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    bad = {"id": "x", "title": "t", "behaviors": ["WC-01"], "steps": ["synk"]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_committed_vocabulary_reference_matches_the_code():
    from harness.scenario.reference import render_reference

    committed = (REPO / "docs" / "scenario-actions.md").read_text(encoding="utf-8")
    assert committed == render_reference(default_registry()), (
        "regenerate: qbwc-harness actions --out docs/scenario-actions.md"
    )
