"""The JSON Schema of scenario files, for editors (yaml-language-server) and for review.

Generated from the same pydantic models and action signatures that load the files; the
committed copy (``scenarios/scenario.schema.json``) is checked against this by a test.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from harness.scenario.model import Scenario
from harness.scenario.steps import Registry

SCHEMA_ID = "https://qbwc-harness.invalid/scenario.schema.json"


def scenario_schema(registry: Registry) -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    defs = schema.setdefault("$defs", {})

    def ref(model: type[BaseModel]) -> dict[str, Any]:
        sub = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(sub.pop("$defs", {}))
        defs[model.__name__] = sub
        return {"$ref": f"#/$defs/{model.__name__}"}

    def one_key(key: str, value: dict[str, Any], doc: str = "") -> dict[str, Any]:
        entry = {
            "type": "object",
            "properties": {key: value},
            "required": [key],
            "additionalProperties": False,
        }
        if doc:
            entry["description"] = doc.splitlines()[0]
        return entry

    def action_steps(side: str, prefixed: bool) -> list[dict[str, Any]]:
        return [
            one_key(action.step_key if prefixed else name, ref(action.args_model), action.doc)
            for name, action in sorted(registry.side(side).items())
        ]

    fault_names = sorted(registry.faults)
    faults = [
        {
            "type": "object",
            "properties": {"name": {"const": name}, **_properties(ref(model), defs)},
            "required": ["name"],
            "additionalProperties": False,
        }
        for name, model in sorted(registry.faults.items())
    ]
    # A step whose arguments all have defaults may be written bare: ``- sync``.
    bare = [
        k
        for k, m in registry.steps.items()
        if not any(f.is_required() for f in m.model_fields.values())
    ]
    steps = [
        {"enum": sorted(bare)},
        *[one_key(key, ref(model)) for key, model in registry.steps.items()],
        one_key("connector", {"enum": ["restart"]}),
        one_key("fault", {"oneOf": [{"enum": fault_names}, *faults]}),
        *action_steps("qbd", True),
        *action_steps("app", True),
    ]
    schema["properties"]["steps"] = {"type": "array", "items": {"oneOf": steps}}
    given = defs["Given"]["properties"]
    given["qbd"] = {"type": "array", "items": {"oneOf": action_steps("qbd", False)}}
    given["app"] = {"type": "array", "items": {"oneOf": action_steps("app", False)}}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema


def _properties(ref: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    name = ref["$ref"].rsplit("/", 1)[-1]
    return dict(defs[name].get("properties", {}))


def render_schema(registry: Registry) -> str:
    return json.dumps(scenario_schema(registry), indent=2, sort_keys=True) + "\n"
