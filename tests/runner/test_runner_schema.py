"""The committed JSON Schema is the one the code generates, and every shipped scenario
satisfies it: editors and the loader agree."""

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import yaml

from harness.scenario import default_registry
from harness.scenario.schema import render_schema

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "scenarios" / "scenario.schema.json"
#: libyaml's parser when PyYAML has it: the same data, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SCENARIOS = sorted((REPO / "scenarios").rglob("*.yaml"))


@cache
def _validator() -> jsonschema.protocols.Validator:
    """The committed schema, read and checked against its metaschema once for all files."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_committed_schema_matches_the_model():
    assert SCHEMA.read_text(encoding="utf-8") == render_schema(default_registry()), (
        "regenerate: qbwc-harness schema --out scenarios/scenario.schema.json"
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_shipped_scenario_satisfies_the_schema(path):
    _validator().validate(yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER))


def test_the_schema_rejects_what_the_loader_rejects():
    bad = {"id": "x", "title": "t", "behaviors": ["WC-01"], "steps": ["synk"]}
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate(bad)


def test_committed_vocabulary_reference_matches_the_code():
    from harness.scenario.reference import render_reference

    committed = (REPO / "docs" / "scenario-actions.md").read_text(encoding="utf-8")
    assert committed == render_reference(default_registry()), (
        "regenerate: qbwc-harness actions --out docs/scenario-actions.md"
    )
